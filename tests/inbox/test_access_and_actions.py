"""Roles enforced by the API (department staff see and touch only their departments, in lists and counts
too), and actions queued as commands: 202 with the id to follow, idempotency keys, refusals, Kafka down."""

import uuid

import pytest
from support.agents import act, arrive, comment, detail, follow
from support.system import System

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def two_departments(system: System) -> dict[str, str]:
    """One highways and one waste conversation, triaged."""
    highways = await arrive(system, comment(system, "Massive pothole on Albion Street, the road surface is breaking up."))
    waste = await arrive(system, comment(system, "My bins weren't collected on Tuesday, the recycling is overflowing."))
    assert (highways["department"], waste["department"]) == ("highways", "waste")
    return {"highways": highways["id"], "waste": waste["id"]}


async def test_department_staff_see_only_their_departments(system: System, two_departments: dict[str, str]) -> None:
    staff = await system.sign_in("t-highways")
    listed = (await staff.get("/api/conversations", params={"page_size": 100})).json()
    departments = {c["department"] for c in listed["items"]}
    assert departments == {"highways"} and two_departments["highways"] in [c["id"] for c in listed["items"]]
    everything = (await system.conversations())["total"]
    assert listed["total"] < everything  # the count leaks nothing either
    assert (await staff.get("/api/conversations", params={"department": "waste"})).status_code == 403
    assert (await staff.get("/api/conversations", params={"status": "new"})).json()["total"] <= listed["total"]
    assert (await staff.get(f"/api/conversations/{two_departments['waste']}")).status_code == 403
    assert (await staff.get(f"/api/conversations/{two_departments['highways']}")).status_code == 200
    queues = (await staff.get("/api/queues")).json()
    assert [q["department"] for q in queues] == ["highways"]
    agent = await system.sign_in("t-agent")
    assert {"highways", "waste"} <= {q["department"] for q in (await agent.get("/api/queues")).json()}


async def test_department_staff_cannot_act_on_another_departments_conversation(system: System,
                                                                               two_departments: dict[str, str]) -> None:
    staff = await system.sign_in("t-highways")
    waste = two_departments["waste"]
    for action, body in (("notes", {"text": "x"}), ("reply", {"text": "x"}), ("claim", {}), ("resolve", {}),
                         ("handover", {"private_channel": "messenger"}), ("reroute", {"department": "highways"})):
        response = await staff.post(f"/api/conversations/{waste}/{action}", json=body)
        assert response.status_code == 403, (action, response.text)
    state = await act(staff, two_departments["highways"], "notes", {"text": "Inspector booked for Thursday"})
    assert state["status"] == "done"


async def test_roles_for_supervisor_only_actions_and_views(system: System, two_departments: dict[str, str]) -> None:
    agent = await system.sign_in("t-agent")
    key = two_departments["highways"]
    assert (await agent.post(f"/api/conversations/{key}/ban-author", json={"reason": "x"})).status_code == 403
    assert (await agent.post(f"/api/conversations/{key}/assign", json={"assignee": "t-agent2"})).status_code == 403
    assert (await agent.post(f"/api/conversations/{key}/assign", json={})).status_code == 403
    for path in ("/api/audit", "/api/audit/export", "/api/handovers", "/api/moderation/authors",
                 "/api/moderation/evidence", "/api/staff"):
        assert (await agent.get(path)).status_code == 403, path
    staff = await system.sign_in("t-highways")
    assert (await staff.post(f"/api/conversations/{key}/hide", json={"message_id": "m", "reason": "x"})).status_code == 403
    supervisor = await system.sign_in("t-super")
    assert (await supervisor.get("/api/audit")).status_code == 200


async def test_an_action_is_a_command_answered_202_to_follow(system: System, two_departments: dict[str, str]) -> None:
    agent = await system.sign_in("t-agent2")
    key = two_departments["waste"]
    response = await agent.post(f"/api/conversations/{key}/claim")
    assert response.status_code == 202
    body = response.json()
    assert body["follow"] == f"/api/commands/{body['command_id']}"
    state = await follow(agent, body["command_id"])
    assert (state["status"], state["action"], state["conversation_key"]) == ("done", "claim", key)
    assert (await detail(agent, key))["conversation"]["assignee"] == "t-agent2"
    # Another agent's claim is refused at once; a supervisor can still follow the command of anyone.
    other = await system.sign_in("t-agent")
    assert (await other.post(f"/api/conversations/{key}/claim")).status_code == 409
    assert (await other.get(f"/api/commands/{body['command_id']}")).status_code == 403
    assert (await (await system.sign_in("t-super")).get(f"/api/commands/{body['command_id']}")).status_code == 200
    assert (await agent.get(f"/api/commands/{uuid.uuid4()}")).status_code == 404


async def test_idempotency_keys_make_a_retried_request_the_same_command(system: System,
                                                                      two_departments: dict[str, str]) -> None:
    agent = await system.sign_in("t-agent")
    key = two_departments["highways"]
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    first = await agent.post(f"/api/conversations/{key}/notes", json={"text": "once"}, headers=headers)
    second = await agent.post(f"/api/conversations/{key}/notes", json={"text": "once"}, headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json()["command_id"] == second.json()["command_id"]
    await follow(agent, first.json()["command_id"])
    notes = [n for n in (await detail(agent, key))["notes"] if n["text"] == "once"]
    assert len(notes) == 1
    reused = await agent.post(f"/api/conversations/{key}/resolve", json={}, headers=headers)
    assert reused.status_code == 409


async def test_requests_are_validated_with_the_field_at_fault(system: System, two_departments: dict[str, str]) -> None:
    agent = await system.sign_in("t-agent")
    key = two_departments["highways"]
    too_long = await agent.post(f"/api/conversations/{key}/reply", json={"text": "x" * 9000})
    assert too_long.status_code == 422 and too_long.json()["detail"][0]["loc"][-1] == "text"
    bad = await agent.post(f"/api/conversations/{key}/reroute", json={"department": "Highways; drop"})
    assert bad.status_code == 422
    assert (await agent.post("/api/conversations/nope/notes", json={"text": "x"})).status_code == 404


async def test_when_kafka_is_down_nothing_is_queued_and_the_answer_is_503(system: System,
                                                                        two_departments: dict[str, str]) -> None:
    import httpx
    from inbox.config import Settings
    from inbox.main import create_app

    app = create_app(Settings(mongodb_uri=system.infra.mongodb_uri, database=system.database,
                              kafka_bootstrap_servers="127.0.0.1:9", startup_wait_seconds=0.2))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://inbox.test") as c:
            await c.post("/api/auth/login", json={"username": "t-agent", "password": system.passwords["t-agent"]})
            response = await c.post(f"/api/conversations/{two_departments['highways']}/notes", json={"text": "x"})
            assert response.status_code == 503 and "could not queue" in response.text
            assert (await c.get("/healthz")).status_code == 503
