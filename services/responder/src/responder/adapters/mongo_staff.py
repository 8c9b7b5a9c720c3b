"""Staff as responder sees them: accounts (`users`, written by the inbox service: read only here), their
absence (`agent_status`, written here) and their open work (read from `conversations` when a person goes on
leave; the load that assignment weighs is a counter, see `mongo_counters`)."""

from datetime import datetime

from pymongo import AsyncMongoClient

from responder.domain.states import FINISHED


class StaffStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.users = db["users"]
        self.status = db["agent_status"]
        self.conversations = db["conversations"]

    async def user(self, user_id: str) -> dict | None:
        return await self.users.find_one({"_id": user_id}, projection={"password_hash": False})

    async def active_users(self) -> list[dict]:
        return [u async for u in self.users.find({"active": {"$ne": False}}, projection={"password_hash": False})]

    async def on_leave(self) -> set[str]:
        return {s["_id"] async for s in self.status.find({"on_leave": True})}

    async def absence(self, user_id: str) -> dict | None:
        return await self.status.find_one({"_id": user_id})

    async def set_absence(self, user_id: str, *, on_leave: bool, until, by: str, at: datetime) -> None:
        await self.status.update_one(
            {"_id": user_id},
            {"$set": {"on_leave": on_leave, "until": until and until.isoformat(), "updated_by": by, "updated_at": at}},
            upsert=True,
        )

    async def open_work(self, user_id: str) -> list[dict]:
        cursor = self.conversations.find({"assignee": user_id, "status": {"$nin": list(FINISHED)}})
        return [c async for c in cursor]
