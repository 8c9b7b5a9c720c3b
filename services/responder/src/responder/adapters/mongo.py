"""Conversations and messages in MongoDB (FerretDB locally): idempotent, order-independent writes.

Every write is an upsert keyed by a stable id, so a duplicate delivery or a replay changes nothing, and a
triage result that arrives before its message is kept and joined when the message lands. No transactions,
change streams or `$lookup` are used (FerretDB has none)."""

from civic_contracts import InboundMessage, TriageResult
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from responder.domain import STATUS_NEW, routing_update


class ConversationStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.messages = db["messages"]
        self.conversations = db["conversations"]

    async def ensure_indexes(self) -> None:
        await self.messages.create_index([("conversation_key", ASCENDING), ("sent_at", ASCENDING)])
        await self.conversations.create_index([("last_message_at", DESCENDING)])
        for field in ("department", "status", "channel"):
            await self.conversations.create_index([(field, ASCENDING), ("last_message_at", DESCENDING)])

    async def store_message(self, message: InboundMessage) -> None:
        doc = message.model_dump(mode="python", exclude={"id", "received_at"})
        doc["channel"] = message.channel.value
        doc["kind"] = message.kind.value
        try:
            await self.messages.update_one(
                {"_id": message.id},
                {"$set": doc, "$min": {"received_at": message.received_at}},
                upsert=True,
            )
        except DuplicateKeyError:
            # Two deliveries raced on the upsert: the other one stored it; apply ours as an update.
            await self.messages.update_one({"_id": message.id}, {"$set": doc})
        count = await self.messages.count_documents(
            {"conversation_key": message.conversation_key, "platform_message_id": {"$exists": True}}
        )
        await self._upsert_conversation(
            message.conversation_key,
            {
                "$setOnInsert": {"status": STATUS_NEW},
                "$set": {
                    "channel": message.channel.value,
                    "account_id": message.account_id,
                    "kind": message.kind.value,
                    "message_count": count,
                },
                "$min": {"first_message_at": message.sent_at},
                "$max": {"last_message_at": message.sent_at},
            },
        )
        # The author of the conversation is whoever wrote first; set it only where it is missing.
        await self.conversations.update_one(
            {"_id": message.conversation_key, "author": {"$exists": False}},
            {"$set": {"author": message.author.model_dump()}},
        )

    async def store_triage(self, result: TriageResult) -> None:
        await self.messages.update_one(
            {"_id": result.message_id},
            {"$set": {"triage": result.model_dump(mode="python"), "conversation_key": result.conversation_key}},
            upsert=True,
        )
        current = await self.conversations.find_one({"_id": result.conversation_key})
        await self._upsert_conversation(result.conversation_key, {"$set": routing_update(current, result)})

    async def _upsert_conversation(self, key: str, update: dict) -> None:
        try:
            await self.conversations.update_one({"_id": key}, update, upsert=True)
        except DuplicateKeyError:
            update.pop("$setOnInsert", None)
            await self.conversations.update_one({"_id": key}, update)
