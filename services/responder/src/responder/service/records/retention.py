"""The retention job: deletes or anonymises what the schedule says is due, never what a legal hold covers,
and records what it did (a run document and one audit entry). Run daily by responder's periodic job and by
`civic-inbox records retention [--dry-run]`."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime

from civic_contracts.records import EXPORTS_COLLECTION, RetentionApplied

from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import Hold, RetentionSchedule
from responder.service.records.audit import records_audit

SYSTEM = {"user_id": "system", "name": "Retention schedule", "role": "system"}
DAY_SECONDS = 86_400


def _held(holds: list[Hold], doc: dict) -> bool:
    return any(h.covers(doc) for h in holds)


async def run(store: RecordsStore, schedule: RetentionSchedule, *, now: datetime, dry_run: bool = False,
              actor: dict | None = None, announce: Callable[[RetentionApplied], Awaitable[None]] | None = None) -> dict:
    """Apply the schedule once; returns the run's record (what was due, done and kept under hold). A real run
    is then announced (`records.retention.v1`: the cutoffs and the holds in force) through `announce`, so the
    connectors apply the same schedule to their own records."""
    holds = await store.holds_in_force()
    cut = schedule.cutoffs(now)
    counts: dict[str, int] = {}
    held: dict[str, int] = {}

    # Whole conversations: closed or resolved, and quiet for longer than the schedule keeps them.
    closed = await store.closed_before(cut["conversations"])
    held_keys = {c["_id"] for c in closed if any(h.conversation_key == c["_id"] for h in holds)}
    candidates = [c["_id"] for c in closed if c["_id"] not in held_keys]
    if candidates:  # a held person or period inside a conversation keeps the whole conversation
        for message in await store.related("messages", candidates):
            if _held(holds, message):
                held_keys.add(message["conversation_key"])
    due = [k for k in candidates if k not in held_keys]
    held["conversations"] = len(held_keys)
    counts["conversations"] = len(due)
    if due and not dry_run:
        for collection in ("messages", "notes", "replies", "timeline", "handovers"):
            counts[f"conversations_{collection}"] = await store.delete_related(collection, due)
        await store.delete("conversations", due)

    # Single messages past their own limit (in conversations still open, for example).
    await _by_age(store, holds, "messages", "sent_at", cut["messages"], counts, held, dry_run,
                  change=None)
    # Parts of messages: the raw payload after the replay window, attachment references after theirs.
    await _by_age(store, holds, "raw_payload", "sent_at", cut["raw_payload"], counts, held, dry_run,
                  change={"$unset": {"raw_payload": ""}}, extra={"raw_payload": {"$exists": True}})
    await _by_age(store, holds, "attachments", "sent_at", cut["attachments"], counts, held, dry_run,
                  change={"$set": {"attachments": []}}, extra={"attachments.0": {"$exists": True}})
    # Evidence of abuse, the audit log and export bundles.
    await _by_age(store, holds, "evidence", "captured_at", cut["evidence"], counts, held, dry_run, change=None)
    await _by_age(store, [], "audit", "at", cut["audit"], counts, held, dry_run, change=None)
    await _by_age(store, [], EXPORTS_COLLECTION, "made_at", cut["exports"], counts, held, dry_run, change=None)

    record = {"_id": f"retention:{uuid.uuid4()}", "kind": "retention", "dry_run": dry_run, "started_at": now,
              "schedule": schedule.model_dump(), "due" if dry_run else "done": counts, "kept_under_hold": held,
              "holds_in_force": [h.id for h in holds]}
    await store.record_run(record)
    await records_audit(store, entry_id=record["_id"], at=now, actor=actor or SYSTEM,
                        action="retention_dry_run" if dry_run else "retention",
                        details={"counts": counts, "kept_under_hold": held})
    if announce is not None and not dry_run:
        await announce(RetentionApplied(id=record["_id"], at=now, cutoffs=cut, holds=holds))
    return record


async def _by_age(store: RecordsStore, holds: list[Hold], kind: str, field: str, cutoff: datetime,
                  counts: dict, held: dict, dry_run: bool, *, change: dict | None, extra: dict | None = None) -> None:
    collection = {"raw_payload": "messages", "attachments": "messages"}.get(kind, kind)
    found = await store.ids_before(collection, field, cutoff, extra)
    keep = [d["_id"] for d in found if _held(holds, _as_message(d))]
    due = [d["_id"] for d in found if d["_id"] not in set(keep)]
    counts[kind], held[kind] = len(due), len(keep)
    if dry_run or not due:
        return
    if change is None:
        await store.delete(collection, due)
    else:
        await store.update_each(collection, due, change)


def _as_message(doc: dict) -> dict:
    """Evidence and messages both carry conversation, author and time; holds read them alike."""
    return {"conversation_key": doc.get("conversation_key"), "author": doc.get("author"), "sent_at": doc.get("sent_at")}


async def due_today(store: RecordsStore, now: datetime) -> bool:
    """Whether the daily run has not happened in the last day."""
    last = await store.last_run("retention")
    return last is None or (now - last["started_at"]).total_seconds() >= DAY_SECONDS
