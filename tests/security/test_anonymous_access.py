"""Every route of both apps, taken from the live OpenAPI (and the web app's page routes, which the API
description leaves out), called without credentials: each non-public route refuses. A route missing from the
public lists below fails the sweep, so a new route is either protected or deliberately listed here."""

import re

import pytest
from inbox.config import Settings as InboxSettings
from inbox.main import create_app as inbox_app
from inbox.web import ROUTERS as WEB_ROUTERS
from security_support import client_for, connectors_app

# Inbox: what anyone may call (sign-in itself, OIDC's redirects, liveness).
INBOX_PUBLIC = {("POST", "/api/auth/login"), ("GET", "/api/auth/oidc/login"), ("GET", "/api/auth/oidc/callback"),
                ("GET", "/healthz"), ("GET", "/"), ("GET", "/login"), ("POST", "/login"),
                ("POST", "/language")}  # choosing English or Welsh, also on the sign-in page (a cookie only)
INBOX_INTERNAL = {("GET", "/metrics")}
# Connectors: what platforms and citizens call, each with its own check (signature, verify token, api_key).
CONNECTORS_EXPECTED = {
    ("GET", "/webhooks/meta"): {403}, ("POST", "/webhooks/meta"): {401},
    ("GET", "/webhooks/x"): {400}, ("POST", "/webhooks/x"): {401},
    ("POST", "/webhooks/twilio"): {403}, ("POST", "/webhooks/email"): {401},
    # Open311 in .xml and .json ("probe" is neither: the standard's 404), account connections (admin token, off here).
    ("GET", "/open311/discovery.{fmt}"): {404}, ("GET", "/open311/v2/services.{fmt}"): {404},
    ("GET", "/open311/v2/services/{service_code}.{fmt}"): {404}, ("POST", "/open311/v2/requests.{fmt}"): {404},
    ("GET", "/open311/v2/requests.{fmt}"): {404}, ("GET", "/open311/v2/requests/{service_request_id}.{fmt}"): {404},
    ("GET", "/open311/v2/tokens/{token}.{fmt}"): {404},
    ("GET", "/api/accounts"): {403}, ("POST", "/api/accounts/{platform}/authorizations"): {403, 422},
    ("POST", "/api/accounts/{platform}/{account}/renew"): {403}, ("GET", "/oauth/{platform}/callback"): {400},
    ("GET", "/contact"): {200}, ("POST", "/contact"): {400}, ("GET", "/healthz"): {200, 503},
    ("GET", "/api/channel-health"): {404}, ("GET", "/metrics"): {404},  # internal listener only
}


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "probe", path)


def api_routes(app) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, ops in app.openapi()["paths"].items() for method in ops}


def web_routes() -> set[tuple[str, str]]:
    return {(method, route.path) for router in WEB_ROUTERS for route in router.routes
            for method in getattr(route, "methods", ()) if method != "HEAD"}


@pytest.fixture
def inbox():
    # Refusals happen before any read, so no MongoDB or Kafka is needed (nothing listens on port 1).
    return inbox_app(InboxSettings(mongodb_uri="mongodb://127.0.0.1:1", kafka_bootstrap_servers="127.0.0.1:1"))


async def test_every_inbox_route_refuses_anonymous_callers(inbox) -> None:
    routes = api_routes(inbox) | web_routes()
    assert len(routes) > 40 and ("POST", "/api/conversations/{key}/reply") in routes
    refused = []
    async with client_for(inbox, base_url="http://127.0.0.1:8080") as c:
        for method, path in sorted(routes - INBOX_PUBLIC - INBOX_INTERNAL):
            response = await c.request(method, concrete(path), json={} if method != "GET" else None)
            if path.startswith("/api/"):
                ok = response.status_code == 401
            else:  # pages send people to sign in; scripts and the live stream get 401; forms 403 without CSRF
                ok = response.status_code in (401, 403) or (
                    response.status_code == 303 and response.headers["location"].startswith("/login"))
            if not ok:
                refused.append((method, path, response.status_code))
        assert refused == [], f"routes answering anonymous callers: {refused}"
        # The API description is for signed-in people; the interactive docs (CDN script) are gone.
        assert (await c.get("/openapi.json")).status_code == 401
        assert (await c.get("/docs")).status_code in (303, 401, 404)
        for method, path in INBOX_INTERNAL:
            assert (await c.request(method, path)).status_code == 404


async def test_every_connectors_route_is_public_by_design_or_refuses() -> None:
    app = connectors_app()
    routes = api_routes(app)
    assert routes == set(CONNECTORS_EXPECTED), f"classify new routes: {routes ^ set(CONNECTORS_EXPECTED)}"
    async with client_for(app) as c:
        for (method, path), expected in sorted(CONNECTORS_EXPECTED.items()):
            response = await c.request(method, concrete(path), content=b"" if method == "POST" else None,
                                       headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert response.status_code in expected, (method, path, response.status_code)
        for path in ("/openapi.json", "/docs", "/redoc"):
            assert (await c.get(path)).status_code == 404
    assert app.state.publisher.published == []


async def test_internal_routes_answer_on_the_internal_listener_only() -> None:
    app = connectors_app()
    async with client_for(app, base_url="http://127.0.0.1:9081") as internal:
        assert (await internal.get("/api/channel-health")).status_code == 200
        assert (await internal.get("/metrics")).status_code == 200
        assert (await internal.get("/openapi.json")).json()["info"]["title"] == "Civic Inbox connectors"
    async with client_for(app, base_url="http://127.0.0.1:8081") as public:
        for path in ("/api/channel-health", "/metrics", "/openapi.json"):
            assert (await public.get(path)).status_code == 404
