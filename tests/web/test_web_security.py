"""What the web app guarantees over HTTP, against the real uvicorn server: sign-in needed, CSRF on every
form, session cookie flags, rate-limited sign-in, security headers, department scoping, filtered live events."""

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import pytest
from support.system import System
from web_support import stored

pytestmark = [pytest.mark.integration]


@asynccontextmanager
async def signed_in(web_url: str, system: System, user: str) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """An HTTP client with `user`'s session cookie, and the page's CSRF token."""
    async with httpx.AsyncClient(base_url=web_url, follow_redirects=False, timeout=30) as client:
        response = await client.post("/api/auth/login", json={"username": user, "password": system.passwords[user]})
        response.raise_for_status()
        page = await client.get("/inbox")
        yield client, re.search(r'data-csrf="([0-9a-f]{64})"', page.text).group(1)


async def test_pages_send_people_to_sign_in(web_url) -> None:
    async with httpx.AsyncClient(base_url=web_url, timeout=30) as client:
        response = await client.get("/inbox?view=mine")
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/inbox%3Fview%3Dmine"
        assert (await client.get("/live/events")).status_code == 401


async def test_sign_in_form_needs_its_token_and_sets_a_safe_cookie(web_url, system: System) -> None:
    async with httpx.AsyncClient(base_url=web_url, timeout=30) as client:
        form = await client.get("/login")
        assert form.status_code == 200
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        assert "httponly" in form.headers["set-cookie"].lower() and "samesite=strict" in form.headers["set-cookie"].lower()
        fields = {"username": "t-agent", "password": system.passwords["t-agent"], "next": "/inbox"}
        forged = await client.post("/login", data=fields | {"csrf_token": "not-the-token"})
        assert forged.status_code == 403 and "civic_session" not in forged.headers.get("set-cookie", "")
        good = await client.post("/login", data=fields | {"csrf_token": token})
        assert good.status_code == 303 and good.headers["location"] == "/inbox"
        session = next(c for c in good.headers.get_list("set-cookie") if c.startswith("civic_session="))
        assert "HttpOnly" in session and "samesite=lax" in session.lower() and "Path=/" in session
    async with httpx.AsyncClient(base_url=web_url, timeout=30) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/login")).text).group(1)
        offsite = await client.post("/login", data=fields | {"csrf_token": token, "next": "//evil.example/"})
        assert offsite.status_code == 303 and offsite.headers["location"] == "/inbox"


async def test_sign_in_is_rate_limited(web_url, system: System) -> None:
    async with httpx.AsyncClient(base_url=web_url, timeout=30) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', (await client.get("/login")).text).group(1)
        codes = []
        for _ in range(7):
            response = await client.post("/login", data={"username": "nobody-here", "password": "guess", "csrf_token": token})
            codes.append(response.status_code)
        assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
        assert int(response.headers["retry-after"]) > 0 and "Too many sign-in attempts" in response.text
    await system.apps["inbox"].state.signin_throttle.reset("127.0.0.1", "nobody-here")


async def test_every_action_needs_the_session_csrf_token(web_url, system: System) -> None:
    key = await stored(system, department="waste")
    async with signed_in(web_url, system, "t-agent") as (client, token):
        url = f"/conversations/{key}/note"
        missing = await client.post(url, data={"text": "hello"})
        wrong = await client.post(url, data={"text": "hello", "csrf_token": "0" * 64})
        assert missing.status_code == wrong.status_code == 403
        assert "expired" in missing.text
        cross_site = await client.post(url, data={"text": "hello", "csrf_token": token},
                                       headers={"Origin": "https://evil.example"})
        assert cross_site.status_code == 403
        ok = await client.post(url, data={"text": "hello", "csrf_token": token, "idempotency_key": "k1"})
        assert ok.status_code == 303 and ok.headers["location"].endswith("?done=note#activity")
        scripted = await client.post(url, data={"text": "again", "idempotency_key": "k2"},
                                     headers={"X-CSRF-Token": token, "Accept": "application/json"})
        assert scripted.status_code == 202 and scripted.json()["ok"] is True
        logout = await client.post("/logout", data={"csrf_token": "bad"})
        assert logout.status_code == 403


async def test_pages_carry_a_strict_content_security_policy(web_url, system: System) -> None:
    async with signed_in(web_url, system, "t-agent") as (client, _):
        page = await client.get("/inbox")
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert page.headers["x-content-type-options"] == "nosniff" and page.headers["cache-control"] == "no-store"
        assert "<script>" not in page.text and " onclick=" not in page.text
        assert "content-security-policy" not in (await client.get("/docs")).headers


async def test_department_staff_see_only_their_departments(web_url, system: System) -> None:
    waste = await stored(system, department="waste", text="Bins waste-only-marker")
    highways = await stored(system, department="highways", text="Pothole highways-only-marker")
    async with signed_in(web_url, system, "t-highways") as (client, _):
        page = (await client.get("/inbox", params={"sort": "newest"})).text
        assert highways in page and "highways-only-marker" in page
        assert waste not in page and "waste-only-marker" not in page
        assert (await client.get(f"/conversations/{waste}")).status_code == 403
        assert (await client.get("/inbox/row", params={"key": waste})).status_code == 204
        assert (await client.get("/inbox/row", params={"key": highways})).status_code == 200
        assert (await client.get("/approvals")).status_code == 403


async def read_events(client: httpx.AsyncClient, into: list[dict], ready: asyncio.Event) -> None:
    async with client.stream("GET", "/live/events") as response:
        event = None
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                event = line[7:]
                if event == "hello":
                    ready.set()
            elif line.startswith("data: ") and event == "conversation":
                into.append(json.loads(line[6:]))


async def test_live_events_reach_only_those_who_may_see_them(web_url, system: System) -> None:
    hub = system.apps["inbox"].state.live
    stack = AsyncExitStack()
    clients = {user: (await stack.enter_async_context(signed_in(web_url, system, user)))[0]
               for user in ("t-agent", "t-highways")}
    seen: dict[str, list[dict]] = {user: [] for user in clients}
    readies = {user: asyncio.Event() for user in clients}
    tasks = [asyncio.create_task(read_events(clients[u], seen[u], readies[u])) for u in clients]
    try:
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies.values())), 10)
        for department in ("waste", "highways"):
            hub.publish({"id": f"test-{department}", "conversation_key": f"x:test:{department}-live", "type": "assigned",
                         "at": "2026-11-21T09:00:00Z", "department": department, "summary": f"{department} event",
                         "data": {}})
        hub.publish({"id": "test-staff", "conversation_key": None, "type": "absence_changed", "at": "2026-11-21T09:00:00Z",
                     "summary": "someone is away", "data": {"user_id": "t-super"}})
        for _ in range(100):
            if len(seen["t-agent"]) >= 2 and seen["t-highways"]:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
    finally:
        for task in tasks:
            task.cancel()
        await stack.aclose()
    ours = {user: [e["summary"] for e in events if e["id"].startswith("test-")] for user, events in seen.items()}
    assert ours["t-agent"] == ["waste event", "highways event"]
    assert ours["t-highways"] == ["highways event"]
