"""Replies through responder's command handling, against real FerretDB: idempotent sends, checks,
approval, the collision guard, and the platform's answer."""

from datetime import timedelta

import pytest
from civic_contracts.outbound import ReplyStatus
from responder.service import replies
from responder_world import World, actor

pytestmark = pytest.mark.integration


async def sent(world: World, reply_id: str, key: str, *, at=None) -> None:
    await replies.on_status(world.r, ReplyStatus(command_id=reply_id, conversation_key=key, channel="facebook",
                                                 status="sent", platform_message_id="pm_1", at=at or world.clock.now))


async def test_a_reply_delivered_twice_is_sent_once(world: World) -> None:
    convo = await world.conversation()
    command, first = await world.run(actor(), convo["_id"], {"action": "reply", "text": "Thanks, reported to highways."})
    assert first.ok and first.result["status"] == "approved"
    again = await world.r.ledger.commands.find_one({"_id": command.id})
    assert again["status"] == "done"
    # The same command delivered again (a Kafka redelivery): nothing new is published.
    _, second = await world.run(actor(), convo["_id"], {"action": "reply", "text": "Thanks, reported to highways."},
                                command_id=command.id)
    assert second is None
    # Even if the ledger had not recorded it, the reply's claim stops a second send.
    await world.r.ledger.commands.delete_one({"_id": command.id})
    await world.run(actor(), convo["_id"], {"action": "reply", "text": "Thanks, reported to highways."},
                    command_id=command.id)
    [out] = world.published.sent
    assert out.id == command.id and out.action.value == "public_reply" and out.account_id == "104729113"
    assert out.target_id == (await world.r.conversations.last_inbound(convo["_id"]))["platform_message_id"]
    assert out.requested_by == "ann"


async def test_sent_status_moves_the_conversation_and_meets_the_first_response_clock(world: World) -> None:
    convo = await world.conversation()
    command, _ = await world.run(actor(), convo["_id"], {"action": "reply", "text": "On it.", "await_citizen": True})
    world.clock.now += timedelta(minutes=5)
    await sent(world, command.id, convo["_id"])
    await sent(world, command.id, convo["_id"])  # a repeated status changes nothing
    after = await world.r.conversations.get(convo["_id"])
    assert after["status"] == "waiting_on_citizen"
    assert after["sla"]["first_response"]["met_at"] == world.clock.now
    reply = await world.r.replies.get(command.id)
    assert [h["status"] for h in reply["history"]] == ["approved", "sending", "sent"]
    assert world.published.types(convo["_id"]).count("reply_sent") == 1


@pytest.mark.parametrize(("text", "check"), [
    ("Call me back on 07700 900123 please", "pii"),
    ("Email sam.hughes@example.com with the photos", "pii"),
    ("Your card 4111 1111 1111 1111 was charged", "pii"),
    ("We have your address as 12 High St, CF10 1AA", "pii"),
    ("Your NI number QQ 12 34 56 C is on file", "pii"),
    ("Please calm down, we are looking at it", "banned_phrase"),
    ("We are on it!!!", "tone"),
])
async def test_checks_hold_a_public_reply_back(world: World, text: str, check: str) -> None:
    convo = await world.conversation()
    command, outcome = await world.run(actor(), convo["_id"], {"action": "reply", "text": text})
    assert not outcome.ok and outcome.reason.startswith("checks failed")
    reply = await world.r.replies.get(command.id)
    assert reply["status"] == "blocked" and check in [c["check"] for c in reply["checks"]]
    assert world.published.sent == []
    assert "reply_blocked" in world.published.types(convo["_id"])


async def test_our_own_number_may_be_given_in_public_and_private_replies_may_carry_personal_data(world: World) -> None:
    convo = await world.conversation()
    _, ok = await world.run(actor(), convo["_id"], {"action": "reply", "text": "Please call us on 0306 999 0123."})
    assert ok.ok
    private = await world.conversation(kind="private_message", channel="messenger")
    _, ok = await world.run(actor(), private["_id"], {"action": "reply", "text": "Is 07700 900123 the best number?"})
    assert ok.ok and world.published.sent[-1].action.value == "direct_message"


async def test_welsh_is_answered_in_welsh(world: World) -> None:
    convo = await world.conversation("Mae twll mawr yn y ffordd", language="cy")
    _, english = await world.run(actor(), convo["_id"], {"action": "reply", "text": "Thanks, we will fix it."})
    assert not english.ok and "Welsh" in english.reason
    _, welsh = await world.run(actor(), convo["_id"], {"action": "reply", "canned_id": "acknowledge"})
    assert welsh.ok
    assert world.published.sent[-1].text.startswith("Diolch Sam")


async def test_a_reply_from_an_account_the_agent_may_not_use_is_refused(world: World) -> None:
    convo = await world.conversation()
    _, outcome = await world.run(actor(accounts=["17841400000000001"]), convo["_id"], {"action": "reply", "text": "Hello"})
    assert not outcome.ok and "account" in outcome.reason


async def test_new_staff_replies_wait_for_a_supervisor(world: World) -> None:
    convo = await world.conversation()
    newbie = actor("nia", staff_since=world.clock.now.date() - timedelta(days=3))
    command, outcome = await world.run(newbie, convo["_id"], {"action": "reply", "text": "We have reported it."})
    assert outcome.ok and outcome.result["status"] == "awaiting_approval"
    assert world.published.sent == []
    # The author cannot approve it, nor can another agent.
    _, own = await world.run(actor("nia", role="supervisor"), convo["_id"], {"action": "approve_reply", "reply_id": command.id})
    assert not own.ok and "other than its author" in own.reason
    _, agent = await world.run(actor("bob"), convo["_id"], {"action": "approve_reply", "reply_id": command.id})
    assert not agent.ok and "supervisor" in agent.reason
    assert world.published.sent == []
    approval, approved = await world.run(actor("sue", role="supervisor"), convo["_id"],
                                         {"action": "approve_reply", "reply_id": command.id})
    assert approved.ok
    await world.run(actor("sue", role="supervisor"), convo["_id"], {"action": "approve_reply", "reply_id": command.id},
                    command_id=approval.id)
    [out] = world.published.sent
    assert out.id == command.id and out.requested_by == "nia"
    reply = await world.r.replies.get(command.id)
    assert reply["approval"]["by"] == "sue" and reply["status"] == "sending"


async def test_public_replies_on_abusive_threads_and_out_of_hours_replies_wait(world: World) -> None:
    abusive = await world.conversation("You useless idiots", abuse="offensive")
    _, outcome = await world.run(actor(), abusive["_id"], {"action": "reply", "text": "We are sorry to hear that."})
    assert outcome.result["approval_reasons"] == ["public reply on an abusive thread"]
    world.clock.now = world.clock.now.replace(hour=21)  # 21:00 on a Wednesday
    convo = await world.conversation()
    _, late = await world.run(actor(), convo["_id"], {"action": "reply", "text": "Looking into it."})
    assert late.result["approval_reasons"] == ["outside business hours"]
    _, supervisor = await world.run(actor("sue", role="supervisor"), convo["_id"], {"action": "reply", "text": "Noted."})
    assert supervisor.result["status"] == "approved"


async def test_a_rejected_reply_is_never_sent(world: World) -> None:
    convo = await world.conversation("You useless idiots", abuse="offensive")
    command, _ = await world.run(actor(), convo["_id"], {"action": "reply", "text": "We hear you."})
    _, rejected = await world.run(actor("sue", role="supervisor"), convo["_id"],
                                  {"action": "reject_reply", "reply_id": command.id, "reason": "do not engage"})
    assert rejected.ok
    _, late_approval = await world.run(actor("sue", role="supervisor"), convo["_id"],
                                       {"action": "approve_reply", "reply_id": command.id})
    assert not late_approval.ok and "rejected" in late_approval.reason
    assert world.published.sent == []


async def test_collision_guard(world: World) -> None:
    convo = await world.conversation()
    key = convo["_id"]
    await world.run(actor("ann"), key, {"action": "replying"})
    assert (await world.r.conversations.get(key))["replying"]["user_id"] == "ann"
    # Bob does not know Ann is writing: his reply is refused; knowingly, it goes.
    _, unknowing = await world.run(actor("bob"), key, {"action": "reply", "text": "Bob's answer", "seen_reply_count": 0})
    assert not unknowing.ok and "Ann is writing" in unknowing.reason
    _, knowing = await world.run(actor("bob"), key, {"action": "reply", "text": "Bob's answer", "override_collision": True})
    assert knowing.ok
    # Ann opened the conversation before Bob's reply: hers would be a second reply sent unknowingly.
    _, ann = await world.run(actor("ann"), key, {"action": "reply", "text": "Ann's answer", "seen_reply_count": 0})
    assert not ann.ok and "another reply" in ann.reason
    _, ann_again = await world.run(actor("ann"), key, {"action": "reply", "text": "Ann's answer", "seen_reply_count": 1})
    assert ann_again.ok
    assert [o.text for o in world.published.sent] == ["Bob's answer", "Ann's answer"]
    assert "replying" not in await world.r.conversations.get(key)  # sending the reply ended Ann's marker
    # An old marker does not block anyone.
    await world.run(actor("ann"), key, {"action": "replying"})
    world.clock.now += timedelta(minutes=10)
    _, later = await world.run(actor("bob"), key, {"action": "reply", "text": "Later", "seen_reply_count": 2})
    assert later.ok


async def test_a_public_comment_can_be_answered_privately(world: World) -> None:
    convo = await world.conversation()
    await world.run(actor(), convo["_id"], {"action": "reply", "text": "We have messaged you.", "private": True})
    [out] = world.published.sent
    assert out.action.value == "private_reply" and out.recipient_id == "7311946001" and out.channel.value == "facebook"
