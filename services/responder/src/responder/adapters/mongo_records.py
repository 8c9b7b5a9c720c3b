"""Records management in MongoDB: legal holds, the runs of the retention job, export bundles, and the
queries that find, delete or anonymise a person's or a period's records across responder's collections.

These are admin operations, run daily or on request, never on a message's path: the filters here may scan
(FerretDB serves few of them from an index). Every value from a request is compared with `$eq`/`$in` on
strings, never interpreted as a query."""

from collections.abc import AsyncIterator
from datetime import datetime

from civic_contracts.conversation import FINISHED
from civic_contracts.records import EXPORTS_COLLECTION, HOLDS_COLLECTION, RUNS_COLLECTION
from pymongo import ASCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from responder.domain.records import Hold

# Collections holding a conversation's records, and the field that names the conversation.
BY_CONVERSATION = {"messages": "conversation_key", "notes": "conversation_key", "replies": "conversation_key",
                   "timeline": "conversation_key", "handovers": "conversation_key"}
MESSAGE_FIELDS = {"raw_payload": False}


class RecordsStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        self.db = client[database]
        self.holds = self.db[HOLDS_COLLECTION]
        self.runs = self.db[RUNS_COLLECTION]
        self.exports = self.db[EXPORTS_COLLECTION]
        self.messages = self.db["messages"]
        self.conversations = self.db["conversations"]
        self.evidence = self.db["evidence"]
        self.audit = self.db["audit"]

    async def ensure_indexes(self) -> None:
        await self.holds.create_index([("released_at", ASCENDING)])
        await self.runs.create_index([("started_at", ASCENDING)])

    # Legal holds.

    async def place_hold(self, hold: Hold) -> bool:
        try:
            await self.holds.insert_one({"_id": hold.id, **hold.model_dump(mode="python", exclude={"id"}),
                                         "released_at": None})
        except DuplicateKeyError:
            return False
        return True

    async def release_hold(self, hold_id: str, *, by: str, at: datetime, reason: str) -> dict | None:
        """Releases the hold; returns it as it was, or None when there was no such hold in force."""
        before = await self.holds.find_one({"_id": {"$eq": hold_id}, "released_at": None})
        if before is None:
            return None
        await self.holds.update_one({"_id": {"$eq": hold_id}},
                                    {"$set": {"released_at": at, "released_by": by, "release_reason": reason}})
        return before

    async def holds_in_force(self) -> list[Hold]:
        found = [h async for h in self.holds.find({"released_at": None})]
        return [Hold.model_validate({**{k: v for k, v in h.items() if k not in ("_id", "released_at")}, "id": h["_id"]})
                for h in found]

    # Finding records.

    async def messages_where(self, query: dict, *, raw: bool = False) -> AsyncIterator[dict]:
        async for message in self.messages.find(query, projection=None if raw else MESSAGE_FIELDS).sort(
                [("sent_at", ASCENDING)]):
            yield message

    def by_author(self, ids: list[str], handles: list[str]) -> dict:
        return {"$or": [{"author.platform_id": {"$in": ids}}, {"author.handle": {"$in": handles}},
                        {"author.handle": {"$in": [f"@{h}" for h in handles]}}]}

    @staticmethod
    def sent_between(since: datetime | None, until: datetime | None) -> dict:
        window = {**({"$gte": since} if since else {}), **({"$lt": until} if until else {})}
        return {"sent_at": window} if window else {}

    async def conversations_by_keys(self, keys: list[str]) -> list[dict]:
        return [c async for c in self.conversations.find({"_id": {"$in": keys}})] if keys else []

    async def related(self, collection: str, keys: list[str]) -> list[dict]:
        """Every document of `collection` belonging to one of the conversations."""
        if not keys:
            return []
        field = BY_CONVERSATION.get(collection, "conversation_key")
        return [d async for d in self.db[collection].find({field: {"$in": keys}}).sort([("_id", ASCENDING)])]

    async def handovers_for(self, ids: list[str]) -> list[dict]:
        return [h async for h in self.db["handovers"].find({"private.recipient_id": {"$in": ids}})] if ids else []

    async def closed_before(self, cutoff: datetime) -> list[dict]:
        query = {"status": {"$in": [s.value for s in FINISHED]}, "last_message_at": {"$lt": cutoff}}
        return [c async for c in self.conversations.find(query, projection={"_id": True, "last_message_at": True})]

    async def ids_before(self, collection: str, field: str, cutoff: datetime, extra: dict | None = None) -> list[dict]:
        query = {field: {"$lt": cutoff}, **(extra or {})}
        projection = {"_id": True, "conversation_key": True, "author": True, "sent_at": True, "author_key": True}
        return [d async for d in self.db[collection].find(query, projection=projection)]

    # Changing records.

    async def delete(self, collection: str, ids: list) -> int:
        if not ids:
            return 0
        result = await self.db[collection].delete_many({"_id": {"$in": ids}})
        return result.deleted_count

    async def delete_related(self, collection: str, keys: list[str]) -> int:
        if not keys:
            return 0
        field = BY_CONVERSATION.get(collection, "conversation_key")
        return (await self.db[collection].delete_many({field: {"$in": keys}})).deleted_count

    async def update_each(self, collection: str, ids: list, update: dict) -> int:
        if not ids:
            return 0
        return (await self.db[collection].update_many({"_id": {"$in": ids}}, update)).modified_count

    async def delete_by(self, collection: str, field: str, values: list[str]) -> int:
        if not values:
            return 0
        return (await self.db[collection].delete_many({field: {"$in": values}})).deleted_count

    async def rekey(self, old: str, new: str) -> None:
        """Moves a conversation and everything that names it from key `old` to `new` (used by erasure, when
        the key itself holds the person's number or address). Not atomic: a repeated erasure completes it."""
        conversation = await self.conversations.find_one({"_id": {"$eq": old}})
        if conversation is not None:
            try:
                await self.conversations.insert_one({**conversation, "_id": new})
            except DuplicateKeyError:
                pass
            await self.conversations.delete_one({"_id": {"$eq": old}})
        await self.messages.update_many({"conversation_key": {"$eq": old}, "triage": {"$exists": True}},
                                        {"$set": {"triage.conversation_key": new}})
        for collection in ("messages", "notes", "replies", "timeline", "handovers", "evidence", "audit"):
            await self.db[collection].update_many({"conversation_key": {"$eq": old}}, {"$set": {"conversation_key": new}})
        await self.db["handovers"].update_many({"private.conversation_key": {"$eq": old}},
                                               {"$set": {"private.conversation_key": new}})

    async def append_audit(self, entry: dict) -> None:
        try:
            await self.audit.insert_one(entry)
        except DuplicateKeyError:
            pass

    async def record_run(self, run: dict) -> None:
        await self.runs.replace_one({"_id": run["_id"]}, run, upsert=True)

    async def last_run(self, kind: str) -> dict | None:
        found = [r async for r in self.runs.find({"kind": kind, "dry_run": False}).sort([("started_at", -1)]).limit(1)]
        return found[0] if found else None

    async def save_export(self, doc: dict) -> None:
        await self.exports.replace_one({"_id": doc["_id"]}, doc, upsert=True)

    async def get_export(self, export_id: str) -> dict | None:
        return await self.exports.find_one({"_id": {"$eq": export_id}})
