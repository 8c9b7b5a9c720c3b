"""What the connectors received and sent, per conversation: the last inbound time (for messaging windows)
and which conversation each platform message belongs to (so an answer to one of our replies threads back).

Every write is an idempotent upsert (`$max`, `$set` of the same value), so replays change nothing."""

from datetime import datetime

from civic_contracts import InboundMessage
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


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
        await self._upsert(self.conversations, message.conversation_key, {
            "$set": {"channel": message.channel.value, "account_id": message.account_id},
            "$max": {"last_inbound_at": message.sent_at},
        })
        await self.remember(message.channel.value, message.account_id, message.platform_message_id,
                            message.conversation_key)

    async def remember(self, channel: str, account: str, platform_id: str, conversation_key: str) -> None:
        """Platform message `platform_id` (received or sent) belongs to `conversation_key`."""
        await self._upsert(self.threads, _index_id(channel, account, platform_id),
                           {"$set": {"conversation_key": conversation_key}})

    async def conversation_of(self, channel: str, account: str, platform_id: str) -> str | None:
        doc = await self.threads.find_one({"_id": _index_id(channel, account, platform_id)})
        return doc["conversation_key"] if doc else None

    async def last_inbound(self, conversation_key: str) -> datetime | None:
        doc = await self.conversations.find_one({"_id": conversation_key})
        return (doc or {}).get("last_inbound_at")
