"""Read-only access to records management: legal holds in force and the bundles responder made (subject
access, FOI). Admins only (the API checks); the inbox never writes them."""

from pymongo import ASCENDING, AsyncMongoClient


class RecordsManagementReader:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.holds = db["legal_holds"]
        self.exports = db["records_exports"]
        self.runs = db["records_runs"]

    async def holds_in_force(self) -> list[dict]:
        return [h async for h in self.holds.find({"released_at": None}).sort([("placed_at", ASCENDING)])]

    async def export(self, export_id: str) -> dict | None:
        return await self.exports.find_one({"_id": {"$eq": export_id}})

    async def conversations_started(self, since, until, scope: dict, fields: tuple[str, ...]) -> list[dict]:
        """Conversations that started in [since, until) within the person's scope, for the reports (a page
        someone waits for; it reads the range, capped at 200,000)."""
        query = {"$and": [{"first_message_at": {"$gte": since, "$lt": until}}, *({k: v} for k, v in scope.items())]}
        db = self.holds.database
        return [d async for d in db["conversations"].find(query, projection=dict.fromkeys(fields, True)).limit(200_000)]

    async def last_runs(self, limit: int = 10) -> list[dict]:
        return [r async for r in self.runs.find({}).sort([("started_at", -1)]).limit(limit)]
