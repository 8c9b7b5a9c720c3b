"""Out-of-hours state responder keeps besides conversations: outbound freezes (`outbound_freezes`, one
document per frozen account or `*` for every account), replies held by a freeze (in `replies`), and
absences with a start and an end (in `agent_status`)."""

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase

EVERY_ACCOUNT = "*"


class OutOfHoursStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.freezes, self.replies, self.status = db["outbound_freezes"], db["replies"], db["agent_status"]

    async def freezes_in_force(self) -> list[dict]:
        return [f async for f in self.freezes.find({"frozen": True})]

    async def freeze_of(self, account: str) -> dict | None:
        return await self.freezes.find_one({"_id": account})

    async def set_freeze(self, account: str, fields: dict, *, unset: list[str] | None = None) -> None:
        update: dict = {"$set": fields}
        if unset:
            update["$unset"] = {k: "" for k in unset}
        await self.freezes.update_one({"_id": account}, update, upsert=True)

    async def hold(self, reply_id: str, held: dict) -> bool:
        """Marks an approved reply as held by a freeze; False when it already was."""
        result = await self.replies.update_one({"_id": reply_id, "status": "approved", "held": None}, {"$set": {"held": held}})
        return result.modified_count == 1

    async def held_replies(self, account: str) -> list[dict]:
        query: dict = {"status": "approved", "held": {"$ne": None}}
        if account != EVERY_ACCOUNT:
            query["account_id"] = account
        return [r async for r in self.replies.find(query).limit(500)]

    async def release(self, reply_id: str) -> None:
        await self.replies.update_one({"_id": reply_id}, {"$set": {"held": None}})

    async def absences_to_start(self, now: datetime) -> list[dict]:
        return [s async for s in self.status.find({"starts_at": {"$lte": now}, "started": False})]

    async def absences_to_end(self, now: datetime) -> list[dict]:
        return [s async for s in self.status.find({"ends_at": {"$lte": now}, "on_leave": True})]

    async def absences(self) -> list[dict]:
        return [s async for s in self.status.find({"$or": [{"on_leave": True}, {"started": False}]})]

    async def set_absence(self, user_id: str, fields: dict) -> None:
        await self.status.update_one({"_id": user_id}, {"$set": fields}, upsert=True)


def store_of(r) -> OutOfHoursStore:
    """The store on the responder's database (made once per responder)."""
    found = getattr(r, "_out_of_hours_store", None)
    if found is None:
        found = OutOfHoursStore(r.staff.status.database)
        r._out_of_hours_store = found
    return found
