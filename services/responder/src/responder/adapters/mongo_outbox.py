"""The outbox: what responder publishes is written here (keyed by its id) before it is sent to Kafka, and
removed by `_id` once Kafka acknowledged it. A publish that fails (Kafka down, the process stopped
mid-send) leaves the entry behind, and the relay in the periodic job publishes it again until Kafka takes
it. Publishing twice is harmless (every record keeps its id, and consumers dedupe on it); losing one is not.

Acknowledged entries are removed rather than flagged, so the collection only ever holds what is in flight
or unsent and the relay's sweep (a scan on FerretDB) stays small whatever the history."""

from datetime import UTC, datetime

from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from responder.adapters.mongo_bulk import insert_new


class Outbox:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        self.entries = client[database]["outbox"]

    async def ensure_indexes(self) -> None:
        """Nothing to index: entries are written and removed by `_id`; the sweep reads them all."""

    async def put(self, entry_id: str, kind: str, payload: dict) -> None:
        """Keep `payload` (a contract model as JSON-ready data) until it is sent; a second put is a no-op."""
        try:
            await self.entries.insert_one({"_id": entry_id, "kind": kind, "payload": payload,
                                           "created_at": datetime.now(UTC), "attempts": 0})
        except DuplicateKeyError:
            pass

    async def put_many(self, entries: list[tuple[str, str, dict]]) -> None:
        """`put` for several (entry id, kind, payload) in one write (FerretDB inserts them in one transaction)."""
        now = datetime.now(UTC)
        await insert_new(self.entries, [{"_id": entry_id, "kind": kind, "payload": payload, "created_at": now, "attempts": 0}
                                        for entry_id, kind, payload in entries])

    async def sent(self, entry_id: str) -> None:
        await self.entries.delete_one({"_id": entry_id})

    async def sent_many(self, entry_ids: list[str]) -> None:
        """Remove the acknowledged entries in one write (a filter other than `{"_id": <value>}` scans on FerretDB,
        but the outbox only holds what is in flight)."""
        await self.entries.delete_many({"_id": {"$in": entry_ids}})

    async def failed(self, entry_id: str, error: str) -> None:
        await self.entries.update_one({"_id": entry_id}, {"$inc": {"attempts": 1}, "$set": {"last_error": error[:500]}})

    async def due(self, *, before: datetime, limit: int = 500) -> list[dict]:
        """Entries written before `before` and still unsent, oldest first."""
        entries = [e async for e in self.entries.find({"created_at": {"$lt": before}}).limit(limit)]
        return sorted(entries, key=lambda e: e["created_at"])

    async def size(self) -> int:
        return await self.entries.count_documents({})

