"""A subject access bundle as the person receives it: made through the admins' API on the real stack (Messenger
and SMS from one citizen, a neighbour's number in their words), opened in Chromium as a printable page, its
first page kept as a screenshot (`test-artifacts/web/14-subject-access-bundle.png`), and checked for
accessibility like every other page."""

import asyncio
import itertools
import secrets
import uuid

import pytest
from support.channels import post_twilio, session_accounts
from support.system import System
from test_browser_pages import axe_violations
from web_support import arrive, messenger, shot

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
NEIGHBOUR = "07700 900987"
NUMBERS = itertools.count(secrets.randbelow(900_000))  # 07913 numbers: no other test uses them


async def _follow(system: System, accepted) -> dict:
    assert accepted.status_code == 202, accepted.text
    for _ in range(300):
        state = (await system.inbox.get(accepted.json()["follow"])).json()
        if state["status"] in ("done", "rejected"):
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"command not carried out: {state}")


async def test_a_subject_access_bundle_reads_as_a_printable_page(new_page, axe_script, system: System) -> None:
    psid, phone = f"73{secrets.randbelow(10**14):014d}", f"+447913{next(NUMBERS) % 10**6:06d}"
    local = "0" + phone[3:7] + " " + phone[7:]
    await arrive(system, messenger(system, f"Fly-tipping behind the garages on Kestrel Road again. My neighbour on "
                                           f"{NEIGHBOUR} saw the van; call me on {local}", sender=psid))
    number = session_accounts(system.run_id).number
    sms = {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": "AC00000000000000000000000000000001", "From": phone,
           "To": number, "Body": "Street light outside 14 Kestrel Road is out again", "NumMedia": "0"}
    assert (await post_twilio(system.connectors, sms)).status_code == 200
    await system.wait_for_conversation(f"sms:{number}:{phone}", until=lambda c: bool(c["messages"]), timeout=120)
    done = await _follow(system, await system.inbox.post("/api/records/subject-access", json={
        "person": [f"messenger:{psid}", f"sms:{phone}"], "request": "SAR-2026-0142"}))
    assert done["status"] == "done" and done["result"]["messages_by_person"] == 2
    page = await new_page("t-admin", init_scripts=(axe_script,))
    await page.goto(f"/api/records/exports/{done['result']['export_id']}/page")
    await page.get_by_role("heading", name="Subject access request").wait_for()
    headings = await page.get_by_role("heading", level=2).all_inner_texts()
    assert sorted(headings) == ["Conversation on Messenger", "Conversation on SMS"]
    body = await page.locator("main").inner_text()
    assert "[phone redacted]" in body and NEIGHBOUR not in body and local in body  # their own number stays
    assert "SAR-2026-0142" in body and "Street light outside 14 Kestrel Road" in body
    await page.screenshot(path=shot("14-subject-access-bundle"))
    assert [v for v in await axe_violations(page) if v["impact"] in ("serious", "critical")] == []
