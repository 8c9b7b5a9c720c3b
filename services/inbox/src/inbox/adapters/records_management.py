"""Read-only access to records management: legal holds in force and the bundles responder made (subject
access, FOI). Admins only (the API checks); the inbox never writes them."""

from civic_contracts.records import EXPORTS_COLLECTION, HOLDS_COLLECTION, RUNS_COLLECTION
from pymongo import ASCENDING, AsyncMongoClient


class RecordsManagementReader:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.holds = db[HOLDS_COLLECTION]
        self.exports = db[EXPORTS_COLLECTION]
        self.runs = db[RUNS_COLLECTION]

    async def holds_in_force(self) -> list[dict]:
        return [h async for h in self.holds.find({"released_at": None}).sort([("placed_at", ASCENDING)])]

    async def export(self, export_id: str) -> dict | None:
        return await self.exports.find_one({"_id": {"$eq": export_id}})

    async def last_runs(self, limit: int = 10) -> list[dict]:
        return [r async for r in self.runs.find({}).sort([("started_at", -1)]).limit(limit)]
