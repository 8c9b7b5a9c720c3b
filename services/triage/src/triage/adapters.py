"""Triage's one external store: staff corrections, kept as labelled examples for the next training run."""

from collections.abc import AsyncIterator

from civic_contracts import TriageCorrection
from pymongo import ASCENDING, AsyncMongoClient


class CorrectionStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        self.corrections = client[database]["triage_corrections"]

    async def ensure_indexes(self) -> None:
        await self.corrections.create_index([("corrected_at", ASCENDING)])

    async def add(self, correction: TriageCorrection) -> None:
        """Idempotent: one example per message and correction time, however often it is delivered."""
        key = f"{correction.message_id}@{correction.corrected_at.isoformat()}"
        await self.corrections.update_one(
            {"_id": key}, {"$set": correction.model_dump(mode="python")}, upsert=True
        )

    async def all(self) -> AsyncIterator[TriageCorrection]:
        async for doc in self.corrections.find({}, projection={"_id": False}).sort([("corrected_at", ASCENDING)]):
            yield TriageCorrection.model_validate(doc)
