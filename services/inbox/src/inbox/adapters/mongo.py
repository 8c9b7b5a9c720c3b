"""Read-only queries over the conversations responder writes. Filters are passed as values, never
built into query text; every query is narrowed by the caller's scope (their departments) before it runs,
so lists and counts never include what they may not see. Joins of conversations and messages are done
here, not with `$lookup`."""

from civic_contracts.conversation import OPEN
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient

from inbox.schemas import ConversationView, MessageView


class ConversationReader:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.messages = db["messages"]
        self.conversations = db["conversations"]
        self.replies = db["replies"]
        self.notes = db["notes"]
        self.timeline = db["timeline"]

    async def page(self, *, filters: dict[str, str], page: int, page_size: int,
                   scope: dict | None = None) -> tuple[list[ConversationView], int]:
        query = {field: {"$eq": value} for field, value in filters.items()}
        for field, condition in (scope or {}).items():
            query[field] = {**query.get(field, {}), **condition} if field in query else condition
        total = await self.conversations.count_documents(query)
        cursor = (
            self.conversations.find(query)
            .sort([("last_message_at", DESCENDING), ("_id", ASCENDING)])
            .skip((page - 1) * page_size)
            .limit(page_size)
        )
        conversations = [doc async for doc in cursor]
        by_key = await self._messages([c["_id"] for c in conversations])
        return [self._view(c, by_key[c["_id"]]) for c in conversations], total

    async def _messages(self, keys: list[str]) -> dict[str, list[MessageView]]:
        by_key: dict[str, list[MessageView]] = {k: [] for k in keys}
        if keys:
            found = self.messages.find(
                {"conversation_key": {"$in": keys}, "platform_message_id": {"$exists": True}},
                projection={"raw_payload": False},
            ).sort([("sent_at", ASCENDING)])
            async for m in found:
                by_key[m["conversation_key"]].append(MessageView(id=m["_id"], **m))
        return by_key

    @staticmethod
    def _view(doc: dict, messages: list[MessageView]) -> ConversationView:
        fields = {k: v for k, v in doc.items() if k not in ("_id", "message_count")}
        # Counted from the messages shown, so the two always agree (responder writes them one after the other).
        return ConversationView(id=doc["_id"], messages=messages, message_count=len(messages), **fields)

    async def get(self, key: str) -> dict | None:
        return await self.conversations.find_one({"_id": key})

    async def view(self, doc: dict) -> ConversationView:
        return self._view(doc, (await self._messages([doc["_id"]]))[doc["_id"]])

    async def reply(self, reply_id: str) -> dict | None:
        return await self.replies.find_one({"_id": reply_id})

    async def replies_of(self, key: str) -> list[dict]:
        return [r async for r in self.replies.find({"conversation_key": key}).sort([("requested_at", ASCENDING)])]

    async def notes_of(self, key: str) -> list[dict]:
        return [n async for n in self.notes.find({"conversation_key": key}).sort([("at", ASCENDING)])]

    async def timeline_of(self, key: str, limit: int = 500) -> list[dict]:
        cursor = self.timeline.find({"conversation_key": key}).sort([("at", ASCENDING)]).limit(limit)
        return [e async for e in cursor]

    async def queue_counts(self, scope: dict) -> list[dict]:
        """Open conversations per department, within the caller's scope: waiting in the queue vs assigned."""
        pipeline = [
            {"$match": {**scope, "status": {"$in": list(OPEN)}}},
            {"$group": {"_id": {"department": "$department", "assignee": "$assignee"}, "n": {"$sum": 1}}},
        ]
        counts: dict[str | None, dict] = {}
        async for row in await self.conversations.aggregate(pipeline):
            dept = row["_id"].get("department")
            entry = counts.setdefault(dept, {"department": dept, "waiting": 0, "assigned": 0})
            entry["assigned" if row["_id"].get("assignee") else "waiting"] += row["n"]
        return sorted(counts.values(), key=lambda c: c["department"] or "")
