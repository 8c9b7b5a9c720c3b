"""Erasure: a person's personal data removed from every collection that holds it (their messages' text,
identity, raw payload and attachments; conversations they began; evidence and abuse records; handover
contact details; the recipient of replies), leaving each message as a tombstone and the audit trail with an
entry that says what was erased, when, and under which request. Refused while a legal hold covers them."""

from collections.abc import Awaitable, Callable
from datetime import datetime

from civic_contracts.records import KeyChange, PersonErased

from responder.adapters.mongo_moderation import author_key
from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import Person
from responder.service.records.audit import records_audit


class ErasureRefused(Exception):
    """The erasure cannot go ahead (a legal hold covers the person, or nothing identifies them)."""


def tombstone(at: datetime, request: str) -> str:
    return f"Message erased on {at:%Y-%m-%d} under request {request}"


async def erase(store: RecordsStore, person_values: list[str], *, reason: str, request: str, now: datetime,
                actor: dict, announce: Callable[[PersonErased], Awaitable[None]] | None = None) -> dict:
    """Erases the person here and announces it (`records.erased.v1`, through `announce`: the outbox) so the
    connectors erase their copy (service requests, email threads, ledger, outbound commands). The announcement
    is written once the holds allowed the erasure and before anything is changed: a failure after it leaves the
    command to be retried, and the retry finds what is left (the person's old keys are known only now)."""
    person = Person.parse(person_values)
    if not person.ids and not person.handles:
        raise ErasureRefused("no identifier names the person")
    query = store.by_author(sorted(person.ids), sorted(person.handles))
    own = [m async for m in store.messages_where(query)]
    holds = await store.holds_in_force()
    blocking = sorted({h.id for h in holds for m in own if h.covers(m)}
                      | {h.id for h in holds if h.person and set(Person.parse(h.person).ids) & set(person.ids)})
    if blocking:
        await records_audit(store, entry_id=f"erase:{request}:refused:{now.isoformat()}", at=now, actor=actor,
                            action="erase", outcome="rejected", reason=f"under legal hold {', '.join(blocking)}",
                            details={"request": request, "holds": blocking})
        raise ErasureRefused(f"under legal hold: {', '.join(blocking)}")
    stand_in = person.tombstone_id()
    keys = sorted({m["conversation_key"] for m in own})
    # Keys of private threads hold the person's number, address or id: those conversations move to new keys.
    renamed = {key: _without(key, person, stand_in) for key in keys}
    if announce is not None:
        await announce(PersonErased(id=f"erase:{request}", request=request, at=now, person=sorted(person_values),
                                    stand_in=stand_in, tombstone=tombstone(now, request),
                                    conversations=[KeyChange(old=o, new=n) for o, n in renamed.items()]))
    erased_author = {"platform_id": stand_in, "name": None, "handle": None}
    message_ids = [m["_id"] for m in own]
    counts = {"messages": await store.update_each("messages", message_ids, {
        "$set": {"text": tombstone(now, request), "author": erased_author, "attachments": [], "permalink": None,
                 "triage.pii": [], "erased": {"at": now, "request": request}},
        "$unset": {"raw_payload": "", "versions": ""},  # earlier versions of an edited message go too
    })}
    began = [c["_id"] for c in await store.conversations_by_keys(keys) if person.wrote(c)]
    counts["conversations"] = await store.update_each("conversations", began, {
        "$set": {"author": erased_author, "erased": {"at": now, "request": request}}})
    author_keys = sorted({author_key(m["channel"], str(m["author"]["platform_id"])) for m in own if m.get("author")})
    counts["evidence"] = await store.delete_by("evidence", "author_key", author_keys)
    counts["abuse_events"] = await store.delete_by("abuse_events", "author_key", author_keys)
    counts["author_abuse"] = await store.delete("author_abuse", author_keys)
    counts["banned_authors"] = await store.delete("banned_authors", author_keys)
    found = await store.handovers_for(sorted(person.ids))
    handovers = [h["_id"] for h in found]
    counts["handovers"] = await store.update_each("handovers", handovers, {"$set": {"private.recipient_id": stand_in}})
    contacts = sorted({f"{h['private']['channel']}:{h['private']['recipient_id']}" for h in found if h.get("private")})
    counts["handover_contacts"] = await store.delete("handover_contacts", contacts)  # `<channel>:<their number>`
    replies = [r["_id"] for r in await store.related("replies", keys) if r.get("recipient_id") in person.ids]
    counts["replies"] = await store.update_each("replies", replies, {"$set": {"recipient_id": stand_in}})
    for old, new in renamed.items():
        if new != old:
            await store.rekey(old, new)
    counts["conversations_rekeyed"] = sum(1 for old, new in renamed.items() if new != old)
    record = {"request": request, "reason": reason, "tombstone": stand_in, "counts": counts,
              "conversations": sorted(renamed.values()), "messages": len(message_ids)}
    await records_audit(store, entry_id=f"erase:{request}", at=now, actor=actor, action="erase", reason=reason,
                        details=record)
    return {**record, "renamed": renamed}  # old keys name the person: for live views only, never stored


def _without(key: str, person: Person, stand_in: str) -> str:
    """The conversation key with every part that is one of the person's identifiers replaced."""
    parts = key.split(":")
    channel, rest = parts[0], ":".join(parts[1:])
    for value in sorted(person.ids, key=len, reverse=True):
        if value and value in rest.split(":")[1:]:
            rest = ":".join(stand_in if p == value else p for p in rest.split(":"))
    return f"{channel}:{rest}"
