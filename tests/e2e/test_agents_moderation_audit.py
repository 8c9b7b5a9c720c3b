"""Moderation and the audit log end to end: hide an abusive comment on the platform (stand-in), keep the
evidence and count abuse per author; every staff action is in the audit log, which is read-only and
exportable as CSV and JSON."""

import csv
import io
import uuid

import pytest
from support.agents import act, arrive, comment, detail, page, wait_for
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


@pytest.fixture(autouse=True)
async def tidy_sandbox(system: System):
    """Leave the session's platform stand-in as found: forget the calls these tests caused."""
    yield
    await system.sandbox.delete("/_sandbox/sent")


async def test_hide_keeps_evidence_and_counts_abuse(system: System) -> None:
    author = str(uuid.uuid4().int % 10**10)
    text = f"You useless idiots at the council are a waste of space {uuid.uuid4().hex[:4]}"
    convo = await arrive(system, comment(system, text, author=author, name="Angry Person"))
    key = convo["id"]
    [message] = convo["messages"]
    agent = await system.sign_in("t-agent")
    state = await act(agent, key, "hide", {"message_id": message["id"], "reason": "abusive to staff"})
    assert state["status"] == "done", state

    async def hidden():
        calls = (await system.sandbox.get("/_sandbox/sent", params={"platform": "meta"})).json()
        return [c for c in calls if c["path"].endswith(message["platform_message_id"]) and c.get("body") == {"is_hidden": True}]

    assert len(await wait_for(hidden, timeout=30)) == 1
    supervisor = await system.sign_in("t-super")
    pack = (await supervisor.get("/api/moderation/evidence", params={"author_key": f"facebook:{author}"})).json()
    hidden_entry = [e for e in pack if e["source"] == "hidden"]
    assert hidden_entry and hidden_entry[0]["text"] == text and hidden_entry[0]["captured_by"] == "t-agent"
    assert hidden_entry[0]["permalink"] and hidden_entry[0]["author"]["platform_id"] == author
    as_csv = await supervisor.get("/api/moderation/evidence", params={"author_key": f"facebook:{author}", "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv") and text in as_csv.text
    [counted] = [a for a in (await supervisor.get("/api/moderation/authors")).json() if a["author_key"] == f"facebook:{author}"]
    assert counted["count"] >= 1
    banned = await act(supervisor, key, "ban-author", {"reason": "repeated abuse"})
    assert banned["status"] == "done"
    assert (await detail(supervisor, key))["conversation"]["routing_blocked"] is True
    # Agents no longer see the banned author's conversation.
    assert (await agent.get(f"/api/conversations/{key}")).status_code == 403


async def test_every_action_is_in_the_audit_log(system: System) -> None:
    agent, supervisor = await system.sign_in("t-agent2"), await system.sign_in("t-super2")
    first = await arrive(system, comment(system, "Overflowing litter bin by the bus stop on Station Road."))
    second = await arrive(system, comment(system, "Broken paving slab outside the post office on High Street."))
    a, b = first["id"], second["id"]
    elsewhere = "parks_trees" if first["department"] != "parks_trees" else "highways"
    done = [
        await act(agent, a, "claim"),
        await act(agent, a, "replying", {"active": True}),
        await act(agent, a, "notes", {"text": "asked the crew"}),
        await act(agent, a, "reply", {"text": "Thanks, the crew will empty it today."}),
        await act(agent, a, "release"),
        await act(supervisor, a, "assign", {"assignee": "t-agent2"}),
        await act(agent, a, "reroute", {"department": elsewhere, "reason": "not theirs"}),
        await act(agent, a, "resolve", {"note": "emptied"}),
        await act(agent, a, "close"),
        await act(agent, b, "handover", {"private_channel": "messenger"}),
        await act(agent, b, "reply", {"text": "Is 07700 900123 your number?"}),  # held back by the checks
    ]
    assert done[-1]["status"] == "rejected"
    response = await supervisor.get("/api/audit", params={"page_size": 200, "since": "2000-01-01T00:00:00Z"})
    assert response.status_code == 200
    by_id = {e["id"]: e for e in response.json()["items"]}
    for state in done:
        entry = by_id[state["command_id"]]
        assert entry["action"] == state["action"] and entry["outcome"] == ("done" if state["status"] == "done" else "rejected")
        assert entry["actor"]["user_id"] in ("t-agent2", "t-super2") and entry["at"]
    claim = by_id[done[0]["command_id"]]
    assert claim["conversation_key"] == a and claim["account_id"] == page(system)  # the official account
    assert claim["before"] == {"status": "new", "assignee": None} and claim["after"] == {"status": "assigned", "assignee": "t-agent2"}
    reroute = by_id[done[6]["command_id"]]
    assert reroute["before"]["department"] == first["department"] and reroute["after"]["department"] == elsewhere
    # Filters, exports, and no way to change it.
    mine = (await supervisor.get("/api/audit", params={"conversation_key": a, "actor": "t-agent2"})).json()
    assert mine["total"] >= 8 and all(e["conversation_key"] == a for e in mine["items"])
    exported = await supervisor.get("/api/audit/export", params={"conversation_key": a, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {done[0]["command_id"], done[7]["command_id"]} <= {r["id"] for r in rows}
    assert "attachment" in exported.headers["content-disposition"]
    as_json = (await supervisor.get("/api/audit/export", params={"conversation_key": a, "format": "json"})).json()
    assert {e["id"] for e in as_json} == {r["id"] for r in rows}
    for method in ("post", "put", "patch", "delete"):
        assert (await getattr(supervisor, method)("/api/audit")).status_code == 405
    reply_sent = await wait_for(lambda: _audit(supervisor, a, "outbound_sent"), timeout=30)
    assert reply_sent[0]["actor"]["user_id"] == "system"


async def _audit(client, key: str, action: str) -> list[dict]:
    return (await client.get("/api/audit", params={"conversation_key": key, "action": action})).json()["items"]
