"""State the webhooks keep: Mailgun tokens already used (replay defence), the headers of received emails (to
thread replies), and Open311 service requests (status for `GET /requests/{id}.json`)."""

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from connectors.platforms.email import EmailHeaders
from connectors.platforms.webform import ServiceRequest


class MailgunTokens:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["mailgun_tokens"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("used_at", ASCENDING)])

    async def claim(self, token: str) -> bool:
        """True the first time `token` is seen; False for a replay."""
        try:
            await self.collection.insert_one({"_id": token, "used_at": datetime.now(UTC)})
        except DuplicateKeyError:
            return False
        return True

    async def prune(self, older_than: timedelta) -> int:
        """Forget tokens older than the freshness window (stale ones are refused by timestamp anyway);
        FerretDB has no TTL indexes, so this runs periodically."""
        result = await self.collection.delete_many({"used_at": {"$lt": datetime.now(UTC) - older_than}})
        return result.deleted_count


class FirstSeen:
    """When a platform message was first received, for platforms that send no time of their own (Twilio): a
    retried delivery then carries the same time, so it is the same message downstream in every field."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["first_seen"]

    async def at(self, key: str, now: datetime) -> datetime:
        try:
            doc = await self.collection.find_one_and_update(
                {"_id": key}, {"$setOnInsert": {"at": now}}, upsert=True, return_document=ReturnDocument.AFTER)
        except DuplicateKeyError:
            doc = await self.collection.find_one({"_id": key})
        return doc["at"] if doc else now


class EmailThreads:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["email_headers"]

    async def save(self, headers: EmailHeaders) -> None:
        doc = asdict(headers)
        doc["in_reply_to"], doc["references"] = list(headers.in_reply_to), list(headers.references)
        await self.collection.replace_one({"_id": headers.message_id}, doc, upsert=True)

    async def get(self, message_id: str) -> EmailHeaders | None:
        doc = await self.collection.find_one({"_id": message_id.strip("<>")})
        if doc is None:
            return None
        doc.pop("_id")
        doc["in_reply_to"], doc["references"] = tuple(doc["in_reply_to"]), tuple(doc["references"])
        return EmailHeaders(**doc)


class ServiceRequests:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["service_requests"]

    async def save(self, request: ServiceRequest) -> bool:
        """Stores a new request; False when the same submission was stored before (same id)."""
        doc = asdict(request)
        doc.update(_id=request.service_request_id, status="open", status_notes=None,
                   updated_datetime=request.requested_datetime)
        try:
            await self.collection.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, request_id: str) -> dict | None:
        return await self.collection.find_one({"_id": {"$eq": request_id}})

    async def add_note(self, request_id: str, note: str, *, status: str | None = None) -> bool:
        """Records the organisation's answer as the request's `status_notes`; False for an unknown request."""
        update: dict = {"status_notes": note, "updated_datetime": datetime.now(UTC)}
        if status:
            update["status"] = status
        result = await self.collection.update_one({"_id": {"$eq": request_id}}, {"$set": update})
        return result.matched_count == 1
