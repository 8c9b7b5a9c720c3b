"""Offline handover end to end: one action issues a case reference, sends the holding reply in public and
opens the private thread on Messenger (both through the connectors to the platform stand-in); the citizen's
private answer is linked; a person's reply there closes the handover's clock."""

import re

import pytest
from support.agents import act, arrive, comment, detail, direct_message, wait_for
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


@pytest.fixture(autouse=True)
async def tidy_sandbox(system: System):
    """Leave the session's platform stand-in as found: forget the calls these tests caused."""
    yield
    await system.sandbox.delete("/_sandbox/sent")


async def sent_replies(client, key: str, count: int) -> list[dict]:
    async def check():
        replies = (await detail(client, key))["replies"]
        return replies if len([r for r in replies if r["status"] == "sent"]) >= count else None

    return await wait_for(check, timeout=45)


async def test_handover_case_reference_holding_reply_private_thread_and_link(system: System) -> None:
    author = "7311946123"
    convo = await arrive(system, comment(system, "I've been waiting three weeks for someone to fix the damp in my "
                                                 "council flat, my daughter's asthma is getting worse.", author=author))
    key = convo["id"]
    agent = await system.sign_in("t-agent")
    state = await act(agent, key, "handover", {"private_channel": "messenger", "reason": "tenancy details"})
    assert state["status"] == "done", state
    reference = state["result"]["case_reference"]
    assert re.fullmatch(r"CI-\d{4}-\d{6}", reference)

    replies = {r["purpose"]: r for r in await sent_replies(agent, key, 2)}
    assert replies["holding"]["public"] and reference in replies["holding"]["text"]
    assert replies["private_opening"]["action"] == "private_reply" and reference in replies["private_opening"]["text"]
    calls = (await system.sandbox.get("/_sandbox/sent", params={"platform": "meta"})).json()
    mine = [c for c in calls if reference in str(c.get("body"))]
    assert sorted(c["path"].rsplit("/", 1)[1] for c in mine) == ["comments", "messages"]
    conversation = (await detail(agent, key))["conversation"]
    assert (conversation["status"], conversation["case_reference"]) == ("handed_over", reference)

    supervisor = await system.sign_in("t-super")
    [listed] = [h for h in (await supervisor.get("/api/handovers")).json() if h["case_reference"] == reference]
    assert listed["status"] == "open" and listed["age_minutes"] >= 0 and listed["private_channel"] == "messenger"
    assert listed["opened_by"]["user_id"] == "t-agent" and listed["due_at"]

    # The citizen answers the private message: the two conversations are linked.
    private = await arrive(system, direct_message(system, "Thanks - it's flat 4, 12 Mill Lane.", sender=author))
    private_key = private["id"]
    linked = await wait_for(lambda: _linked(agent, private_key), timeout=30)
    assert linked["case_reference"] == reference and linked["linked_conversations"] == [key]
    assert (await detail(agent, key))["conversation"]["linked_conversations"] == [private_key]

    # A person answers in the private thread: the handover is answered and leaves the open list.
    await act(agent, private_key, "reply", {"text": "Thank you, a surveyor will call you tomorrow."})
    await sent_replies(agent, private_key, 1)

    async def answered():
        everything = (await supervisor.get("/api/handovers", params={"include_answered": True})).json()
        return [h for h in everything if h["case_reference"] == reference and h["status"] == "answered"]

    [done] = await wait_for(answered, timeout=30)
    assert done["private_conversation_key"] == private_key and done["answered_at"]
    assert reference not in [h["case_reference"] for h in (await supervisor.get("/api/handovers")).json()]


async def _linked(client, key: str) -> dict | None:
    conversation = (await detail(client, key))["conversation"]
    return conversation if conversation["case_reference"] else None


async def test_department_staff_cannot_list_handovers(system: System) -> None:
    staff = await system.sign_in("t-highways")
    assert (await staff.get("/api/handovers")).status_code == 403
