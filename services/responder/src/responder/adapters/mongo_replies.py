"""Replies and their lifecycle in MongoDB: requested → blocked | awaiting_approval → approved → sending →
sent | failed | waiting (or rejected, or collision).

The reply's `_id` is the id of the command that asked for it and also the `OutboundCommand.id`. Moving
to `sending` needs the reply's claim in `dispatches` (an insert under the reply id, which only one caller
can win), so one request never yields two sends; `dispatched_at` is set once the outbound command was published, and the periodic
job re-publishes (same id) a claim that never got there."""

from datetime import datetime

from pymongo import ASCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

FINAL = ("sent", "rejected", "blocked", "collision")


class ReplyStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        self.replies = client[database]["replies"]
        self.dispatches = client[database]["dispatches"]

    async def ensure_indexes(self) -> None:
        await self.replies.create_index([("conversation_key", ASCENDING), ("requested_at", ASCENDING)])
        await self.replies.create_index([("status", ASCENDING), ("requested_at", ASCENDING)])

    async def create(self, doc: dict) -> tuple[dict, bool]:
        """(the reply, True when this call created it)."""
        try:
            await self.replies.insert_one(doc)
            return doc, True
        except DuplicateKeyError:
            return await self.get(doc["_id"]) or doc, False

    async def get(self, reply_id: str) -> dict | None:
        return await self.replies.find_one({"_id": reply_id})

    async def transition(self, reply_id: str, *, from_: tuple[str, ...], to: str, at: datetime, by: str | None,
                         detail: str | None = None, fields: dict | None = None) -> bool:
        """Move the reply from one of `from_` to `to`; False when it was not in one of them."""
        result = await self.replies.update_one(
            {"_id": reply_id, "status": {"$in": list(from_)}},
            {"$set": {"status": to, "updated_at": at, **(fields or {})},
             "$push": {"history": {"status": to, "at": at, "by": by, "detail": detail}}},
        )
        return result.modified_count == 1

    async def claim_dispatch(self, reply_id: str, at: datetime) -> bool:
        """Claim the one send of this reply: an insert under a unique id, which exactly one caller wins (a
        conditional update would not do on FerretDB, where concurrent updates of a document are not atomic)."""
        try:
            await self.dispatches.insert_one({"_id": reply_id, "claimed_at": at})
        except DuplicateKeyError:
            return False
        await self.replies.update_one(
            {"_id": reply_id},
            {"$set": {"status": "sending", "dispatch_claimed": True, "updated_at": at},
             "$push": {"history": {"status": "sending", "at": at, "by": None, "detail": None}}},
        )
        return True

    async def mark_dispatched(self, reply_id: str, at: datetime) -> None:
        await self.replies.update_one({"_id": reply_id}, {"$set": {"dispatched_at": at}})
        await self.dispatches.update_one({"_id": reply_id}, {"$set": {"dispatched_at": at}})

    async def release_claim(self, reply_id: str) -> None:
        """Publishing failed: let the retry claim it again."""
        await self.replies.update_one({"_id": reply_id}, {"$set": {"status": "approved", "dispatch_claimed": False}})
        await self.dispatches.delete_one({"_id": reply_id, "dispatched_at": None})

    async def undispatched(self, claimed_before: datetime) -> list[dict]:
        cursor = self.replies.find(
            {"dispatch_claimed": True, "dispatched_at": None, "updated_at": {"$lt": claimed_before}}
        ).limit(100)
        return [r async for r in cursor]

    async def for_conversation(self, key: str) -> list[dict]:
        return [r async for r in self.replies.find({"conversation_key": key}).sort([("requested_at", ASCENDING)])]
