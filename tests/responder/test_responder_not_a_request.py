"""A conversation that is not a request (triage's intent): stored with the reason, in no queue, no SLA, never
assigned automatically; cleared by a later message that is a request; closed with "no reply needed" on the
timeline and in the audit log. Through responder's use cases against the real MongoDB-wire server."""

from datetime import timedelta

import pytest
from responder.service import jobs
from responder_world import World, actor

pytestmark = pytest.mark.integration

THANKS = {"kind": "not_actionable", "reason": "thanks"}
REQUEST = {"kind": "request"}


async def counter(world: World, name: str) -> int:
    await world.r.conversations.counters.flush()
    return await world.r.conversations.counters.get(name)


async def test_a_thank_you_is_not_a_request_until_a_later_message_asks_for_something(world: World) -> None:
    thanks = await world.message("Thanks @council, great job on the bins this week!")
    stored = await world.triage(thanks, department="general", intent=THANKS)
    key = stored["_id"]
    assert stored["intent"] == "not_actionable" and stored["not_a_request"] == "thanks"
    assert stored["department"] == "general" and stored["status"] == "new"
    assert stored.get("sla") is None  # no clocks run on it
    assert await counter(world, "queue:general:waiting") == 0  # in no department's queue
    # Days later nothing has breached: there is nothing to breach.
    world.clock.now += timedelta(days=5)
    assert (await jobs.tick(world.r))["sla"] == 0
    assert "sla_breached" not in world.published.types(key)

    # The citizen then asks for something in the same conversation: it is work from that message on.
    asked_at = world.clock.now
    request = await world.message("Also the streetlight outside no 4 Albion Street is out", key=key)
    after = await world.triage(request, department="street_lighting", intent=REQUEST)
    assert after["not_a_request"] is None and after["intent"] == "request"
    assert after["department"] == "street_lighting" and after["work_since"] == asked_at
    assert after["sla"]["start"] == asked_at and after["sla"]["target"]["department"] == "street_lighting"
    assert await counter(world, "queue:street_lighting:waiting") == 1


async def test_thanks_on_open_work_changes_nothing_but_after_an_answer_it_needs_no_reply(world: World) -> None:
    first = await world.message("Pothole on Albion Street, about a foot wide")
    work = await world.triage(first, department="highways", intent=REQUEST)
    key = work["_id"]
    still_open = await world.triage(await world.message("thanks", key=key), department="general", intent=THANKS)
    assert still_open["department"] == "highways" and still_open.get("not_a_request") is None
    assert still_open["sla"]["target"]["department"] == "highways"
    assert await counter(world, "queue:highways:waiting") == 1

    _, resolved = await world.run(actor("ann"), key, {"action": "resolve"})
    assert resolved.ok
    world.clock.now += timedelta(hours=2)
    after_answer = await world.triage(await world.message("Brilliant, thank you!", key=key), department="general",
                                      intent=THANKS)
    # The thank-you reopened it, but asks for nothing: out of the queue, no clocks, still with highways.
    assert after_answer["status"] == "new" and after_answer["not_a_request"] == "thanks"
    assert after_answer["department"] == "highways" and after_answer.get("sla") is None
    assert await counter(world, "queue:highways:waiting") == 0


async def test_never_assigned_automatically(world: World) -> None:
    await world.add_user("wyn", "department_staff", ["waste"])  # waste assigns round robin in this world
    praise = await world.triage(await world.message("Love the new recycling centre"), department="waste",
                                intent={"kind": "not_actionable", "reason": "praise"})
    assert praise["not_a_request"] == "praise" and praise.get("assignee") is None
    assert (await jobs.tick(world.r))["assigned"] == 0
    assert (await world.r.conversations.get(praise["_id"])).get("assignee") is None
    work = await world.conversation("Bins not collected on Mill Lane", department="waste")
    assert work["assignee"] == "wyn"


async def test_no_reply_needed_closes_it_with_the_reason_on_the_timeline_and_in_the_audit_log(world: World) -> None:
    stored = await world.triage(await world.message("RT @localnews: council tax up 5% next year"),
                                department="general", intent={"kind": "not_actionable", "reason": "news"})
    key = stored["_id"]
    command, outcome = await world.run(actor("ann"), key, {"action": "close", "reason": "no_reply_needed"})
    assert outcome.ok
    closed = await world.r.conversations.get(key)
    assert closed["status"] == "closed" and closed["closed_reason"] == "no_reply_needed"
    event = await world.db["timeline"].find_one({"_id": f"{command.id}:closed"})
    assert event["data"] == {"from": "new", "to": "closed", "reason": "no_reply_needed", "not_a_request": "news"}
    assert "no reply needed" in event["summary"] and "news" in event["summary"]
    audit = await world.db["audit"].find_one({"_id": command.id})
    assert audit["action"] == "close" and audit["outcome"] == "done"
    assert audit["details"]["request"]["reason"] == "no_reply_needed"
    assert audit["after"]["closed_reason"] == "no_reply_needed" and audit["after"]["status"] == "closed"
    # Closed again without a reason (after the citizen wrote again): the old reason does not linger.
    world.clock.now += timedelta(minutes=5)
    await world.triage(await world.message("pls fix the lamp outside no 4", key=key), department="street_lighting",
                       intent=REQUEST)
    _, again = await world.run(actor("ann"), key, {"action": "close"})
    assert again.ok and (await world.r.conversations.get(key)).get("closed_reason") is None


async def test_a_person_re_routing_it_makes_it_work(world: World) -> None:
    stored = await world.triage(await world.message("@council you lot are useless"), department="general",
                                intent={"kind": "not_actionable", "reason": "opinion"})
    _, rerouted = await world.run(actor("ann"), stored["_id"], {"action": "reroute", "department": "waste"})
    assert rerouted.ok
    after = await world.r.conversations.get(stored["_id"])
    assert after["not_a_request"] is None and after["department"] == "waste" and after["sla"]["start"] == world.clock.now


async def test_a_handovers_private_thread_is_work_even_when_it_opens_with_thanks(world: World) -> None:
    from civic_contracts import TriageResult
    from responder.domain.intent import intent_update, was_work

    private = {"_id": "messenger:p:1", "status": "assigned", "handover_role": "private", "case_reference": "CI-1",
               "department": "housing"}
    result = TriageResult(message_id="m1", conversation_key="messenger:p:1", department="general", urgency="normal",
                          sentiment={"label": "positive", "score": 0.5}, abuse="none", language="en", confidence=0.9,
                          explanation={"summary": "t"}, classifier_version="t", classified_at=world.clock.now,
                          intent={"kind": "not_actionable", "reason": "thanks"})
    assert was_work(private) and intent_update(private, result) == {}
