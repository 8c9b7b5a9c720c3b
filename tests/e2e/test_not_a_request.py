"""A message that asks for nothing, on the real stack (signed webhook, Kafka, triage, responder, FerretDB, inbox):
a "thanks, great job" comment reaches the inbox's "Not a request" view, not a department's queue, and one click
closes it with "no reply needed" (timeline and audit log); a later message that asks for something makes the
conversation work again; the selected rows close in bulk, each checked like one click."""

import re
import uuid

import pytest
from support.agents import comment, detail, direct_message, follow, wait_for
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def triaged(conversation: dict) -> bool:
    messages = conversation["messages"]
    return bool(conversation["department"] and messages and all(m["triage"] for m in messages))


async def arrive(system: System, made: tuple[str, dict], until=triaged) -> dict:
    key, payload = made
    response = await system.post_meta(payload)
    assert response.status_code == 200, response.text
    return await system.wait_for_conversation(key, until=until, timeout=120)


async def waiting_in(client, department: str) -> int:
    return sum(q["waiting"] for q in (await client.get("/api/queues")).json() if q["department"] == department)


async def test_a_thank_you_reaches_not_a_request_not_a_queue_and_one_click_closes_it(system: System) -> None:
    agent = await system.sign_in("t-agent")
    waiting_before = await waiting_in(agent, "general")
    thanks = await arrive(system, comment(system, "@council thanks, great job on the bins today 👏", name="Ceri Jones"))
    key = thanks["id"]
    assert thanks["messages"][0]["triage"]["intent"] == {"kind": "not_actionable", "reason": "thanks"}
    assert (thanks["not_a_request"], thanks["intent"], thanks["department"]) == ("thanks", "not_actionable", "general")
    assert thanks["status"] == "new" and thanks["sla"] is None and thanks["assignee"] is None
    assert await waiting_in(agent, "general") == waiting_before  # in no queue

    # The API lists it with "Not a request", never with the work.
    listed = (await agent.get("/api/conversations", params={"not_a_request": "true", "page_size": 100})).json()
    assert key in [c["id"] for c in listed["items"]]
    assert all(c["not_a_request"] for c in listed["items"])
    work = (await agent.get("/api/conversations", params={"not_a_request": "false", "page_size": 100})).json()
    assert key not in [c["id"] for c in work["items"]]

    # The web app: in the view of its own with its reason and a count, not in the queues' views.
    view = await agent.get("/inbox", params={"view": "not_a_request"})
    assert view.status_code == 200
    row = re.search(rf'<li class="row[^"]*" data-key="{re.escape(key)}">(.*?)</li>', view.text, re.S)
    assert row is not None and "Thanks" in row.group(1) and "No reply needed" in row.group(1)
    count = int(re.search(r'id="count-not_a_request">(\d+)', view.text).group(1))
    assert count >= 1
    for other in ("all", "unassigned", "my_departments", "needs_review"):
        assert f'data-key="{key}"' not in (await agent.get("/inbox", params={"view": other})).text, other

    # One click: the row's own form, as the browser posts it.
    form = re.search(r'<form method="post" action="([^"]+/close)" class="inline-form">(.*?)</form>', row.group(1), re.S)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)))
    assert fields["reason"] == "no_reply_needed"
    clicked = await agent.post(form.group(1), data=fields)
    assert clicked.status_code == 303 and clicked.headers["location"].startswith("/inbox?view=not_a_request")
    closed = await wait_for(lambda: _closed(agent, key))
    assert closed["conversation"]["closed_reason"] == "no_reply_needed"
    event = next(e for e in closed["timeline"] if e["type"] == "status_changed" and e["data"].get("to") == "closed")
    assert event["data"]["reason"] == "no_reply_needed" and event["data"]["not_a_request"] == "thanks"
    audit = (await (await system.sign_in("t-super")).get("/api/audit", params={"conversation_key": key,
                                                                                 "action": "close"})).json()
    entry = audit["items"][0]
    assert entry["actor"]["user_id"] == "t-agent" and entry["outcome"] == "done"
    assert entry["details"]["request"]["reason"] == "no_reply_needed"
    assert entry["after"] == {"status": "closed", "closed_reason": "no_reply_needed"}
    after = (await agent.get("/inbox", params={"view": "not_a_request"})).text
    assert f'data-key="{key}"' not in after


async def _closed(client, key: str) -> dict | None:
    found = await detail(client, key)
    return found if found["conversation"]["status"] == "closed" else None


async def test_a_later_message_that_asks_for_something_makes_it_work(system: System) -> None:
    sender = uuid.uuid4().hex[:12]
    first = await arrive(system, direct_message(system, "Thanks for sorting the bins so quickly, great job",
                                                sender=sender))
    assert first["not_a_request"] == "thanks" and first["sla"] is None
    key, payload = direct_message(system, "The streetlight on Mill Lane is out again, it's pitch black at night",
                                  sender=sender)
    assert key == first["id"]
    work = await arrive(system, (key, payload), until=lambda c: len(c["messages"]) == 2 and triaged(c)
                        and c["not_a_request"] is None)
    assert (work["intent"], work["department"]) == ("request", "street_lighting")
    assert work["sla"]["target"]["department"] == "street_lighting" and work["work_since"] is not None
    agent = await system.sign_in("t-agent")
    assert f'data-key="{key}"' in (await agent.get("/inbox", params={"view": "all"})).text


async def test_the_selected_rows_close_in_bulk_each_checked_like_one_click(system: System) -> None:
    keys = [(await arrive(system, comment(system, text)))["id"] for text in (
        "thank you council, brilliant work 🙌", "cheers for the quick reply, much appreciated")]
    staff = await system.sign_in("t-highways")  # department staff of highways: these are not theirs
    mine = (await staff.get("/api/conversations", params={"not_a_request": "true", "page_size": 100})).json()
    assert not set(keys) & {c["id"] for c in mine["items"]}
    refused = await staff.post("/api/bulk/close", json={"keys": keys})
    assert refused.status_code == 202 and refused.json()["queued"] == []
    assert {(r["key"], r["status"]) for r in refused.json()["refused"]} == {(k, 403) for k in keys}

    agent = await system.sign_in("t-agent")
    response = await agent.post("/api/bulk/close", json={"keys": [*keys, "facebook:nobody:nothing"]})
    assert response.status_code == 202
    body = response.json()
    assert [q["key"] for q in body["queued"]] == keys
    assert body["refused"] == [{"key": "facebook:nobody:nothing", "status": 404, "detail": "no such conversation"}]
    for queued in body["queued"]:
        assert (await follow(agent, queued["command_id"]))["status"] == "done"
        closed = (await detail(agent, queued["key"]))["conversation"]
        assert (closed["status"], closed["closed_reason"]) == ("closed", "no_reply_needed")
    assert (await agent.post("/api/bulk/close", json={"keys": []})).status_code == 422
