"""Outbound commands and their progress. The command id is the document `_id`: a command delivered twice is
inserted once, and the second delivery's duplicate-key error means "already done (or being done)".

States: `sending` (claimed, with a lease), `waiting` (due again at `next_attempt_at`: rate-limited or a
transient error), `refused` (outside a messaging window; needs a person or a template), `sent`, `failed`.
A `sending` command whose lease ran out (its process died mid-send) is picked up again by the retry scan.

Claims are safe with several replicas on MongoDB and on FerretDB v1 alike: FerretDB applies a find-and-modify
without isolation (two replicas scanning at once both "won" the same due command and both sent it, seen in the
fault suite), so each claim of a due command is also a unique insert keyed by the version it claimed (the
command's `updated_at`), which exactly one replica wins."""

from datetime import UTC, datetime, timedelta

from civic_contracts.outbound import OutboundCommand
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

SENDING, WAITING, REFUSED, SENT, FAILED = "sending", "waiting", "refused", "sent", "failed"


class Outbox:
    def __init__(self, db: AsyncDatabase, *, lease_seconds: float = 120.0) -> None:
        self.commands = db["outbox"]
        self.limits = db["account_limits"]
        self.claims = db["outbox_claims"]
        self.lease = timedelta(seconds=lease_seconds)

    async def ensure_indexes(self) -> None:
        await self.commands.create_index([("state", ASCENDING), ("next_attempt_at", ASCENDING)])

    async def claim_new(self, command: OutboundCommand) -> dict | None:
        """Claims a command never seen before; returns None, and the stored document, for a duplicate."""
        now = datetime.now(UTC)
        doc = {"_id": command.id, "command": command.model_dump(mode="json"), "state": SENDING, "attempts": 0,
               "lease_until": now + self.lease, "next_attempt_at": None, "created_at": now, "updated_at": now,
               "status_published": False}
        try:
            await self.commands.insert_one(doc)
        except DuplicateKeyError:
            return None
        return doc

    async def get(self, command_id: str) -> dict | None:
        return await self.commands.find_one({"_id": command_id})

    async def claim_due(self, now: datetime | None = None) -> dict | None:
        """Claims the oldest waiting command that is due (or a `sending` one whose lease expired)."""
        now = now or datetime.now(UTC)
        before = await self.commands.find_one_and_update(
            {"$or": [{"state": WAITING, "next_attempt_at": {"$lte": now}},
                     {"state": SENDING, "lease_until": {"$lt": now}}]},
            {"$set": {"state": SENDING, "lease_until": now + self.lease, "updated_at": now}},
            sort=[("next_attempt_at", ASCENDING), ("created_at", ASCENDING)],
            return_document=ReturnDocument.BEFORE,
        )
        if before is None:
            return None
        try:
            await self.claims.insert_one({"_id": f"{before['_id']}@{before['updated_at'].isoformat()}", "at": now})
        except DuplicateKeyError:
            return None  # another replica claimed this very version of the command
        return {**before, "state": SENDING, "lease_until": now + self.lease, "updated_at": now}

    async def record(self, command_id: str, state: str, *, attempted: bool = True, **fields: object) -> None:
        """Moves a command to `state` with the outcome fields (platform id, error, next attempt)."""
        update: dict = {"$set": {"state": state, "updated_at": datetime.now(UTC), "status_published": False,
                                 "lease_until": None, **fields}}
        if attempted:
            update["$inc"] = {"attempts": 1}
        await self.commands.update_one({"_id": command_id}, update)

    async def mark_published(self, command_id: str) -> None:
        await self.commands.update_one({"_id": command_id}, {"$set": {"status_published": True}})

    # Per-account pauses after a rate limit: shared by every replica, never shortened by a later answer.
    async def pause(self, channel: str, account: str, until: datetime) -> None:
        key = f"{channel}:{account}"
        try:
            await self.limits.update_one({"_id": key}, {"$max": {"until": until}}, upsert=True)
        except DuplicateKeyError:
            await self.limits.update_one({"_id": key}, {"$max": {"until": until}})

    async def paused_until(self, channel: str, account: str, now: datetime | None = None) -> datetime | None:
        doc = await self.limits.find_one({"_id": f"{channel}:{account}"})
        until = (doc or {}).get("until")
        return until if until and until > (now or datetime.now(UTC)) else None
