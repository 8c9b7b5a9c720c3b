"""Read-only queries over the conversations responder writes. Filters are passed as values, never
built into query text; joins of conversations and messages are done here, not with `$lookup`."""

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient

from inbox.schemas import ConversationView, MessageView


class ConversationReader:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.messages = db["messages"]
        self.conversations = db["conversations"]

    async def page(self, *, filters: dict[str, str], page: int, page_size: int) -> tuple[list[ConversationView], int]:
        query = {field: {"$eq": value} for field, value in filters.items()}
        total = await self.conversations.count_documents(query)
        cursor = (
            self.conversations.find(query)
            .sort([("last_message_at", DESCENDING), ("_id", ASCENDING)])
            .skip((page - 1) * page_size)
            .limit(page_size)
        )
        conversations = [doc async for doc in cursor]
        keys = [c["_id"] for c in conversations]
        by_key: dict[str, list[MessageView]] = {k: [] for k in keys}
        if keys:
            found = self.messages.find(
                {"conversation_key": {"$in": keys}, "platform_message_id": {"$exists": True}},
                projection={"raw_payload": False},
            ).sort([("sent_at", ASCENDING)])
            async for m in found:
                by_key[m["conversation_key"]].append(MessageView(id=m["_id"], **m))
        views = [ConversationView(id=c["_id"], messages=by_key[c["_id"]], **c) for c in conversations]
        return views, total
