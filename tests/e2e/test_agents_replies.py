"""Replies end to end: a signed comment in, an agent's reply through the API, responder's checks and
approval, the connectors' outbound sender, the platform stand-in (sandbox), and the status back in the inbox."""

import asyncio
import json
import uuid
from datetime import date

import pytest
from civic_contracts.topics import INBOX_COMMAND, OUTBOUND
from support.agents import act, arrive, comment, detail, follow, wait_for
from support.kafka import find_records, produce_raw
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


@pytest.fixture(autouse=True)
async def tidy_sandbox(system: System):
    """Leave the session's platform stand-in as found: forget the calls these tests caused."""
    yield
    await system.sandbox.delete("/_sandbox/sent")


async def sandbox_calls(system: System, text: str) -> list[dict]:
    sent = (await system.sandbox.get("/_sandbox/sent", params={"platform": "meta"})).json()
    return [s for s in sent if text in json.dumps(s.get("body"))]


async def reply_status(client, key: str, reply_id: str, *statuses: str) -> dict:
    async def check():
        found = [r for r in (await detail(client, key))["replies"] if r["id"] == reply_id]
        return found[0] if found and found[0]["status"] in statuses else None

    return await wait_for(check, timeout=45)


async def test_a_reply_delivered_twice_reaches_the_platform_once(system: System) -> None:
    convo = await arrive(system, comment(system, "The street light outside 14 Elm Grove has been out for a week."))
    key = convo["id"]
    agent = await system.sign_in("t-agent")
    text = f"Thanks for letting us know, we have reported it ({uuid.uuid4().int % 900000 + 100000})."
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    first = await agent.post(f"/api/conversations/{key}/reply", json={"text": text}, headers=headers)
    again = await agent.post(f"/api/conversations/{key}/reply", json={"text": text}, headers=headers)
    assert first.status_code == again.status_code == 202
    reply_id = first.json()["command_id"]
    assert again.json()["command_id"] == reply_id
    # Kafka delivers the command once more (a redelivery after a rebalance, say).
    [record] = await find_records(system.infra.kafka_bootstrap_servers, INBOX_COMMAND.name, lambda v: v.get("id") == reply_id)
    await produce_raw(system.infra.kafka_bootstrap_servers, INBOX_COMMAND.name, json.dumps(record).encode(), key=key.encode())
    state = await follow(agent, reply_id)
    assert state["status"] == "done" and state["result"]["status"] == "approved", state
    reply = await reply_status(agent, key, reply_id, "sent")
    assert reply["platform_message_id"] and reply["public"] is True
    await asyncio.sleep(2)  # time for any second send to show up
    # This session's responder published one OutboundCommand (test sessions share Kafka, so the topic itself may
    # also hold a copy from another session's responder; the connectors' outbox would drop it by id)...
    published = [s for s in system.spans.get_finished_spans() if s.name == f"{OUTBOUND['facebook'].name} create"
                 and s.attributes.get("messaging.kafka.message.key") == key.encode()]
    assert len(published) == 1
    [outbound] = {r["id"]: r for r in await find_records(
        system.infra.kafka_bootstrap_servers, OUTBOUND["facebook"].name, lambda v: v.get("id") == reply_id)}.values()
    assert outbound["action"] == "public_reply" and outbound["requested_by"] == "t-agent"
    # ...and the platform received the reply exactly once.
    calls = await sandbox_calls(system, text)
    assert len(calls) == 1 and calls[0]["path"].endswith("/comments")
    after = (await detail(agent, key))["conversation"]
    assert after["status"] == "replied" and after["sla"]["first_response"]["met_at"]
    assert after["reply_count"] == 1


async def test_a_reply_that_needs_approval_waits_until_a_supervisor_approves(system: System) -> None:
    convo = await arrive(system, comment(system, "There is a large pothole on Mill Road near the bus stop."))
    key = convo["id"]
    newbie_id, password = f"t-new-{uuid.uuid4().int % 900000 + 100000}", uuid.uuid4().hex
    await system.apps["inbox"].state.users.create_user(user_id=newbie_id, name="New Starter", role="agent",
                                                       password=password, departments=["*"],
                                                       staff_since=date.today().isoformat())
    system.passwords[newbie_id] = password
    newbie = await system.sign_in(newbie_id)
    text = f"We have asked the highways team to inspect it ({uuid.uuid4().int % 900000 + 100000})."
    state = await act(newbie, key, "reply", {"text": text})
    reply_id = state["command_id"]
    assert state["result"]["status"] == "awaiting_approval"
    assert state["result"]["approval_reasons"] == ["staff in their first 4 weeks"]
    await asyncio.sleep(2)
    assert (await reply_status(newbie, key, reply_id, "awaiting_approval"))["approval"]["required"] is True
    assert await sandbox_calls(system, text) == []
    # Only a supervisor, and not the author, may approve.
    agent = await system.sign_in("t-agent")
    assert (await agent.post(f"/api/conversations/{key}/replies/{reply_id}/approve", json={})).status_code == 403
    assert (await newbie.post(f"/api/conversations/{key}/replies/{reply_id}/approve", json={})).status_code == 403
    supervisor = await system.sign_in("t-super")
    approved = await act(supervisor, key, f"replies/{reply_id}/approve", {"comment": "fine"})
    assert approved["status"] == "done"
    reply = await reply_status(supervisor, key, reply_id, "sent")
    assert reply["approval"]["by"] == "t-super"
    assert [h["status"] for h in reply["history"]] == ["awaiting_approval", "approved", "sending", "sent"]
    assert len(await sandbox_calls(system, text)) == 1
    # Approving again is refused: the reply is no longer waiting.
    assert (await supervisor.post(f"/api/conversations/{key}/replies/{reply_id}/approve", json={})).status_code == 409


async def test_checks_hold_back_a_public_reply_with_personal_data(system: System) -> None:
    convo = await arrive(system, comment(system, "Bins missed again on Orchard Way."))
    agent = await system.sign_in("t-agent")
    state = await act(agent, convo["id"], "reply", {"text": "Is 07700 900123 still your number, Sam?"})
    assert state["status"] == "rejected" and "phone" in state["reason"]
    [reply] = (await detail(agent, convo["id"]))["replies"]
    assert reply["status"] == "blocked" and reply["checks"][0]["check"] == "pii"


async def test_collision_guard_through_the_api(system: System) -> None:
    convo = await arrive(system, comment(system, "Graffiti on the wall of the library car park."))
    key = convo["id"]
    ann, bob = await system.sign_in("t-agent"), await system.sign_in("t-agent2")
    await act(ann, key, "replying", {"active": True})
    seen = (await detail(bob, key))["conversation"]
    assert seen["replying"]["user_id"] == "t-agent"
    blocked = await bob.post(f"/api/conversations/{key}/reply", json={"text": "We will clean it."})
    assert blocked.status_code == 409 and "writing a reply" in blocked.text
    knowingly = await act(bob, key, "reply", {"text": "We will clean it this week.", "override_collision": True})
    assert knowingly["status"] == "done"
    # Ann started before Bob's reply: sending hers unknowingly is refused by responder.
    late = await act(ann, key, "reply", {"text": "Cleaning is booked.", "seen_reply_count": seen["reply_count"]})
    assert late["status"] == "rejected" and "another reply" in late["reason"]
