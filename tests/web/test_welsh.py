"""The staff interface in Welsh: the catalog covers every text the pages say, a person's choice is kept
(cookie and account), a Welsh user sees the inbox in Welsh, and the Welsh pages pass the accessibility check."""

import json
import re
import uuid
from pathlib import Path

import httpx
import pytest
from inbox.web import dashboard, i18n, labels, queries, render, reports
from support.system import System
from test_browser_pages import axe_violations
from web_support import arrive, messenger

INBOX = Path(render.__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def texts_the_pages_say() -> set[str]:
    env, found = render.environment(), set()
    for template in sorted((INBOX / "templates").glob("*.html")):
        source = template.read_text(encoding="utf-8")
        for _line, _func, message in env.extract_translations(source):
            found.update([message] if isinstance(message, str) else [m for m in message if m])
        found.update(re.findall(r"tr\('([^']+)'\)", source))
    for module in (INBOX / "web").glob("*.py"):
        found.update(re.findall(r'\b_\("([^"]+)"\)', module.read_text(encoding="utf-8")))
    for table in (labels.DEPARTMENTS, labels.CHANNELS, labels.STATUSES, labels.URGENCIES, labels.SENTIMENTS,
                  labels.ABUSE, labels.KINDS, labels.ROLES, labels.NOT_A_REQUEST, labels.CLOSE_REASONS):
        found.update(table.values())
    found.update(render.FLASH.values())
    found.update(h for _f, h in reports.DIMENSIONS.values())
    found.update(c for _k, c in dashboard.CLOCKS)
    found.update(v.title for v in queries.VIEWS)
    return found


def test_every_text_has_its_welsh_with_the_same_placeholders() -> None:
    welsh = i18n.catalog("cy")
    said = texts_the_pages_say()
    assert len(said) > 300
    missing = sorted(t for t in said if t not in welsh)
    assert not missing, f"no Welsh for: {missing}"
    for english, cymraeg in welsh.items():
        assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(cymraeg)), english


def test_the_language_follows_the_cookie_then_the_browser() -> None:
    from starlette.requests import Request

    def request(headers: dict[str, str]) -> Request:
        return Request({"type": "http", "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]})

    assert i18n.language_of(request({})) == "en"
    assert i18n.language_of(request({"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})) == "cy"
    assert i18n.language_of(request({"Accept-Language": "cy", "Cookie": f"{i18n.COOKIE}=en"})) == "en"
    assert i18n.language_of(request({"Cookie": f"{i18n.COOKIE}=xx"})) == "en"


async def _welsh_agent(system: System) -> tuple[str, str]:
    user, password = f"t-cy-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    await system.apps["inbox"].state.users.create_user(user_id=user, name="Siân Cymraeg", role="agent",
                                                       password=password, departments=["*"])
    return user, password


@pytest.mark.integration
@pytest.mark.e2e
async def test_a_welsh_user_sees_the_inbox_in_welsh_and_keeps_the_choice(web_url, system: System) -> None:
    await arrive(system, messenger(system, "Mae'r golau stryd ar Heol y Bryn wedi diffodd ers wythnos"))
    user, password = await _welsh_agent(system)
    async with httpx.AsyncClient(base_url=web_url, timeout=30) as client:
        await client.post("/api/auth/login", json={"username": user, "password": password})
        english = (await client.get("/inbox")).text
        assert '<html lang="en-GB">' in english and "Sign out" in english
        token = re.search(r'data-csrf="([0-9a-f]{64})"', english).group(1)
        chosen = await client.post("/language", data={"language": "cy", "next": "/inbox", "csrf_token": token})
        assert chosen.status_code == 303 and chosen.headers["location"] == "/inbox"
        page = (await client.get("/inbox")).text
        assert '<html lang="cy">' in page
        for welsh in ("Mewnflwch", "Allgofnodi", "Hidlo", "Neidio i'r prif gynnwys", "Dangosfwrdd"):
            assert welsh in page, welsh
        assert "Sign out" not in page and "Apply filters" not in page
        assert "English" in page  # the way back
    assert (await system.apps["inbox"].state.users.get(user))["ui_language"] == "cy"
    async with httpx.AsyncClient(base_url=web_url, timeout=30) as other_browser:  # the choice follows the person
        login = await other_browser.get("/login")
        csrf_token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
        signed_in = await other_browser.post("/login", data={"username": user, "password": password, "next": "/inbox",
                                                             "csrf_token": csrf_token})
        assert signed_in.status_code == 303
        assert "Mewnflwch" in (await other_browser.get("/inbox")).text


@pytest.mark.integration
@pytest.mark.e2e
async def test_welsh_pages_pass_the_accessibility_check(browser, web_url, system: System, axe_script) -> None:
    user, password = await _welsh_agent(system)
    context = await browser.new_context(base_url=web_url, locale="cy-GB", extra_http_headers={"Accept-Language": "cy"})
    try:
        await context.add_init_script(path=str(axe_script))
        page = await context.new_page()
        await page.goto("/login")
        assert await page.get_attribute("html", "lang") == "cy"
        await page.get_by_label("Enw defnyddiwr").fill(user)
        await page.get_by_label("Cyfrinair").fill(password)
        await page.get_by_role("button", name="Mewngofnodi").click()
        await page.wait_for_url("**/inbox**")
        found = {}
        for path in ("/inbox", "/dashboard", "/reports"):
            await page.goto(path)
            serious = [v for v in await axe_violations(page) if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
        assert not found, json.dumps(found, indent=2)
    finally:
        await context.close()
