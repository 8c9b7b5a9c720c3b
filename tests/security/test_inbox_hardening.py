"""The inbox's Low findings on the real system: personal data never cached, absurd page numbers answered 422
(not 500), the API description for signed-in people only, and a revoked bearer token losing its live stream."""

import asyncio

import httpx
import pytest
from inbox.web import views_live
from support.system import System

pytestmark = pytest.mark.integration


async def test_api_answers_with_personal_data_are_never_cached(system: System) -> None:
    admin = await system.sign_in("t-admin")
    for path in ("/api/conversations", "/api/auth/me", "/api/audit", "/api/handovers"):
        response = await admin.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
        assert response.headers["x-content-type-options"] == "nosniff"
    page = await admin.get("/inbox")
    assert page.headers["cache-control"] == "no-store"


async def test_huge_page_numbers_are_refused_not_crashed(system: System) -> None:
    admin = await system.sign_in("t-admin")
    for path in ("/api/conversations", "/api/audit"):
        for page in (2**63, 2**64, 10**30):
            response = await admin.get(path, params={"page": page})
            assert response.status_code == 422, (path, page, response.status_code)
    assert (await admin.get("/inbox", params={"page": 2**63})).status_code == 200  # the page clamps it


async def test_the_api_description_is_for_signed_in_people(system: System) -> None:
    admin = await system.sign_in("t-admin")
    described = await admin.get("/openapi.json")
    assert described.status_code == 200 and "/api/conversations" in described.json()["paths"]
    assert described.headers["cache-control"] == "no-store"
    for path in ("/docs", "/redoc"):
        assert (await admin.get(path)).status_code == 404  # no Swagger UI loading script from a CDN


async def test_a_revoked_token_loses_its_live_stream(system: System, monkeypatch) -> None:
    app = system.apps["inbox"]
    monkeypatch.setattr(views_live, "SESSION_RECHECK_SECONDS", 0.2)
    monkeypatch.setattr(app.state.web_settings, "heartbeat_seconds", 0.2)
    session = await system.sign_in("t-agent")
    created = (await session.post("/api/auth/tokens", json={"name": "wallboard", "days": 1})).json()
    bearer = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://inbox.test",
                               headers={"Authorization": f"Bearer {created['token']}"})
    system.clients.append(bearer)
    stream = asyncio.create_task(bearer.get("/live/events"))
    await asyncio.sleep(1.0)
    assert not stream.done()  # the token is good: the stream stays open
    assert (await session.delete(f"/api/auth/tokens/{created['id']}")).status_code == 204
    response = await asyncio.wait_for(stream, timeout=30)
    assert response.status_code == 200 and "event: signed-out" in response.text
