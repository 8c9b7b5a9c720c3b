"""Assignment, SLA with an injected clock, duty alerts, re-routing, reopening, moderation and the audit log,
through responder's use cases against real FerretDB."""

from datetime import UTC, datetime, timedelta

import pytest
from civic_contracts.outbound import ReplyStatus
from responder.service import jobs, replies
from responder_world import World, actor

pytestmark = pytest.mark.integration


async def test_round_robin_within_capacity_and_never_to_someone_on_leave(world: World) -> None:
    for user in ("wyn", "zoe"):
        await world.add_user(user, "department_staff", ["waste"])
    await world.add_user("hal", "department_staff", ["highways"])
    got = [(await world.conversation(department="waste")).get("assignee") for _ in range(4)]
    assert sorted(got) == ["wyn", "wyn", "zoe", "zoe"] and got[0] != got[1]
    # Capacity 2 each: the fifth waits in the queue, and the job assigns it once someone has room.
    waiting = await world.conversation(department="waste")
    assert waiting.get("assignee") is None and waiting["status"] == "new"
    busy = await world.r.conversations.find({"assignee": "wyn"})
    await world.run(actor("wyn", role="department_staff", departments=["waste"]), busy[0]["_id"], {"action": "resolve"})
    assert (await jobs.tick(world.r))["assigned"] == 1
    assert (await world.r.conversations.get(waiting["_id"]))["assignee"] == "wyn"
    # On leave, with open work moved back to the queue in the same action.
    _, leave = await world.run(actor("sue", role="supervisor"), None,
                               {"action": "set_absence", "user_id": "zoe", "on_leave": True, "move_open_work_to": "queue"})
    assert leave.ok and len(leave.result["moved"]) == 2
    assert await world.r.conversations.count({"assignee": "zoe"}) == 0
    await jobs.tick(world.r)
    assert await world.r.conversations.count({"assignee": "zoe"}) == 0


async def test_least_loaded_and_welsh_to_welsh_speakers(world: World) -> None:
    await world.add_user("pat", "department_staff", ["parks_trees"])
    await world.add_user("rhi", "department_staff", ["parks_trees"], languages=["en", "cy"])
    first = await world.conversation(department="parks_trees")
    second = await world.conversation(department="parks_trees")
    assert {first["assignee"], second["assignee"]} == {"pat", "rhi"}
    welsh = await world.conversation("Mae'r goeden wedi cwympo", department="parks_trees", language="cy")
    assert welsh["assignee"] == "rhi"


async def test_claim_release_and_assign(world: World) -> None:
    await world.add_user("bob", "agent", ["*"])
    convo = await world.conversation()
    key = convo["_id"]
    _, claimed = await world.run(actor("ann"), key, {"action": "claim"})
    assert claimed.ok and claimed.before == {"status": "new", "assignee": None}
    assert claimed.after == {"status": "assigned", "assignee": "ann"}
    _, stolen = await world.run(actor("bob"), key, {"action": "claim"})
    assert not stolen.ok and "already assigned" in stolen.reason
    _, not_mine = await world.run(actor("bob"), key, {"action": "release"})
    assert not not_mine.ok
    _, released = await world.run(actor("ann"), key, {"action": "release"})
    assert released.ok and (await world.r.conversations.get(key))["status"] == "new"
    _, by_agent = await world.run(actor("ann"), key, {"action": "assign", "assignee": "bob"})
    assert not by_agent.ok
    _, by_supervisor = await world.run(actor("sue", role="supervisor"), key, {"action": "assign", "assignee": "bob"})
    assert by_supervisor.ok and (await world.r.conversations.get(key))["assignee"] == "bob"


async def test_department_staff_cannot_act_on_another_departments_conversation(world: World) -> None:
    convo = await world.conversation(department="waste")
    command, outcome = await world.run(actor("hal", role="department_staff", departments=["highways"]), convo["_id"],
                                       {"action": "note", "text": "mine now"})
    assert not outcome.ok and "another department" in outcome.reason
    entry = await world.r.ledger.audit.find_one({"_id": command.id})
    assert entry["outcome"] == "rejected" and entry["actor"]["user_id"] == "hal"
    assert await world.db["notes"].count_documents({}) == 0


async def test_sla_warning_then_breach_on_the_business_calendar(world: World) -> None:
    # Friday 16 January 2026, 15:00: a high-urgency message (120 business minutes; Friday closes at 16:30).
    world.clock.now = datetime(2026, 1, 16, 15, 0, tzinfo=UTC)
    convo = await world.conversation(urgency="high")
    assert convo["sla"]["first_response"]["due"] == datetime(2026, 1, 19, 9, 30, tzinfo=UTC)
    world.clock.now = datetime(2026, 1, 16, 16, 0, tzinfo=UTC)
    assert (await jobs.tick(world.r))["sla"] == 0
    world.clock.now = datetime(2026, 1, 17, 12, 0, tzinfo=UTC)  # Saturday: warned (75% gone), not breached
    assert (await jobs.tick(world.r))["sla"] == 1
    world.clock.now = datetime(2026, 1, 18, 23, 0, tzinfo=UTC)  # still the weekend
    assert (await jobs.tick(world.r))["sla"] == 0
    world.clock.now = datetime(2026, 1, 19, 9, 31, tzinfo=UTC)
    assert (await jobs.tick(world.r))["sla"] == 1
    types = world.published.types(convo["_id"])
    assert types.count("sla_warning") == 1 and types.count("sla_breached") == 1
    sla = (await world.r.conversations.get(convo["_id"]))["sla"]["first_response"]
    assert sla["warned"] and sla["breached"]
    assert await world.r.ledger.audit.count_documents({"action": "sla_breach", "conversation_key": convo["_id"]}) == 1


async def test_a_reply_in_time_meets_the_clock(world: World) -> None:
    convo = await world.conversation()
    command, _ = await world.run(actor(), convo["_id"], {"action": "reply", "text": "On it."})
    await replies.on_status(world.r, ReplyStatus(command_id=command.id, conversation_key=convo["_id"], channel="facebook",
                                                 status="sent", at=world.clock.now))
    world.clock.now += timedelta(days=3)
    await jobs.tick(world.r)
    sla = (await world.r.conversations.get(convo["_id"]))["sla"]
    assert sla["first_response"]["met_at"] is not None and sla["first_response"].get("breached") is not True
    assert sla["resolution"].get("met_at") is None  # the resolution clock still runs


async def test_critical_raises_a_duty_alert_at_once_to_the_out_of_hours_rota(world: World) -> None:
    world.clock.now = datetime(2026, 1, 17, 3, 0, tzinfo=UTC)  # 03:00 on a Saturday
    convo = await world.conversation("My neighbour says he is going to kill himself tonight", department="social_care",
                                     urgency="critical")
    [alert] = world.published.alerts
    assert alert.conversation_key == convo["_id"] and alert.reason == "critical_message"
    assert not alert.in_business_hours and [p.name for p in alert.on_duty] == ["Out-of-hours duty officer (weekend)"]
    assert convo["sla"]["first_response"]["due"] == datetime(2026, 1, 17, 3, 30, tzinfo=UTC)  # 24x7
    # Another critical message on the same conversation does not page twice.
    await world.triage(await world.message("Please hurry", key=convo["_id"]), department="social_care", urgency="critical")
    assert len(world.published.alerts) == 1


async def test_reroute_is_recorded_and_sent_back_to_triage(world: World) -> None:
    convo = await world.conversation("Street light flickering", department="highways")
    await world.run(actor("ann"), convo["_id"], {"action": "claim"})
    _, outcome = await world.run(actor("ann"), convo["_id"], {"action": "reroute", "department": "street_lighting",
                                                             "reason": "lights are not highways"})
    assert outcome.ok
    after = await world.r.conversations.get(convo["_id"])
    assert (after["department"], after["assignee"], after["status"], after["rerouted"]) == ("street_lighting", None, "new", True)
    assert after["sla"]["target"]["department"] == "street_lighting"
    [correction] = world.published.corrections
    assert (correction.previous_department, correction.corrected_department, correction.corrected_by) == (
        "highways", "street_lighting", "ann")
    # A later triage result does not undo the person's routing.
    await world.triage(await world.message("still flickering", key=convo["_id"]), department="highways")
    assert (await world.r.conversations.get(convo["_id"]))["department"] == "street_lighting"


async def test_a_new_message_reopens_a_resolved_conversation(world: World) -> None:
    convo = await world.conversation()
    await world.run(actor(), convo["_id"], {"action": "resolve", "note": "fixed"})
    assert (await world.r.conversations.get(convo["_id"]))["status"] == "resolved"
    world.clock.now += timedelta(hours=1)
    await world.message("It's back again", key=convo["_id"])
    after = await world.r.conversations.get(convo["_id"])
    assert after["status"] == "new" and after["reopen_count"] == 1 and after["message_count"] == 2
    assert "reopened" in world.published.types(convo["_id"])


async def test_hide_keep_evidence_count_abuse_and_ban(world: World) -> None:
    first = await world.message("You are all useless idiots", author="troll1")
    convo = await world.triage(first, abuse="offensive")
    second = await world.message("Idiots, the lot of you", key=convo["_id"], author="troll1")
    await world.triage(second, abuse="offensive")
    assert (await world.r.conversations.get(convo["_id"]))["author_abuse_count"] == 2
    _, hidden = await world.run(actor(), convo["_id"], {"action": "hide_comment", "message_id": second.id,
                                                        "reason": "abusive"})
    assert hidden.ok and hidden.result["author_abuse_count"] == 2  # the same message is counted once
    [out] = world.published.sent
    assert (out.action.value, out.target_id) == ("hide_comment", second.platform_message_id)
    evidence = await world.db["evidence"].find_one({"_id": f"{second.id}:hidden"})
    assert (evidence["text"], evidence["author"]["platform_id"], evidence["permalink"]) == (
        "Idiots, the lot of you", "troll1", second.permalink)
    _, agent_ban = await world.run(actor(), convo["_id"], {"action": "ban_author", "reason": "abuse"})
    assert not agent_ban.ok
    _, ban = await world.run(actor("sue", role="supervisor"), convo["_id"], {"action": "ban_author", "reason": "abuse"})
    assert ban.ok
    later = await world.message("Still here", author="troll1", key="facebook:104729113:another-thread")
    blocked = await world.triage(later, department="waste")
    assert blocked["routing_blocked"] is True and blocked.get("assignee") is None


async def test_every_action_is_in_the_audit_log_with_before_and_after(world: World) -> None:
    convo = await world.conversation()
    key = convo["_id"]
    actions = [
        {"action": "claim"}, {"action": "note", "text": "called the depot"},
        {"action": "reply", "text": "Thanks, reported."}, {"action": "resolve"}, {"action": "close"},
    ]
    ids = [(await world.run(actor(), key, body))[0].id for body in actions]
    entries = {e["_id"]: e async for e in world.r.ledger.audit.find({"conversation_key": key, "actor.user_id": "ann"})}
    assert set(ids) <= set(entries)
    resolve = entries[ids[3]]
    assert resolve["action"] == "resolve" and resolve["outcome"] == "done" and resolve["account_id"] == "104729113"
    assert resolve["before"]["status"] == "assigned" and resolve["after"]["status"] == "resolved"
    assert entries[ids[2]]["details"]["request"]["text"] == "Thanks, reported."
