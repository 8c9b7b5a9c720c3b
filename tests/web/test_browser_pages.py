"""In Chromium: abusive text blurred until revealed, personal data marked, an incident answered in one go,
and an automated accessibility check (axe-core, WCAG 2.2 A/AA rules) of every page with no serious or
critical violation."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from civic_contracts.incident import Incident, IncidentSample, IncidentStatus
from playwright.async_api import expect
from support.kafka import produce_raw
from support.system import System
from web_support import ARTIFACTS, shot, stored

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
ABUSIVE = "You useless idiots, I know where you live. Ring me on 07700 900123 before I come round"
PHONE = ABUSIVE.index("07700")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
async def abusive(system: System) -> str:
    return await stored(system, department="environmental_health_asb", text=ABUSIVE, abuse="threat", channel="facebook",
                        kind="public_comment", pii=[{"kind": "phone", "start": PHONE, "end": PHONE + 13}])


async def test_abusive_text_is_blurred_until_revealed_and_personal_data_is_marked(new_page, abusive) -> None:
    page = await new_page("t-agent")
    await page.goto(f"/conversations/{abusive}")
    text = page.locator("#thread .message-text")
    await expect(text).to_have_class("message-text blurred")
    await expect(text).to_have_attribute("aria-hidden", "true")
    await expect(page.locator("#thread")).to_contain_text("Labelled threat")
    await page.screenshot(path=shot("06-abusive-blurred"))
    reveal = page.get_by_role("button", name="Show message")
    await reveal.click()
    await expect(text).not_to_have_class("message-text blurred")
    await expect(page.get_by_role("button", name="Hide message again")).to_have_attribute("aria-expanded", "true")
    await expect(text.locator("mark.pii")).to_contain_text("07700 900123")
    await page.screenshot(path=shot("07-abusive-revealed-with-personal-data"))


async def test_an_incident_is_answered_in_one_go(new_page, system: System) -> None:
    app = system.apps["inbox"]
    topic = f"incident.test-{system.run_id}.v1"
    app.state.web_settings = app.state.web_settings.model_copy(update={"incident_topic": topic})
    keys = [await stored(system, department="waste", text=f"Bins not collected on Elm Road {i}") for i in range(3)]
    now = datetime.now(UTC)
    incident = Incident(incident_id=f"inc-waste-{uuid.uuid4().hex[:6]}", department="waste", subject="bins not collected on Elm Road",
                        top_terms=["bins", "elm road"], message_ids=[f"{k}:m1" for k in keys], count=3, first_seen=now,
                        last_seen=now, status=IncidentStatus.OPEN,
                        samples=[IncidentSample(message_id=f"{keys[0]}:m1", text="<b>Bins</b> not collected on Elm Road 0")])
    await produce_raw(system.infra.kafka_bootstrap_servers, topic, incident.model_dump_json().encode(),
                      key=incident.incident_id.encode())
    page = await new_page("t-super")
    await page.goto("/incidents")
    section = page.locator("section.incident").filter(has_text="bins not collected on Elm Road")
    await expect(section.locator("li.row")).to_have_count(3)
    await expect(section).to_contain_text("<b>Bins</b> not collected")
    await section.get_by_label("One answer for every open conversation above").fill("The crews are on Elm Road today.")
    await section.get_by_role("button", name="Send to all").click()
    await expect(page.locator(".notice-success")).to_contain_text("Answer queued for 3 conversations")
    await page.screenshot(path=shot("08-incident-answered"))


async def axe_violations(page) -> list[dict]:
    return await page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""", AXE_TAGS)


async def test_every_page_passes_the_accessibility_check(new_page, axe_script, abusive, system: System) -> None:
    await stored(system, department="general", text="Thanks, great job on the bins today", channel="facebook",
                 kind="public_comment", not_a_request="thanks", intent="not_actionable")  # a row with its buttons
    db = system.apps["inbox"].state.store.db
    await db["replies"].insert_one({
        "_id": f"reply-{uuid.uuid4().hex[:8]}", "conversation_key": abusive, "purpose": "reply", "status": "awaiting_approval",
        "text": "Thank you, we have passed this to the team.", "channel": "facebook", "account_id": "test",
        "action": "public_reply", "public": True, "requested_by": {"user_id": "t-agent", "name": "Test Agent", "role": "agent"},
        "requested_at": datetime.now(UTC), "checks": [], "approval": {"required": True, "reasons": ["abusive thread, public"]}})
    pages = {
        None: ["/login"],
        "t-agent": ["/inbox", "/inbox?view=abusive&sort=newest", "/inbox?view=not_a_request", f"/conversations/{abusive}",
                    "/dashboard"],
        "t-admin": ["/approvals", "/handovers", "/incidents", "/ops", "/reports?by=channel"],
    }
    found, report = {}, {}
    for user, paths in pages.items():
        page = await new_page(user, init_scripts=(axe_script,))
        for path in paths:
            await page.goto(path)
            if path == f"/conversations/{abusive}":
                await page.get_by_role("button", name="Show message").click()
            violations = await axe_violations(page)
            report[path] = violations
            serious = [v for v in violations if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
            if path in ("/dashboard", "/ops", "/approvals"):
                await page.screenshot(path=shot(f"09-{path.strip('/')}"), full_page=path != "/ops")
        # The checker itself works: a button without a name is caught.
        await page.evaluate("document.body.append(document.createElement('button'))")
        assert "button-name" in [v["id"] for v in await axe_violations(page)]
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(report, indent=2))
    assert len(report) == 11 and not found, json.dumps(found, indent=2)
