"""Offline handovers and their case references.

Case references come from an atomic `$inc` on one counter document per year (`counters`), so two
handovers never get the same number; each handover stores its reference under a unique index."""

from datetime import datetime

from pymongo import ASCENDING, AsyncMongoClient, ReturnDocument
from pymongo.errors import DuplicateKeyError

OPEN_STATES = ("open", "citizen_replied")


class ReferenceTaken(Exception):
    """The case reference is already another handover's."""


class CaseStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.counters = db["counters"]
        self.handovers = db["handovers"]

    async def ensure_indexes(self) -> None:
        await self.handovers.create_index([("case_reference", ASCENDING)], unique=True)
        await self.handovers.create_index([("status", ASCENDING), ("opened_at", ASCENDING)])
        await self.handovers.create_index([("private.channel", ASCENDING), ("private.recipient_id", ASCENDING)])

    async def next_number(self, name: str) -> int:
        """The next number of counter `name` (1, 2, 3, ...), atomically."""
        try:
            doc = await self.counters.find_one_and_update(
                {"_id": name}, {"$inc": {"seq": 1}}, upsert=True, return_document=ReturnDocument.AFTER
            )
        except DuplicateKeyError:  # two first increments raced to create the counter: the other one did
            doc = await self.counters.find_one_and_update(
                {"_id": name}, {"$inc": {"seq": 1}}, return_document=ReturnDocument.AFTER
            )
        return int(doc["seq"])

    async def get(self, handover_id: str) -> dict | None:
        return await self.handovers.find_one({"_id": handover_id})

    async def by_reference(self, reference: str) -> dict | None:
        return await self.handovers.find_one({"case_reference": reference})

    async def create(self, doc: dict) -> tuple[dict, bool]:
        """(the handover, True when created); raises `ReferenceTaken` when its case reference is in use (the
        counter's increment was lost under concurrency on FerretDB: take the next number)."""
        try:
            await self.handovers.insert_one(doc)
            return doc, True
        except DuplicateKeyError:
            existing = await self.get(doc["_id"])
            if existing is None:
                raise ReferenceTaken(doc["case_reference"]) from None
            return existing, False

    async def open_for_private(self, channel: str, recipient_id: str) -> dict | None:
        cursor = self.handovers.find(
            {"private.channel": channel, "private.recipient_id": recipient_id, "status": {"$in": list(OPEN_STATES)}}
        ).sort([("opened_at", ASCENDING)]).limit(1)
        return next(iter([h async for h in cursor]), None)

    async def update(self, handover_id: str, fields: dict, *, only_if: dict | None = None) -> bool:
        result = await self.handovers.update_one({"_id": handover_id, **(only_if or {})}, {"$set": fields})
        return result.modified_count == 1

    async def due(self, now: datetime) -> list[dict]:
        cursor = self.handovers.find(
            {"status": {"$in": list(OPEN_STATES)}, "due_at": {"$lte": now}, "breached": {"$ne": True}}
        ).limit(200)
        return [h async for h in cursor]
