"""The connectors' own state in MongoDB (FerretDB locally): no transactions, change streams, TTL or partial
indexes are used; uniqueness comes from `_id`, and a duplicate-key error means "already done"."""

from dataclasses import dataclass

from pymongo import AsyncMongoClient

from connectors.adapters.connections import Connections
from connectors.adapters.cursors import CursorStore
from connectors.adapters.intake import EmailThreads, FirstSeen, MailgunTokens, ServiceRequests
from connectors.adapters.ledger import Ledger
from connectors.adapters.outbox import Outbox


@dataclass(frozen=True)
class Stores:
    cursors: CursorStore
    outbox: Outbox
    ledger: Ledger
    tokens: MailgunTokens
    emails: EmailThreads
    requests: ServiceRequests
    first_seen: FirstSeen
    connections: Connections

    @classmethod
    def create(cls, client: AsyncMongoClient, database: str) -> "Stores":
        db = client[database]
        return cls(CursorStore(db), Outbox(db), Ledger(db), MailgunTokens(db), EmailThreads(db), ServiceRequests(db),
                   FirstSeen(db), Connections(db))

    async def ensure_indexes(self) -> None:
        await self.outbox.ensure_indexes()
        await self.tokens.ensure_indexes()
        await self.requests.ensure_indexes()
