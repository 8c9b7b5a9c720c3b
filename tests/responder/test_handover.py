"""Offline handover against real FerretDB: case reference, public holding reply, private thread, linking,
and the handover SLA."""

import re
from datetime import timedelta

import pytest
from civic_contracts.outbound import ReplyStatus
from responder.service import jobs, replies
from responder_world import World, actor

pytestmark = pytest.mark.integration


async def test_handover_issues_a_case_reference_a_holding_reply_and_a_private_thread(world: World) -> None:
    convo = await world.conversation("There's a man sleeping rough in the bus shelter on Mill Lane, he looks unwell")
    command, outcome = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "messenger"})
    assert outcome.ok, outcome.reason
    reference = outcome.result["case_reference"]
    assert re.fullmatch(r"CI-2026-\d{6}", reference)
    holding, private = world.published.sent
    assert holding.action.value == "public_reply" and holding.case_reference == reference
    assert "we've sent you a private message" in holding.text and reference in holding.text
    assert private.action.value == "private_reply" and private.recipient_id == "7311946001"
    assert private.target_id == holding.target_id and reference in private.text
    after = await world.r.conversations.get(convo["_id"])
    assert (after["status"], after["case_reference"], after["assignee"]) == ("handed_over", reference, "ann")
    # Delivered again: the same case, nothing sent twice.
    _, again = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "messenger"},
                               command_id=command.id)
    assert again is None
    await world.r.ledger.commands.delete_one({"_id": command.id})
    _, replayed = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "messenger"},
                                  command_id=command.id)
    assert replayed.result["case_reference"] == reference
    assert len(world.published.sent) == 2


async def test_case_references_are_unique_and_sequential(world: World) -> None:
    references = []
    for _ in range(3):
        convo = await world.conversation()
        _, outcome = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "messenger",
                                                             "holding_reply": "phone"})
        references.append(outcome.result["case_reference"])
    numbers = [int(r.rsplit("-", 1)[1]) for r in references]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    assert "please call us on 0306 999 0123" in world.published.sent[0].text


async def test_the_private_thread_is_linked_when_the_citizen_answers_and_answered_by_staff(world: World) -> None:
    convo = await world.conversation()
    _, outcome = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "messenger"})
    reference = outcome.result["case_reference"]
    private = await world.message("Thanks, my address is 12 Mill Lane", kind="private_message", channel="messenger",
                                  key="messenger:104729113:7311946001")
    linked = await world.r.conversations.get(private.conversation_key)
    assert linked["case_reference"] == reference and linked["linked_conversations"] == [convo["_id"]]
    assert linked["department"] == "highways" and linked["assignee"] == "ann"
    assert (await world.r.conversations.get(convo["_id"]))["linked_conversations"] == [private.conversation_key]
    case = await world.r.cases.by_reference(reference)
    assert case["status"] == "citizen_replied" and case["private"]["conversation_key"] == private.conversation_key
    command, _ = await world.run(actor(), private.conversation_key, {"action": "reply", "text": "Thanks, we're on it."})
    await replies.on_status(world.r, ReplyStatus(command_id=command.id, conversation_key=private.conversation_key,
                                                 channel="messenger", status="sent", at=world.clock.now))
    assert (await world.r.cases.by_reference(reference))["status"] == "answered"
    assert "handover_answered" in world.published.types(convo["_id"])


async def test_handover_to_email_needs_the_contact_and_links_by_reference(world: World) -> None:
    convo = await world.conversation()
    _, missing = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "email"})
    assert not missing.ok and "contact" in missing.reason
    _, outcome = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "email",
                                                         "contact": "Sam.Hughes@Example.com"})
    private = world.published.sent[-1]
    assert (private.channel.value, private.action.value, private.recipient_id) == ("email", "direct_message", "sam.hughes@example.com")
    assert private.account_id == "customer.services@council.example"
    reply = await world.message(f"Re: {outcome.result['case_reference']} here are the photos", kind="email",
                                channel="email", author="sam.h@other.example")
    assert (await world.r.conversations.get(reply.conversation_key))["case_reference"] == outcome.result["case_reference"]


async def test_youtube_comments_cannot_be_handed_over_to_a_private_reply(world: World) -> None:
    convo = await world.conversation(channel="youtube")
    _, outcome = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "messenger"})
    assert not outcome.ok and "cannot be answered privately" in outcome.reason
    assert world.published.sent == []


async def test_the_handover_sla_breaches_when_the_private_thread_is_not_answered(world: World) -> None:
    convo = await world.conversation()
    _, outcome = await world.run(actor(), convo["_id"], {"action": "handover", "private_channel": "messenger"})
    world.clock.now += timedelta(hours=6)
    assert (await jobs.tick(world.r))["handovers"] == 0  # 480 business minutes have not passed yet
    world.clock.now += timedelta(days=1)
    assert (await jobs.tick(world.r))["handovers"] == 1
    assert (await jobs.tick(world.r))["handovers"] == 0  # raised once
    assert (await world.r.cases.by_reference(outcome.result["case_reference"]))["breached"] is True
