"""SLA on the business-hours calendar, end to end: a comment written late on a Friday, the responder's
periodic job run at moments chosen by the test (an injected clock), warnings and breaches on Kafka and in
the API, and a critical message paging the duty rota at once."""

from datetime import UTC, datetime

import pytest
from civic_contracts.topics import CONVERSATION_EVENT, DUTY_ALERT
from support.agents import arrive, comment, detail
from support.kafka import find_records
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


@pytest.fixture(autouse=True)
async def tidy_sandbox(system: System):
    """Leave the session's platform stand-in as found: forget the calls these tests caused."""
    yield
    await system.sandbox.delete("/_sandbox/sent")
FRIDAY_4PM = datetime(2026, 1, 16, 16, 0, tzinfo=UTC)  # Friday 16 January 2026 (GMT): the office closes at 16:30


async def events(system: System, key: str, kind: str, count: int = 1, timeout: float = 20) -> list[dict]:
    return await find_records(system.infra.kafka_bootstrap_servers, CONVERSATION_EVENT.name,
                              lambda e: e.get("conversation_key") == key and e.get("type") == kind,
                              count=count, timeout=timeout)


async def test_an_sla_breach_fires_on_the_business_hours_calendar(system: System) -> None:
    convo = await arrive(system, comment(system, "Could you repaint the faded give way markings on Elm Grove please",
                                         at=int(FRIDAY_4PM.timestamp())))
    key = convo["id"]
    agent = await system.sign_in("t-agent")
    sla = (await detail(agent, key))["conversation"]["sla"]
    assert sla["target"]["calendar"] == "business" and sla["target"]["urgency"] == "normal", sla
    # 480 business minutes: 30 on Friday, then Monday 09:00-16:30.
    assert sla["first_response"]["due"] == "2026-01-19T16:30:00Z"
    try:
        system.clock.set(datetime(2026, 1, 18, 23, 0, tzinfo=UTC))  # Sunday night: two days later, no time used
        await system.run_responder_jobs()
        after_weekend = (await detail(agent, key))["conversation"]["sla"]["first_response"]
        assert not after_weekend["warned"] and not after_weekend["breached"]
        system.clock.set(datetime(2026, 1, 19, 15, 0, tzinfo=UTC))  # Monday 15:00: 75% used
        await system.run_responder_jobs()
        [warning] = await events(system, key, "sla_warning")
        assert warning["data"]["clock"] == "first_response"
        system.clock.set(datetime(2026, 1, 19, 17, 0, tzinfo=UTC))  # Monday 17:00: missed
        await system.run_responder_jobs()
        await system.run_responder_jobs()  # raised once, however often the job runs
    finally:
        system.clock.set(None)
    breaches = await events(system, key, "sla_breached", count=2, timeout=5)
    assert len(breaches) == 1 and breaches[0]["data"]["due"].startswith("2026-01-19T16:30")
    assert (await detail(agent, key))["conversation"]["sla"]["first_response"]["breached"] is True
    supervisor = await system.sign_in("t-super")
    audit = (await supervisor.get("/api/audit", params={"conversation_key": key, "action": "sla_breach"})).json()
    assert audit["total"] == 1 and audit["items"][0]["actor"]["user_id"] == "system"


async def test_a_critical_message_pages_the_duty_rota_at_once(system: System) -> None:
    convo = await arrive(system, comment(system, "My neighbour is threatening to kill himself right now, he has a knife, "
                                                 "please send someone"))
    key = convo["id"]
    assert convo["urgency"] == "critical", convo
    found = await find_records(system.infra.kafka_bootstrap_servers, DUTY_ALERT.name,
                               lambda a: a.get("conversation_key") == key)
    [alert] = {a["id"]: a for a in found}.values()  # one alert (a copy from another test session has the same id)
    assert alert["reason"] == "critical_message" and alert["on_duty"]
    sla = (await detail(await system.sign_in("t-agent"), key))["conversation"]["sla"]
    assert sla["target"]["calendar"] == "24x7"
