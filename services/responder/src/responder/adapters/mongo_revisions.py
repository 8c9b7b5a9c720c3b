"""The versions of stored messages: read and update a message by `_id` only (the message path's rule, see
`adapters.mongo`), in responder's `messages` collection."""

from pymongo.asynchronous.collection import AsyncCollection


class MessageVersions:
    def __init__(self, messages: AsyncCollection) -> None:
        self.messages = messages

    async def message(self, message_id: str) -> dict | None:
        return await self.messages.find_one({"_id": message_id}, projection={"raw_payload": False})

    async def apply(self, message_id: str, update: dict) -> None:
        await self.messages.update_one({"_id": message_id}, update)
