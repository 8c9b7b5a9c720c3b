"""The notifier's state in MongoDB: duty alerts and their escalation (`duty_alerts`), one claim per message
sent to a person (`alert_notifications`: a unique `_id` per alert, level, medium and person, so a redelivered
alert is not sent twice), and account alerts (`ops_alerts`). The web app reads `duty_alerts` and `ops_alerts`."""

from datetime import datetime

from pymongo import DESCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

OPEN = "open"
ACKNOWLEDGED = "acknowledged"


class AlertStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.alerts, self.claims, self.ops = db["duty_alerts"], db["alert_notifications"], db["ops_alerts"]

    async def ensure_indexes(self) -> None:
        await self.alerts.create_index([("status", 1), ("next_escalation_at", 1)])
        await self.ops.create_index([("raised_at", DESCENDING)])

    async def create(self, document: dict) -> bool:
        """True when the alert is new; False when it was stored before (a redelivery)."""
        try:
            await self.alerts.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, alert_id: str) -> dict | None:
        return await self.alerts.find_one({"_id": alert_id})

    async def update(self, alert_id: str, fields: dict, *, only_if: dict | None = None) -> bool:
        result = await self.alerts.update_one({"_id": alert_id, **(only_if or {})}, {"$set": fields})
        return result.modified_count == 1

    async def overdue(self, now: datetime, limit: int = 100) -> list[dict]:
        cursor = self.alerts.find({"status": OPEN, "next_escalation_at": {"$lte": now}}).limit(limit)
        return [d async for d in cursor]

    async def delivering(self, limit: int = 100) -> list[dict]:
        """Open alerts whose current level has not been reached yet (a send failed, or the process stopped)."""
        return [d async for d in self.alerts.find({"status": OPEN, "delivering": True}).limit(limit)]

    async def open_for_phone(self, phone: str) -> list[dict]:
        """Open alerts whose people include `phone`, newest first."""
        cursor = self.alerts.find({"status": OPEN, "people.phone": phone}).sort("raised_at", DESCENDING).limit(20)
        return [d async for d in cursor]

    async def recent(self, *, status: str | None = None, limit: int = 50) -> list[dict]:
        query = {"status": status} if status else {}
        return [d async for d in self.alerts.find(query).sort("raised_at", DESCENDING).limit(limit)]

    async def claim(self, claim_id: str, *, alert_id: str, at: datetime) -> bool:
        """True when nobody sent this message yet (and now this process does)."""
        try:
            await self.claims.insert_one({"_id": claim_id, "alert_id": alert_id, "status": "sending", "at": at})
        except DuplicateKeyError:
            return False
        return True

    async def sent(self, claim_id: str, provider_id: str, at: datetime) -> None:
        await self.claims.update_one({"_id": claim_id}, {"$set": {"status": "sent", "provider_id": provider_id, "sent_at": at}})

    async def release(self, claim_id: str) -> None:
        await self.claims.delete_one({"_id": claim_id})

    async def record_ops(self, document: dict) -> bool:
        try:
            await self.ops.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def recent_ops(self, limit: int = 50) -> list[dict]:
        return [d async for d in self.ops.find({}).sort("raised_at", DESCENDING).limit(limit)]
