"""Legal holds: placed and released by a named person with a reason, each on the audit log. While a hold is
in force, retention and erasure leave what it covers alone."""

import uuid
from datetime import datetime

from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import Hold
from responder.service.records.audit import records_audit


class HoldError(ValueError):
    """The hold cannot be placed or released as asked."""


async def place(store: RecordsStore, *, reason: str, actor: dict, now: datetime, conversation_key: str | None = None,
                person: list[str] | None = None, since: datetime | None = None, until: datetime | None = None) -> Hold:
    if not (conversation_key or person or since or until):
        raise HoldError("a hold needs a conversation, a person or a date range")
    if since and until and since >= until:
        raise HoldError("the date range ends before it starts")
    hold = Hold(id=f"hold:{uuid.uuid4().hex[:12]}", conversation_key=conversation_key, person=person or [],
                since=since, until=until, reason=reason, by=actor.get("user_id", "unknown"), placed_at=now)
    await store.place_hold(hold)
    await records_audit(store, entry_id=hold.id, at=now, actor=actor, action="legal_hold", reason=reason,
                        conversation_key=conversation_key,
                        details={"hold_id": hold.id, "people": len(hold.person), "since": str(since) if since else None,
                                 "until": str(until) if until else None})
    return hold


async def release(store: RecordsStore, hold_id: str, *, reason: str, actor: dict, now: datetime) -> dict:
    before = await store.release_hold(hold_id, by=actor.get("user_id", "unknown"), at=now, reason=reason)
    if before is None:
        raise HoldError(f"no hold {hold_id} in force")
    await records_audit(store, entry_id=f"{hold_id}:released", at=now, actor=actor, action="legal_hold_released",
                        reason=reason, conversation_key=before.get("conversation_key"), details={"hold_id": hold_id})
    return before
