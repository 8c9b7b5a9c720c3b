"""The periodic job (FerretDB has no TTL indexes or change streams, so time-driven work is polled):
SLA warnings and breaches, handover SLA breaches, assignment of conversations waiting in automatic queues,
re-publishing sends whose claim never reached Kafka, the outbox relay (what Kafka did not acknowledge),
and, less often, the repair of the kept counters. Idempotent: each mark is set once, and events keep
stable ids, so several replicas running it at once publish the same events at worst."""

import asyncio
import logging
import time
from datetime import timedelta

from civic_contracts import ConversationEventType, Phrase

from responder.adapters.mongo_counters import count_conversations
from responder.domain import sla
from responder.domain.states import FINISHED, UNTOUCHED
from responder.service import assignment, leave, replies
from responder.service.context import Responder
from responder.service.intake import raise_duty_alert

log = logging.getLogger(__name__)
E = ConversationEventType
STUCK_AFTER = timedelta(minutes=2)


async def tick(r: Responder) -> dict[str, int]:
    """Run every check once at `r.now()`; returns how much each found."""
    found = {
        "sla": await check_sla(r),
        "handovers": await check_handovers(r),
        "absences": await leave.tick(r),  # absences that start or end by themselves
        "assigned": await assign_waiting(r),
        "republished": await republish_stuck(r),
    }
    await r.conversations.counters.flush()
    found["relayed"] = await relay_outbox(r)
    return found


async def relay_outbox(r: Responder, *, older_than: timedelta = timedelta(seconds=10)) -> int:
    """Publish what the outbox still holds (a send Kafka did not acknowledge, or one a stop interrupted)."""
    relay = getattr(r.publisher, "relay", None)
    return 0 if relay is None else await relay(older_than=older_than)


async def repair_counters(r: Responder) -> dict[str, int]:
    """Recount the kept counters from the stored state and correct drift; returns {counter: corrected value}.
    Scans conversations and abuse events: run it every few minutes, not per message."""
    fixed = await r.conversations.counters.repair(lambda: count_conversations(r.conversations.conversations))
    fixed.update({f"abuse:{a}": n for a, n in (await r.moderation.repair_counts()).items()})
    if fixed:
        log.warning("counter repair corrected %d counters: %s", len(fixed), sorted(fixed)[:20])
    return fixed


async def check_sla(r: Responder) -> int:
    now = r.now()
    query = {"status": {"$nin": list(FINISHED)}, "$or": [
        {f"sla.{clock}.met_at": None, f"sla.{clock}.warn_at": {"$lte": now}, f"sla.{clock}.breached": {"$ne": True}}
        for clock in sla.CLOCKS
    ]}
    raised = 0
    for found in await r.conversations.find(query):
        async with r.lock(found["_id"]):
            raised += await _check_conversation(r, await r.conversations.get(found["_id"]) or found, now)
    return raised


async def _check_conversation(r: Responder, conversation: dict, now) -> int:
    if conversation.get("status") in FINISHED or not conversation.get("sla"):
        return 0
    clocks, raised = conversation["sla"], 0
    for finding in sla.findings(clocks, now):
        flag = "breached" if finding.kind == "breach" else "warned"
        event_id = f"sla:{conversation['_id']}:{finding.clock}:{finding.kind}:{clocks['start'].isoformat()}"
        await r.emit(event_id=event_id, type=E.SLA_BREACHED if finding.kind == "breach" else E.SLA_WARNING,
                     summary=Phrase.of("%(clock)s target missed" if finding.kind == "breach" else "%(clock)s due soon",
                                       clock=finding.clock),
                     conversation_key=conversation["_id"], conversation=conversation,
                     data={"clock": finding.clock, "due": finding.due.isoformat(),
                           "urgency": clocks["target"]["urgency"], "calendar": clocks["target"]["calendar"]})
        await r.conversations.set_fields(conversation["_id"], {f"sla.{finding.clock}.{flag}": True})
        await r.audit_system(entry_id=event_id, action=f"sla_{finding.kind}", conversation=conversation,
                             conversation_key=conversation["_id"],
                             details={"clock": finding.clock, "due": finding.due.isoformat()})
        if finding.kind == "breach" and conversation.get("urgency") in ("critical", "high"):
            await raise_duty_alert(r, conversation, reason=f"sla_breach_{finding.clock}")
        raised += 1
    return raised


async def check_handovers(r: Responder) -> int:
    now = r.now()
    breached = 0
    for case in await r.cases.due(now):
        async with r.lock(case["conversation_key"]):
            breached += await _breach_handover(r, case, now)
    return breached


async def _breach_handover(r: Responder, case: dict, now) -> int:
    if not await r.cases.update(case["_id"], {"breached": True, "breached_at": now}, only_if={"breached": {"$ne": True}}):
        return 0
    event_id = f"sla:{case['_id']}:handover:breach"
    await r.emit(event_id=event_id, type=E.SLA_BREACHED, summary=Phrase.of("%(reference)s: private thread not answered in time", reference=case["case_reference"]),
                 conversation_key=case["conversation_key"],
                 data={"clock": "handover", "case_reference": case["case_reference"], "due": case["due_at"].isoformat()})
    await r.audit_system(entry_id=event_id, action="sla_breach", conversation=None, conversation_key=case["conversation_key"],
                         details={"clock": "handover", "case_reference": case["case_reference"]})
    return 1


async def assign_waiting(r: Responder) -> int:
    automatic = [d for d, s in r.policy.assignment.departments.items() if s != "manual"]
    if r.policy.assignment.default != "manual":
        query = {"department": {"$ne": None}}
    elif automatic:
        query = {"department": {"$in": automatic}}
    else:
        return 0
    query.update({"status": {"$in": list(UNTOUCHED)}, "assignee": None, "routing_blocked": {"$ne": True},
                  "needs_review": {"$ne": True}, "not_a_request": None})
    assigned = 0
    for found in await r.conversations.find(query, limit=100):
        async with r.lock(found["_id"]):
            conversation = await r.conversations.get(found["_id"]) or found
            if await assignment.auto_assign(r, conversation, cause="backlog") is not None:
                assigned += 1
    return assigned


async def republish_stuck(r: Responder) -> int:
    stuck = await r.replies.undispatched(r.now() - STUCK_AFTER)
    for reply in stuck:
        async with r.lock(reply["conversation_key"]):
            await replies.republish(r, reply)
    return len(stuck)


async def run_forever(r: Responder, interval_seconds: float, *, repair_every_seconds: float = 600.0) -> None:
    repaired_at = time.monotonic()
    while True:
        try:
            found = await tick(r)
            if any(found.values()):
                log.info("periodic job: %s", found)
            if time.monotonic() - repaired_at >= repair_every_seconds:
                repaired_at = time.monotonic()
                await repair_counters(r)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - logged; the next tick tries again
            log.exception("periodic job failed")
        await asyncio.sleep(interval_seconds)
