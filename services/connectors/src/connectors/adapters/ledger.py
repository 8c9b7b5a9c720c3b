"""What the connectors received and sent, per conversation: the last inbound time (for messaging windows)
and which conversation each platform message belongs to (so an answer to one of our replies threads back).

Every write is an idempotent upsert (`$max`, `$set` of the same value), so replays change nothing. The inbound
consumer writes a whole batch at once (`record_inbound_many`): one bulk write per few dozen conversations and one
`insert_many` of the thread index, instead of two round trips per message."""

from collections.abc import Sequence
from datetime import datetime

from civic_contracts import InboundMessage
from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

DUPLICATE_KEY = 11000
# Updates per bulk write. FerretDB v1 as released keeps every update's cursor, and so one of its 100 pooled
# connections per database, open until the whole command ends: a command of more than ~100 updates of existing
# documents waits for a connection it holds itself and FerretDB stops answering anyone (measured: 150 hang).
# 25 keeps two such commands at once (two replicas) far from the limit (deploy/infra.sh's build fixes it).
UPDATES_PER_COMMAND = 25


def _index_id(channel: str, account: str, platform_id: str) -> str:
    return f"{channel}:{account}:{platform_id}"


class Ledger:
    def __init__(self, db: AsyncDatabase) -> None:
        self.conversations = db["conversation_ledger"]
        self.threads = db["thread_index"]

    async def _upsert(self, collection, key: str, update: dict) -> None:
        try:
            await collection.update_one({"_id": key}, update, upsert=True)
        except DuplicateKeyError:  # two writers raced on the insert: the document exists now
            await collection.update_one({"_id": key}, update)

    async def record_inbound(self, message: InboundMessage) -> None:
        await self._upsert(self.conversations, message.conversation_key, _inbound(message))
        await self.remember(message.channel.value, message.account_id, message.platform_message_id,
                            message.conversation_key)

    async def remember(self, channel: str, account: str, platform_id: str, conversation_key: str) -> None:
        """Platform message `platform_id` (received or sent) belongs to `conversation_key`."""
        await self._upsert(self.threads, _index_id(channel, account, platform_id),
                           {"$set": {"conversation_key": conversation_key}})

    async def record_inbound_many(self, messages: Sequence[InboundMessage]) -> None:
        """`record_inbound` for every message, in a few round trips: each conversation's latest inbound time in
        one upsert per conversation (bulk writes of `UPDATES_PER_COMMAND`), the thread index in one `insert_many`
        (a platform id already there gets its `$set`, as one by one would)."""
        latest: dict[str, InboundMessage] = {}
        for m in messages:
            if (seen := latest.get(m.conversation_key)) is None or m.sent_at > seen.sent_at:
                latest[m.conversation_key] = m
        await self._upsert_many(self.conversations, [(key, _inbound(m)) for key, m in latest.items()])
        threads = {_index_id(m.channel.value, m.account_id, m.platform_message_id): m.conversation_key for m in messages}
        try:
            await self.threads.insert_many([{"_id": i, "conversation_key": k} for i, k in threads.items()], ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors") or []
            if any(e.get("code") != DUPLICATE_KEY for e in errors):
                raise
            ids = list(threads)
            known = [ids[e["index"]] for e in errors]
            await self._upsert_many(self.threads, [(i, {"$set": {"conversation_key": threads[i]}}) for i in known])

    async def _upsert_many(self, collection, updates: list[tuple[str, dict]]) -> None:
        for start in range(0, len(updates), UPDATES_PER_COMMAND):
            chunk = updates[start:start + UPDATES_PER_COMMAND]
            try:
                await collection.bulk_write([UpdateOne({"_id": key}, u, upsert=True) for key, u in chunk], ordered=False)
            except BulkWriteError as exc:
                errors = exc.details.get("writeErrors") or []
                if any(e.get("code") != DUPLICATE_KEY for e in errors):
                    raise
                # another writer inserted these first (a race on the upsert's insert): they exist now
                await collection.bulk_write([UpdateOne({"_id": chunk[e["index"]][0]}, chunk[e["index"]][1])
                                             for e in errors], ordered=False)

    async def conversation_of(self, channel: str, account: str, platform_id: str) -> str | None:
        doc = await self.threads.find_one({"_id": _index_id(channel, account, platform_id)})
        return doc["conversation_key"] if doc else None

    async def last_inbound(self, conversation_key: str) -> datetime | None:
        doc = await self.conversations.find_one({"_id": conversation_key})
        return (doc or {}).get("last_inbound_at")


def _inbound(message: InboundMessage) -> dict:
    return {"$set": {"channel": message.channel.value, "account_id": message.account_id},
            "$max": {"last_inbound_at": message.sent_at}}
