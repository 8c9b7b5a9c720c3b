"""In Chromium: sign in, filter the inbox, open a conversation whose text is an XSS attempt (shown as
characters, nothing runs), reply and watch the status turn to sent without a reload, re-route, hand over."""

import uuid

import pytest
from playwright.async_api import expect
from support.system import System
from web_support import arrive, feed_comment, messenger, shot

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2"> my bins were not collected'


@pytest.fixture(scope="module")
async def seeded(system: System) -> dict:
    marker = uuid.uuid4().hex[:6]
    xss = await arrive(system, messenger(system, f"{XSS} on Tuesday ({marker}), the recycling is overflowing"))
    pothole = await arrive(system, feed_comment(system, f"Massive pothole on Albion Street outside the school ({marker}), "
                                                "the road surface is breaking up", name="Ali Khan"))
    return {"xss": xss, "pothole": pothole, "marker": marker}


async def test_sign_in_filter_and_open_shows_citizen_text_as_text(new_page, seeded, system: System) -> None:
    page = await new_page(None)
    await page.goto("/inbox")
    await page.wait_for_url("**/login?next=/inbox")
    await expect(page.get_by_role("heading", name="Sign in to Civic Inbox")).to_be_visible()
    await page.screenshot(path=shot("01-sign-in"))
    await page.close()

    page = await new_page("t-agent")
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Inbox")
    await page.get_by_label("Department").select_option("waste")
    await page.get_by_label("Order").select_option("newest")
    await page.get_by_role("button", name="Apply filters").click()
    await page.wait_for_url("**department=waste**")
    rows = page.locator("#conversation-list li.row")
    xss_row = page.locator(f'li.row[data-key="{seeded["xss"]["id"]}"]')
    await expect(xss_row).to_have_count(1)
    assert await page.locator(f'li.row[data-key="{seeded["pothole"]["id"]}"]').count() == 0
    await page.screenshot(path=shot("02-inbox-filtered-waste"), full_page=True)

    # A new message for this view arrives while the list is open: its row appears without a reload.
    await page.evaluate("window.__samePage = 'yes'")
    key, payload = messenger(system, f"Overflowing litter bin by the bus stop on Canal Street ({seeded['marker']}-live)")
    assert (await system.post_meta(payload)).status_code == 200
    live_row = page.locator(f'li.row[data-key="{key}"]')
    await expect(live_row).to_be_visible(timeout=60_000)
    await expect(live_row).to_contain_text("Waste and recycling")
    assert await page.evaluate("window.__samePage") == "yes"
    await page.screenshot(path=shot("02b-inbox-new-row-live"), full_page=True)

    # Keyboard: focus the list, move with j, open with Enter.
    first = rows.first.locator("a.row-link")
    await first.focus()
    await page.keyboard.press("j")
    await page.keyboard.press("k")
    await expect(first).to_be_focused()
    await xss_row.locator("a.row-link").focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/conversations/**")

    thread = page.locator("#thread")
    await expect(thread).to_contain_text("<script>window.__xss = 1</script>")
    await expect(thread).to_contain_text('onerror="window.__xss = 2"')
    assert await thread.locator("img, script").count() == 0
    assert await page.evaluate("typeof window.__xss") == "undefined"
    await page.screenshot(path=shot("03-conversation-xss-as-text"), full_page=True)


async def test_reply_status_turns_sent_without_a_reload(new_page, seeded, system: System) -> None:
    key = seeded["xss"]["id"]
    ledger = system.apps["connectors"].state.stores.ledger
    assert await ledger.last_inbound(key), "the connectors know the messaging window"
    page = await new_page("t-agent")
    await page.goto(f"/conversations/{key}")
    await expect(page.locator("#live-indicator")).to_be_visible()
    await page.evaluate("window.__samePage = 'yes'")
    text = f"Sorry about that, the crew will come back tomorrow ({seeded['marker']})."
    await page.get_by_label("Reply", exact=True).fill(text)
    await page.get_by_role("button", name="Send reply").click()
    reply = page.locator("#replies li.reply").filter(has_text=seeded["marker"])
    await expect(reply).to_have_count(1, timeout=30_000)
    await expect(reply.locator("[data-reply-status]")).to_have_text("sent", timeout=45_000)
    assert await page.evaluate("window.__samePage") == "yes", "the page was reloaded"
    await page.screenshot(path=shot("04-reply-sent-live"), full_page=True)


async def test_reroute_then_hand_over(new_page, seeded) -> None:
    key = seeded["pothole"]["id"]
    page = await new_page("t-agent")
    await page.goto(f"/conversations/{key}")
    await page.get_by_role("button", name="Assign to me").click()
    await expect(page.locator("#conv-status")).to_contain_text("Assigned to Test Agent", timeout=30_000)
    await expect(page.get_by_role("button", name="Release to the queue")).to_be_visible()
    await page.get_by_label("Re-route to").select_option("street_lighting")
    await page.get_by_label("Why (optional, helps triage learn)").fill("It is the lamp post, not the road")
    await page.get_by_role("button", name="Re-route").click()
    status = page.locator("#conv-status")
    await expect(status).to_contain_text("Street lighting", timeout=30_000)
    await expect(page.locator("#timeline")).to_contain_text("re-routed to Street lighting", timeout=30_000)

    await page.get_by_label("Private channel").select_option("messenger")
    await page.get_by_label("Why (for the audit log)").fill("Needs the citizen's address")
    await page.get_by_role("button", name="Hand over").click()
    await expect(status).to_contain_text("Handed over", timeout=45_000)
    await expect(status).to_contain_text("Case ", timeout=45_000)
    await page.screenshot(path=shot("05-rerouted-and-handed-over"), full_page=True)
