"""Out of hours, end to end on the real stack: a freeze holds a reply until two admins lift it, then it is
sent; an own-account post Civic Inbox did not send raises a security alert (to the duty rota and the
admins); an absence recorded ahead starts and ends by itself and hands the person's work on; a silenced
account is flagged on channel health and sent to ops."""

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from civic_contracts.topics import OPS_ALERT
from support.agents import act, arrive, comment, detail, follow, page, wait_for
from support.kafka import find_records
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


async def replies_of(client, key: str) -> list[dict]:
    return (await detail(client, key))["replies"]


async def lift_freeze(system: System, account: str | None = None) -> None:
    for admin in ("t-admin", "t-admin2"):
        client = await system.sign_in(admin)
        response = await client.post("/api/outbound/unfreeze", json={"account_id": account, "reason": "test over"})
        assert response.status_code == 202


async def meta_sent(system: System, text: str) -> list[dict]:
    sent = (await system.sandbox.get("/_sandbox/sent", params={"platform": "meta"})).json()
    return [s for s in sent if text in str(s.get("body"))]


async def test_a_freeze_holds_a_reply_until_two_admins_lift_it(system: System) -> None:
    convo = await arrive(system, comment(system, "The bins on Orchard Close were missed again this week."))
    key, account = convo["id"], page(system)
    admin, admin2 = await system.sign_in("t-admin"), await system.sign_in("t-admin2")
    agent = await system.sign_in("t-agent")
    assert (await agent.post("/api/outbound/freeze", json={"reason": "x"})).status_code == 403

    response = await admin.post("/api/outbound/freeze", json={"account_id": account, "reason": "Suspected compromise of the Page"})
    assert response.status_code == 202
    assert (await follow(admin, response.json()["command_id"]))["status"] == "done"
    try:
        text = f"Sorry about that, a crew will collect them tomorrow ({uuid.uuid4().hex[:6]})."
        state = await act(agent, key, "reply", {"text": text})
        assert state["status"] == "done", state
        reply_id = state["result"]["reply_id"]
        await wait_for(lambda: _timeline(agent, key, "reply_held"), timeout=20)
        held = (await agent.get("/api/outbound/freezes")).json()
        assert any(h["reply_id"] == reply_id for h in held["held_replies"])
        [mine] = [f for f in held["freezes"] if f["account_id"] == account]
        assert mine["frozen"] is True and mine["reason"] == "Suspected compromise of the Page"
        assert [r["status"] for r in await replies_of(agent, key) if r["id"] == reply_id] == ["approved"]
        page_html = (await admin.get("/out-of-hours")).text  # what a person sees in the web app
        assert "Suspected compromise of the Page" in page_html and "Replies waiting for the freeze to lift (1)" in page_html
        assert 'action="/out-of-hours/unfreeze"' in page_html

        # One admin alone cannot lift it.
        first = await admin.post("/api/outbound/unfreeze", json={"account_id": account, "reason": "Password reset, 2FA on"})
        assert (await follow(admin, first.json()["command_id"]))["result"]["awaiting_second_admin"] is True
        again = await admin.post("/api/outbound/unfreeze", json={"account_id": account, "reason": "still me"})
        refused = await follow(admin, again.json()["command_id"])
        assert refused["status"] == "rejected" and "second admin" in refused["reason"]
        await asyncio.sleep(1)
        assert await meta_sent(system, text) == []

        statement = f"Our Page is secure again; ignore any post about refunds ({uuid.uuid4().hex[:6]})."
        second = await admin2.post("/api/outbound/unfreeze", json={"account_id": account, "reason": "Checked the Page",
                                                                    "holding_statement": statement})
        lifted = await follow(admin2, second.json()["command_id"])
        assert lifted["status"] == "done" and lifted["result"]["released"] == 1, lifted
        assert len(lifted["result"]["statements"]) == 1
    finally:  # never leave the session's Page frozen for the tests after this one
        if any(f["frozen"] for f in (await admin.get("/api/outbound/freezes")).json()["freezes"]):
            await lift_freeze(system, account)

    async def sent():
        return [r for r in await replies_of(agent, key) if r["id"] == reply_id and r["status"] == "sent"]
    await wait_for(sent, timeout=30)
    assert len(await meta_sent(system, text)) == 1
    [post] = await wait_for(lambda: meta_sent(system, statement), timeout=30)  # the holding statement, as a Page post
    assert post["path"].endswith(f"/{account}/feed") and post["body"]["message"] == statement
    supervisor = await system.sign_in("t-super")
    audit = (await supervisor.get("/api/audit", params={"action": "unfreeze"})).json()
    assert {e["outcome"] for e in audit["items"]} >= {"done", "rejected"}


async def _timeline(client, key: str, kind: str) -> list[dict]:
    return [e for e in (await detail(client, key))["timeline"] if e["type"] == kind]


async def test_an_own_account_post_we_did_not_send_raises_a_security_alert(system: System) -> None:
    account = page(system)
    post_id = f"{account}_{uuid.uuid4().hex[:10]}"
    now = int(time.time())
    payload = {"object": "page", "entry": [{"id": account, "time": now, "changes": [{"field": "feed", "value": {
        "item": "status", "verb": "add", "post_id": post_id, "from": {"id": account, "name": "Example Council"},
        "message": "Click here for free council tax refunds", "created_time": now}}]}]}
    assert (await system.post_meta(payload)).status_code == 200
    [alert] = {a["id"]: a for a in await find_records(system.infra.kafka_bootstrap_servers, OPS_ALERT.name,
                                                        lambda a: a.get("platform_item_id") == post_id)}.values()
    assert alert["kind"] == "unsent_post" and alert["security"] is True and alert["account_id"] == account
    assert "did not send" in alert["summary"] and "refund" not in alert["summary"]
    # The admins hear of it at once, and the duty rota is paged (a duty alert, with escalation).
    admin_sms = await wait_for(lambda: _sms_to(system, "+447700900201", account), timeout=20)
    assert "SECURITY ALERT" in admin_sms[0]["body"]["Body"]
    duty = await wait_for(lambda: _duty_alerts(system, f"security:facebook:{account}"), timeout=20)
    assert duty[0]["reason"] == "security_unsent_post" and duty[0]["holders"]
    page_html = (await system.inbox.get("/out-of-hours")).text
    assert f"Security: facebook:{account}" in page_html and duty[0]["holders"][0] in page_html
    assert "did not send" in page_html
    supervisor = await system.sign_in("t-super")
    audit = (await supervisor.get("/api/audit", params={"action": "account_alert_unsent_post"})).json()
    assert any(e["account_id"] == account for e in audit["items"])


async def _sms_to(system: System, phone: str, needle: str) -> list[dict]:
    sent = (await system.sandbox.get("/_sandbox/sent", params={"platform": "twilio"})).json()
    return [s for s in sent if s["body"].get("To") == phone and needle in s["body"]["Body"]]


async def _duty_alerts(system: System, key: str) -> list[dict]:
    return [a for a in (await system.inbox.get("/api/alerts/duty")).json() if a["conversation_key"] == key]


async def test_an_absence_starts_and_ends_by_itself_and_hands_the_work_on(system: System) -> None:
    convo = await arrive(system, comment(system, "A large branch has come down from the oak tree in Victoria Park."))
    key = convo["id"]
    supervisor = await system.sign_in("t-super")
    if convo["department"] != "parks_trees":
        assert (await act(supervisor, key, "reroute", {"department": "parks_trees"}))["status"] == "done"
    assert (await act(supervisor, key, "assign", {"assignee": "t-parks1"}))["status"] == "done"
    start = datetime.now(UTC) + timedelta(hours=1)
    end = start + timedelta(days=2)
    response = await supervisor.post("/api/staff/t-parks1/absence", json={
        "user_id": "t-parks1", "on_leave": True, "starts_at": start.isoformat(), "ends_at": end.isoformat()})
    state = await follow(supervisor, response.json()["command_id"])
    assert state["status"] == "done" and state["result"]["scheduled"] is True, state
    staff = {s["user_id"]: s for s in (await supervisor.get("/api/staff")).json()}
    assert staff["t-parks1"]["on_leave"] is False  # not yet
    try:
        system.clock.set(start + timedelta(minutes=1))
        await system.run_responder_jobs()
        staff = {s["user_id"]: s for s in (await supervisor.get("/api/staff")).json()}
        assert staff["t-parks1"]["on_leave"] is True and staff["t-parks1"]["until"] == end.date().isoformat()
        assert f"Test Parks1: away until {end.date().isoformat()}" in (await supervisor.get("/out-of-hours")).text
        moved = (await detail(supervisor, key))["conversation"]
        assert moved["assignee"] not in (None, "t-parks1"), moved
        system.clock.set(end + timedelta(minutes=1))
        await system.run_responder_jobs()
        staff = {s["user_id"]: s for s in (await supervisor.get("/api/staff")).json()}
        assert staff["t-parks1"]["on_leave"] is False
    finally:
        system.clock.set(None)
    audit = (await supervisor.get("/api/audit", params={"action": "set_absence", "actor": "system"})).json()
    assert len([e for e in audit["items"] if e["details"]["request"]["user_id"] == "t-parks1"]) == 2


async def test_a_silenced_account_is_flagged_and_ops_are_told(system: System) -> None:
    account = page(system)
    silence = system.apps["connectors"].state.silence
    # A year ahead: other tests' traffic to the same Page in the real last hour would not be a silence.
    now = (datetime.now(UTC) + timedelta(weeks=52)).replace(minute=5)
    hour = (now - timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    for weeks in (1, 2, 3, 4):  # four weeks of a busy hour: about 40 comments
        await silence.volume.add("facebook", account, hour - timedelta(weeks=weeks), 38 + weeks)
    raised = await silence.check(now)
    [alert] = [a for a in raised if a.account_id == account and a.channel.value == "facebook"]
    assert alert.kind.value == "channel_silent" and alert.data["observed"] == 0 and alert.data["usual"] == 40.5
    health = {(h["channel"], h["account_id"]): h for h in (await system.connectors.get("http://connectors.test:9081/api/channel-health")).json()}
    flagged = health[("facebook", account)]
    assert flagged["silent"] is True and flagged["inbound_usual"] == 40.5 and "silent" in flagged["detail"]
    assert health[("messenger", account)]["silent"] is False  # no history: not watched
    emails = await wait_for(lambda: _emails_to(system, "ops@council.example", f"{account} went quiet"), timeout=20)
    assert emails[0]["body"]["subject"].startswith("Channel alert: facebook")


async def _emails_to(system: System, address: str, needle: str) -> list[dict]:
    sent = (await system.sandbox.get("/_sandbox/sent", params={"platform": "mailgun"})).json()
    return [s for s in sent if s["body"].get("to") == address and needle in s["body"]["text"]]
