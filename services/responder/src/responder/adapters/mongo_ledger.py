"""The command ledger, the append-only audit log and the conversation timeline.

- `commands`: one document per `InboxCommand.id` (unique `_id`): processing, done or rejected. A command
  delivered again after it finished is skipped; one that was interrupted is carried out again (every step
  is idempotent).
- `audit`: one entry per action (`_id` derived from the command or system event, so a replay writes
  nothing new). Only inserted, never updated or deleted: the inbox API reads it and has no write path.
- `timeline`: the conversation events responder published, for the conversation's history view.
"""

from datetime import datetime

from civic_contracts import ConversationEvent, InboxCommand
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from responder.adapters.mongo_bulk import insert_new


class Ledger:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.commands = db["commands"]
        self.audit = db["audit"]
        self.timeline = db["timeline"]

    async def ensure_indexes(self) -> None:
        await self.audit.create_index([("at", DESCENDING)])
        await self.audit.create_index([("conversation_key", ASCENDING), ("at", DESCENDING)])
        await self.audit.create_index([("actor.user_id", ASCENDING), ("at", DESCENDING)])
        await self.timeline.create_index([("conversation_key", ASCENDING), ("at", ASCENDING)])

    async def begin(self, command: InboxCommand, now: datetime) -> dict | None:
        """Record the command as processing; returns the earlier record if it was seen before."""
        doc = {
            "_id": command.id,
            "action": command.body.action,
            "conversation_key": command.conversation_key,
            "actor_id": command.actor.user_id,
            "issued_at": command.issued_at,
            "received_at": now,
            "status": "processing",
        }
        try:
            await self.commands.insert_one(doc)
        except DuplicateKeyError:
            return await self.commands.find_one({"_id": command.id})
        return None

    async def finish(self, command_id: str, *, ok: bool, reason: str | None, result: dict, now: datetime) -> None:
        await self.commands.update_one(
            {"_id": command_id},
            {"$set": {"status": "done" if ok else "rejected", "reason": reason, "result": result, "finished_at": now}},
        )

    async def append(self, entry: dict) -> bool:
        """Append an audit entry (its `_id` makes a replay a no-op); True when it is new."""
        try:
            await self.audit.insert_one(entry)
        except DuplicateKeyError:
            return False
        return True

    async def append_many(self, entries: list[dict]) -> int:
        """`append` for several entries in one write; returns how many were new."""
        return await insert_new(self.audit, entries)

    async def record_event(self, event: ConversationEvent) -> None:
        try:
            await self.timeline.insert_one(timeline_entry(event))
        except DuplicateKeyError:
            pass

    async def record_events(self, events: list[ConversationEvent]) -> None:
        """`record_event` for several events in one write (FerretDB inserts them in one transaction)."""
        await insert_new(self.timeline, [timeline_entry(e) for e in events])

    async def event(self, event_id: str) -> dict | None:
        """The timeline entry of an event, by `_id`. An entry is written only once its event is safe (sent, or
        in the outbox), so it also marks what a redelivered record already did."""
        return await self.timeline.find_one({"_id": event_id})


def timeline_entry(event: ConversationEvent) -> dict:
    return {"_id": event.id, **event.model_dump(mode="python", exclude={"id"})}


def audit_entry(
    *,
    entry_id: str,
    at: datetime,
    actor: dict,
    action: str,
    conversation_key: str | None,
    account_id: str | None,
    outcome: str,
    reason: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    command_id: str | None = None,
    details: dict | None = None,
) -> dict:
    """One audit log entry: who, what, when, on which conversation, from which official account, with the
    state before and after."""
    return {
        "_id": entry_id,
        "at": at,
        "actor": actor,
        "action": action,
        "conversation_key": conversation_key,
        "account_id": account_id,
        "outcome": outcome,
        "reason": reason,
        "before": before or {},
        "after": after or {},
        "command_id": command_id,
        "details": details or {},
    }
