"""State the webhooks keep: Mailgun tokens already used (replay defence), the headers of received emails (to
thread replies), and Open311 service requests (their status, notes and pending notices to the citizen)."""

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, DESCENDING, ReturnDocument
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
        doc["saved_at"] = datetime.now(UTC)  # for the retention schedule (`connectors/records.py`)
        await self.collection.replace_one({"_id": headers.message_id}, doc, upsert=True)

    async def get(self, message_id: str) -> EmailHeaders | None:
        doc = await self.collection.find_one({"_id": message_id.strip("<>")})
        if doc is None:
            return None
        doc.pop("_id")
        doc.pop("saved_at", None)
        doc["in_reply_to"], doc["references"] = tuple(doc["in_reply_to"]), tuple(doc["references"])
        return EmailHeaders(**doc)


class ServiceRequests:
    """Open311 requests by id. Status, notes and notices are written by `_id` only, and each write is read back
    and written again if lost: FerretDB v1 may drop one of two concurrent `$set`s on a document (a reply's note
    and a close arriving together), see the README."""

    def __init__(self, db: AsyncDatabase) -> None:
        self.collection = db["service_requests"]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("requested_datetime", ASCENDING)])

    async def save(self, request: ServiceRequest) -> bool:
        """Stores a new request; False when the same submission was stored before (same id)."""
        doc = asdict(request)
        doc["answers"] = [{"question": q, "answer": a} for q, a in request.answers]  # FerretDB: no nested arrays
        doc.update(_id=request.service_request_id, status="open", status_notes=None,
                   updated_datetime=request.requested_datetime)
        try:
            await self.collection.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, request_id: str) -> dict | None:
        return await self.collection.find_one({"_id": {"$eq": request_id}})

    async def find(self, *, ids: list[str] | None = None, codes: list[str] | None = None,
                   statuses: list[str] | None = None, start: datetime | None = None, end: datetime | None = None,
                   limit: int = 1000) -> list[dict]:
        """`GET /requests`: by ids (which override every other filter), else by service codes, statuses and a
        window of `requested_datetime`; newest first, at most `limit`."""
        if ids:
            query: dict = {"_id": {"$in": ids}}
        else:
            query = {}
            if codes:
                query["service_code"] = {"$in": codes}
            if statuses:
                query["status"] = {"$in": statuses}
            window = {k: v for k, v in (("$gte", start), ("$lte", end)) if v is not None}
            if window:
                query["requested_datetime"] = window
        cursor = self.collection.find(query).sort("requested_datetime", DESCENDING).limit(limit)
        return [doc async for doc in cursor]

    async def _set(self, request_id: str, fields: dict, *, attempts: int = 3) -> dict | None:
        """`$set` by `_id`, read back and repeated until the fields hold; the document after, or None."""
        doc = None
        for _ in range(attempts):
            await self.collection.update_one({"_id": {"$eq": request_id}}, {"$set": fields})
            doc = await self.get(request_id)
            if doc is None or all(doc.get(k) == v for k, v in fields.items() if "." not in k):
                return doc
        return doc

    async def add_note(self, request_id: str, note: str, *, status: str | None = None) -> bool:
        """Records the organisation's public answer as the request's `status_notes`; False for an unknown request."""
        update: dict = {"status_notes": note, "updated_datetime": datetime.now(UTC)}
        if status:
            update["status"] = status
        return await self._set(request_id, update) is not None

    async def follow(self, request_id: str, *, status: str, conversation_status: str | None, department: str | None,
                     at: datetime, notice_id: str) -> dict | None:
        """Moves the request to `status` (open or closed) after its conversation changed, with a pending notice to
        the citizen when the Open311 status changed and they gave an email; the document after (None: unknown).
        A notice still pending (its send failed before) stays pending, so a redelivered event sends it."""
        doc = await self.get(request_id)
        if doc is None:
            return None
        fields: dict = {"conversation_status": conversation_status}
        if department:
            fields["department"] = department
        changed = doc.get("status") != status
        if changed:
            fields.update(status=status, updated_datetime=max(at, doc["updated_datetime"]))
            if doc.get("email"):
                fields["pending_notice"] = {"id": notice_id, "status": status}
        if any(doc.get(k) != v for k, v in fields.items()):
            doc = await self._set(request_id, fields)
        return doc

    async def notice_sent(self, request_id: str, notice_id: str) -> None:
        await self.collection.update_one({"_id": {"$eq": request_id}, "pending_notice.id": notice_id},
                                         {"$set": {"pending_notice": None, "last_notice": notice_id}})
