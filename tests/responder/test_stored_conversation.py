"""What responder really stores is the contract's `StoredConversation`: every field it writes is in the
model, every status is in the enum, and each stored document round-trips through the model unchanged."""

from datetime import timedelta

import pytest
from civic_contracts import ConversationStatus, StoredConversation
from civic_contracts.outbound import ReplyStatus
from responder.service import jobs, replies
from responder_world import World, actor

pytestmark = pytest.mark.integration


async def stored(world: World) -> list[dict]:
    return [c async for c in world.db["conversations"].find({})]


async def test_every_stored_conversation_is_the_contract_model(world: World) -> None:
    seen: set[str] = set()

    async def check() -> None:
        for doc in await stored(world):
            model = StoredConversation.from_document(doc)
            assert model.model_extra == {}, f"responder wrote fields the contract lacks: {sorted(model.model_extra)}"
            assert model.to_document() == doc
            seen.add(doc["status"])

    convo = await world.conversation("Pothole on Albion Street, my tyre burst", urgency="critical")
    await check()
    review = await world.conversation("Something about something", needs_review=True)
    assert review["status"] == "needs_review"
    command, outcome = await world.run(actor(), convo["_id"], {"action": "reply", "text": "Thanks, we are on it.",
                                                               "await_citizen": True})
    assert outcome.ok, outcome.reason
    await replies.on_status(world.r, ReplyStatus(command_id=command.id, conversation_key=convo["_id"],
                                                 channel="facebook", status="sent", platform_message_id="pm1",
                                                 at=world.clock.now))
    await check()
    await world.message("It is still there", key=convo["_id"])  # the citizen writes again: reopened
    await world.run(actor(), convo["_id"], {"action": "claim"})
    await world.run(actor(), convo["_id"], {"action": "replying", "active": True})
    await world.run(actor(), convo["_id"], {"action": "reroute", "department": "street_lighting"})
    await world.run(actor(), review["_id"], {"action": "reply", "text": "We have passed this on."})
    await check()
    handed = await world.conversation("Rough sleeper in the bus shelter on Mill Lane")
    await world.run(actor(), handed["_id"], {"action": "handover", "private_channel": "messenger"})
    await world.message("Here is my number", key=None, kind="private_message", channel="messenger")
    world.clock.now += timedelta(days=3)
    await jobs.tick(world.r)
    await check()
    await world.run(actor(), convo["_id"], {"action": "resolve"})
    await world.run(actor(), review["_id"], {"action": "close"})
    await check()
    assert seen >= {"new", "needs_review", "assigned", "waiting_on_citizen", "handed_over", "resolved", "closed"}
    assert seen <= {s.value for s in ConversationStatus}
