"""Duty alerts reach a person, end to end on the real stack: a critical comment on the Page becomes an SMS,
an email and a Slack post to whoever is on duty (in the sandbox, within seconds), carrying the link,
urgency and department but never the citizen's words; unacknowledged, it escalates after the (shortened)
timeout; an acknowledgement (an SMS reply, or the signed link) stops it; every step is on the timeline
and in the audit log, and a redelivered alert is not sent twice."""

import asyncio
from urllib.parse import quote, urlencode

import pytest
from civic_contracts.topics import DUTY_ALERT
from support.agents import arrive, comment, wait_for
from support.channels import NOTIFIER_ACK_TIMEOUT_SECONDS, TWILIO_AUTH_TOKEN
from support.kafka import find_records, produce_raw
from support.system import System
from twilio.request_validator import RequestValidator

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
WORDS = "My neighbour is threatening to kill himself right now, he has a knife, please send someone"


async def sent(system: System, platform: str) -> list[dict]:
    response = await system.sandbox.get("/_sandbox/sent", params={"platform": platform})
    response.raise_for_status()
    return response.json()


async def texts_to(system: System, phone: str, key: str) -> list[dict]:
    return [s for s in await sent(system, "twilio") if s["body"].get("To") == phone and quote(key, safe="") in s["body"]["Body"]]


async def emails_to(system: System, address: str, key: str) -> list[dict]:
    return [s for s in await sent(system, "mailgun") if s["body"].get("to") == address and quote(key, safe="") in s["body"]["text"]]


async def critical(system: System) -> tuple[str, dict]:
    """A critical comment arrives; (conversation key, the duty alert responder raised)."""
    convo = await arrive(system, comment(system, WORDS, name="Alex Morgan"))
    key = convo["id"]
    assert convo["urgency"] == "critical", convo
    [alert] = {a["id"]: a for a in await find_records(system.infra.kafka_bootstrap_servers, DUTY_ALERT.name,
                                                        lambda a: a.get("conversation_key") == key)}.values()
    return key, alert


async def timeline(system: System, key: str, kind: str) -> list[dict]:
    response = await system.inbox.get(f"/api/conversations/{key}")
    response.raise_for_status()
    return [e for e in response.json()["timeline"] if e["type"] == kind]


async def sms_reply(system: System, phone: str, body: str):
    params = {"MessageSid": f"SM{abs(hash((phone, body))):032x}"[:34], "AccountSid": "AC00000000000000000000000000000001",
              "From": phone, "To": "+447700900999", "Body": body}
    signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature("http://notifier.test/webhooks/twilio", params)
    return await system.notifier.post("/webhooks/twilio", content=urlencode(params), headers={
        "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})


async def test_a_critical_message_reaches_the_person_on_duty_escalates_and_stops_when_acknowledged(system: System) -> None:
    key, alert = await critical(system)
    duty, nxt, fallback = alert["on_duty"][0], alert["escalation"][0], alert["escalation"][-1]
    assert duty["phone"] and duty["email"] and nxt["phone"] and fallback["name"] == "Emergency control room"

    [sms] = await wait_for(lambda: texts_to(system, duty["phone"], key), timeout=20)
    [email] = await wait_for(lambda: emails_to(system, duty["email"], key), timeout=10)
    for text in (sms["body"]["Body"], email["body"]["text"], email["body"]["html"], email["body"]["subject"]):
        assert "knife" not in text and "neighbour" not in text and "Alex" not in text, text
    assert "CRITICAL" in sms["body"]["Body"] and "ACK" in sms["body"]["Body"]
    assert email["body"]["subject"].startswith("CRITICAL duty alert")
    slack = [s for s in await sent(system, "slack") if quote(key, safe="") in str(s["body"])]
    assert slack and slack[0]["body"]["blocks"][0]["type"] == "header"

    # Nobody acknowledges: after the timeout the next on the rota is alerted, and the holder shows it.
    [escalated] = await wait_for(lambda: texts_to(system, nxt["phone"], key), timeout=NOTIFIER_ACK_TIMEOUT_SECONDS + 15)
    assert "escalated" in escalated["body"]["Body"]
    code = escalated["body"]["Body"].split("reply ACK ")[1][:4]

    reply = await sms_reply(system, nxt["phone"], f"ack {code}")
    assert reply.status_code == 200 and "Acknowledged alert" in reply.text, reply.text
    alerts = (await system.notifier.get("/api/alerts")).json()
    [mine] = [a for a in alerts if a["conversation_key"] == key]
    assert mine["status"] == "acknowledged" and mine["holders"] == [nxt["name"]] and mine["acknowledged_via"] == "sms"

    # Acknowledged: the fallback is never paged, however long we wait.
    await asyncio.sleep(NOTIFIER_ACK_TIMEOUT_SECONDS + 2)
    assert await texts_to(system, fallback["phone"], key) == []
    assert len(await texts_to(system, duty["phone"], key)) == 1

    for kind in ("duty_alert_notified", "duty_alert_escalated", "duty_alert_acknowledged"):
        await wait_for(lambda kind=kind: timeline(system, key, kind), timeout=20)
    [ack] = await timeline(system, key, "duty_alert_acknowledged")
    assert nxt["name"] in ack["summary"]
    supervisor = await system.sign_in("t-super")
    audit = (await supervisor.get("/api/audit", params={"conversation_key": key, "action": "duty_alert_acknowledged"})).json()
    assert audit["total"] == 1


async def test_the_signed_link_acknowledges_and_a_redelivered_alert_is_not_sent_again(system: System) -> None:
    key, alert = await critical(system)
    duty = alert["on_duty"][0]
    [sms] = await wait_for(lambda: texts_to(system, duty["phone"], key), timeout=20)
    link = sms["body"]["Body"].split("or open ")[1].split()[0]
    path = link.removeprefix("http://notifier.test")

    forged = await system.notifier.get(path.replace("sig=", "sig=0"))
    assert forged.status_code == 403
    page = await system.notifier.get(path)
    assert page.status_code == 200 and "I&#x27;m on it" in page.text or "on it" in page.text
    assert "knife" not in page.text
    who, sig = path.split("who=")[1].split("&sig=")
    done = await system.notifier.post(path.split("?")[0], content=urlencode({"who": who, "sig": sig}),
                                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200 and "Acknowledged" in done.text
    again = await system.notifier.post(path.split("?")[0], content=urlencode({"who": who, "sig": sig}),
                                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "Already acknowledged" in again.text

    # The same alert delivered again (a replay, a second responder): nothing is sent twice.
    raw = (await find_records(system.infra.kafka_bootstrap_servers, DUTY_ALERT.name, lambda a: a.get("id") == alert["id"]))[0]
    import json

    await produce_raw(system.infra.kafka_bootstrap_servers, DUTY_ALERT.name, json.dumps(raw).encode(), key=key.encode())
    await asyncio.sleep(NOTIFIER_ACK_TIMEOUT_SECONDS + 2)
    assert len(await texts_to(system, duty["phone"], key)) == 1
    assert len(await emails_to(system, duty["email"], key)) == 1
    assert await texts_to(system, alert["escalation"][0]["phone"], key) == []
    await wait_for(lambda: timeline(system, key, "duty_alert_acknowledged"), timeout=20)
