"""Poller cursors: where each poller of each account got to. Written only after what it covers was
published, so a restart resumes with nothing lost (and re-reads at most what was in flight)."""

from datetime import UTC, datetime

from pymongo.asynchronous.database import AsyncDatabase


class CursorStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["poll_cursors"]

    async def get(self, name: str) -> dict:
        doc = await self.collection.find_one({"_id": name})
        return (doc or {}).get("state") or {}

    async def set(self, name: str, state: dict) -> None:
        await self.collection.update_one(
            {"_id": name}, {"$set": {"state": state, "updated_at": datetime.now(UTC)}}, upsert=True
        )
