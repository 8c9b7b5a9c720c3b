"""Offline handovers and their case references.

Case references come from an atomic `$inc` on one counter document per year (`counters`), so two
handovers never get the same number; each handover stores its reference under a unique index.

Every private message asks whether a handover waits for its sender; `handover_contacts` answers by `_id`
(`<channel>:<recipient>` -> handover ids), so that question never scans `handovers` (FerretDB's SQLite backend
serves only `_id` lookups from an index)."""

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
        self.contacts = db["handover_contacts"]

    async def ensure_indexes(self) -> None:
        await self.handovers.create_index([("case_reference", ASCENDING)], unique=True)
        await self.handovers.create_index([("status", ASCENDING), ("opened_at", ASCENDING)])
        await self.handovers.create_index([("private.channel", ASCENDING), ("private.recipient_id", ASCENDING)])
        if await self.contacts.find_one({"_id": "~indexed"}) is None:  # handovers opened before the lookup existed
            async for case in self.handovers.find({}, projection={"private": True}):
                await self._remember_contact(case)
            await self.contacts.update_one({"_id": "~indexed"}, {"$set": {"handovers": []}}, upsert=True)

    async def _remember_contact(self, case: dict) -> None:
        private = case.get("private") or {}
        if private.get("channel") and private.get("recipient_id"):
            await self.contacts.find_one_and_update({"_id": f"{private['channel']}:{private['recipient_id']}"},
                                                    {"$addToSet": {"handovers": case["_id"]}}, upsert=True)

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
            await self._remember_contact(doc)
            return doc, True
        except DuplicateKeyError:
            existing = await self.get(doc["_id"])
            if existing is None:
                raise ReferenceTaken(doc["case_reference"]) from None
            await self._remember_contact(existing)
            return existing, False

    async def open_for_private(self, channel: str, recipient_id: str) -> dict | None:
        """The oldest open handover whose private thread goes to this sender on this channel (by `_id` reads)."""
        contact = await self.contacts.find_one({"_id": f"{channel}:{recipient_id}"})
        cases = [await self.get(i) for i in (contact or {}).get("handovers", [])]
        open_ = [c for c in cases if c is not None and c.get("status") in OPEN_STATES]
        return min(open_, key=lambda c: c["opened_at"], default=None)

    async def update(self, handover_id: str, fields: dict, *, only_if: dict | None = None) -> bool:
        result = await self.handovers.update_one({"_id": handover_id, **(only_if or {})}, {"$set": fields})
        return result.modified_count == 1

    async def due(self, now: datetime) -> list[dict]:
        cursor = self.handovers.find(
            {"status": {"$in": list(OPEN_STATES)}, "due_at": {"$lte": now}, "breached": {"$ne": True}}
        ).limit(200)
        return [h async for h in cursor]
