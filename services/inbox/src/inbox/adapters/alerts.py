"""Read-only access to the out-of-hours records: duty alerts and account alerts (written by the notifier),
outbound freezes and the replies they hold (written by responder)."""

from pymongo import DESCENDING, AsyncMongoClient


class AlertReader:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.duty, self.ops = db["duty_alerts"], db["ops_alerts"]
        self.freeze_docs, self.replies = db["outbound_freezes"], db["replies"]

    async def duty_alerts(self, *, open_only: bool, limit: int = 50) -> list[dict]:
        query = {"status": "open"} if open_only else {}
        return [d async for d in self.duty.find(query, projection={"people": False}).sort("raised_at", DESCENDING).limit(limit)]

    async def ops_alerts(self, limit: int = 50) -> list[dict]:
        return [d async for d in self.ops.find({}).sort("raised_at", DESCENDING).limit(limit)]

    async def freezes(self) -> list[dict]:
        return [f async for f in self.freeze_docs.find({})]

    async def held_replies(self, limit: int = 200) -> list[dict]:
        projection = {"text": False, "history": False}
        cursor = self.replies.find({"status": "approved", "held": {"$ne": None}}, projection=projection).limit(limit)
        return [r async for r in cursor]


def alerts_of(request) -> AlertReader:
    """The reader on the inbox's database (made once per app)."""
    state = request.app.state
    if getattr(state, "alerts", None) is None:
        records = state.records
        state.alerts = AlertReader(records.audit.database.client, records.audit.database.name)
    return state.alerts
