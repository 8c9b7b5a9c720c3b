"""Signing in: Argon2id password hashes, server-side sessions in an HttpOnly SameSite=Lax cookie, sign-out,
paused accounts, personal API tokens, cross-site refusal, and OpenID Connect against a stand-in issuer."""

import base64
import json
import time
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from support.system import System

pytestmark = pytest.mark.integration


def client(system: System, app=None) -> httpx.AsyncClient:
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app or system.apps["inbox"]), base_url="http://inbox.test")
    system.clients.append(c)
    return c


async def new_user(system: System, role: str = "agent", **extra) -> tuple[str, str]:
    user, password = f"u-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    await system.apps["inbox"].state.users.create_user(user_id=user, name="New Person", role=role, password=password,
                                                       departments=["*"], **extra)
    return user, password


async def test_nothing_without_signing_in(system: System) -> None:
    anonymous = client(system)
    for path in ("/api/conversations", "/api/audit", "/api/handovers", "/api/auth/me", "/api/queues"):
        assert (await anonymous.get(path)).status_code == 401, path
    assert (await anonymous.post("/api/conversations/x/notes", json={"text": "hi"})).status_code == 401


async def test_sign_in_sets_a_secure_session_cookie_and_sign_out_ends_it_on_the_server(system: System) -> None:
    user, password = await new_user(system)
    stored = await system.apps["inbox"].state.users.get(user)
    assert stored["password_hash"].startswith("$argon2id$") and password not in stored["password_hash"]
    c = client(system)
    assert (await c.post("/api/auth/login", json={"username": user, "password": "wrong"})).status_code == 401
    assert (await c.post("/api/auth/login", json={"username": "nobody", "password": "wrong"})).status_code == 401
    response = await c.post("/api/auth/login", json={"username": user, "password": password})
    assert response.status_code == 200 and response.json()["role"] == "agent"
    cookie = response.headers["set-cookie"]
    assert "civic_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    session = c.cookies["civic_session"]
    assert (await c.get("/api/auth/me")).json()["user_id"] == user
    assert await system.apps["inbox"].state.users.sessions.find_one({"_id": session}) is None  # only its hash is kept
    assert (await c.post("/api/auth/logout")).status_code == 204
    replay = client(system)
    replay.cookies.set("civic_session", session)
    assert (await replay.get("/api/auth/me")).status_code == 401


async def test_an_account_is_paused_after_repeated_failures(system: System) -> None:
    user, password = await new_user(system)
    c = client(system)
    for _ in range(5):
        assert (await c.post("/api/auth/login", json={"username": user, "password": "nope"})).status_code == 401
    assert (await c.post("/api/auth/login", json={"username": user, "password": password})).status_code == 429


async def test_api_tokens_sign_in_api_clients_until_revoked(system: System) -> None:
    c = await system.sign_in("t-agent")
    created = await c.post("/api/auth/tokens", json={"name": "reporting script", "days": 7})
    assert created.status_code == 201
    token, token_id = created.json()["token"], created.json()["id"]
    bearer = client(system)
    me = await bearer.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json() == {**me.json(), "user_id": "t-agent", "auth": "token"}
    listed = (await c.get("/api/auth/tokens")).json()
    assert [t["id"] for t in listed] == [token_id] and all(t["token"] is None for t in listed)
    # A token cannot mint more tokens.
    assert (await bearer.post("/api/auth/tokens", json={"name": "x"}, headers={"Authorization": f"Bearer {token}"})).status_code == 403
    assert (await c.delete(f"/api/auth/tokens/{token_id}")).status_code == 204
    assert (await bearer.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401
    assert (await bearer.get("/api/auth/me", headers={"Authorization": "Bearer nonsense"})).status_code == 401


async def test_cross_site_changes_with_the_cookie_are_refused(system: System) -> None:
    c = await system.sign_in("t-agent")
    refused = await c.post("/api/conversations/x/notes", json={"text": "hi"}, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "cross-site" in refused.text
    same = await c.post("/api/conversations/x/notes", json={"text": "hi"}, headers={"Origin": "http://inbox.test"})
    assert same.status_code == 404  # past the origin check: there is no conversation x


def id_token(claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


class Issuer:
    """A stand-in OpenID provider: discovery and a token endpoint that issues the ID token it is told to."""

    url = "https://id.example.test"

    def __init__(self) -> None:
        self.claims: dict = {}
        self.token_requests: list[dict] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                                             "token_endpoint": f"{self.url}/token"})
        if request.url.path == "/token":
            self.token_requests.append({**parse_qs(request.content.decode()), "auth": request.headers.get("authorization")})
            return httpx.Response(200, json={"access_token": "at", "token_type": "Bearer", "id_token": id_token(self.claims)})
        return httpx.Response(404)


async def test_openid_connect_sign_in(system: System) -> None:
    from inbox.config import Settings
    from inbox.main import create_app

    issuer = Issuer()
    user, _ = await new_user(system, email="Oidc.Person@Council.Example")
    app = create_app(Settings(mongodb_uri=system.infra.mongodb_uri, database=system.database,
                              kafka_bootstrap_servers=system.infra.kafka_bootstrap_servers, startup_wait_seconds=5,
                              oidc_issuer=issuer.url, oidc_client_id="civic-inbox", oidc_client_secret="s3cret",
                              oidc_redirect_uri="http://inbox.test/api/auth/oidc/callback"),
                     oidc_http=httpx.AsyncClient(transport=httpx.MockTransport(issuer)))
    async with app.router.lifespan_context(app):
        c = client(system, app)
        start = await c.get("/api/auth/oidc/login", params={"next": "/inbox"})
        assert start.status_code == 302
        location = urlsplit(start.headers["location"])
        query = {k: v[0] for k, v in parse_qs(location.query).items()}
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{issuer.url}/authorize"
        assert query["code_challenge_method"] == "S256" and query["client_id"] == "civic-inbox" and query["state"]
        base = {"iss": issuer.url, "aud": "civic-inbox", "exp": time.time() + 300, "sub": "oidc-sub-1",
                "email": "oidc.person@council.example", "email_verified": True}
        issuer.claims = {**base, "nonce": "not-the-nonce"}
        bad = await c.get("/api/auth/oidc/callback", params={"code": "abc", "state": query["state"]})
        assert bad.status_code == 400 and "nonce" in bad.text
        # The state is single-use: start again.
        query = {k: v[0] for k, v in parse_qs(urlsplit((await c.get("/api/auth/oidc/login")).headers["location"]).query).items()}
        issuer.claims = {**base, "nonce": query["nonce"]}
        done = await c.get("/api/auth/oidc/callback", params={"code": "abc", "state": query["state"]})
        assert done.status_code == 302, done.text
        assert (await c.get("/api/auth/me")).json()["user_id"] == user
        assert issuer.token_requests[-1]["code_verifier"] and issuer.token_requests[-1]["auth"].startswith("Basic ")
        replayed = await c.get("/api/auth/oidc/callback", params={"code": "abc", "state": query["state"]})
        assert replayed.status_code == 400
        # A provider account with no staff account gets no session.
        query = {k: v[0] for k, v in parse_qs(urlsplit((await c.get("/api/auth/oidc/login")).headers["location"]).query).items()}
        issuer.claims = {**base, "sub": "stranger", "email": "stranger@else.example", "nonce": query["nonce"]}
        stranger = await c.get("/api/auth/oidc/callback", params={"code": "abc", "state": query["state"]})
        assert stranger.status_code == 403


async def test_openid_connect_is_off_unless_configured(system: System) -> None:
    assert (await client(system).get("/api/auth/oidc/login")).status_code == 404


async def test_demo_accounts_from_the_environment(system: System) -> None:
    from inbox.admin import bootstrap, parse_bootstrap

    suffix = uuid.uuid4().hex[:6]
    spec = f"demo-{suffix}:supervisor:pw-one;staff-{suffix}:department_staff:pw-two:highways,waste"
    assert [u["departments"] for u in parse_bootstrap(spec)] == [["*"], ["highways", "waste"]]
    with pytest.raises(ValueError):
        parse_bootstrap("nobody:wizard:pw")
    users = system.apps["inbox"].state.users
    assert await bootstrap(users, spec) == [f"demo-{suffix}", f"staff-{suffix}"]
    assert await bootstrap(users, spec.replace("pw-one", "pw-new")) == []  # exists: its demo password is renewed
    c = client(system)
    assert (await c.post("/api/auth/login", json={"username": f"demo-{suffix}", "password": "pw-new"})).status_code == 200
    # An account made any other way is never touched by the bootstrap.
    assert await bootstrap(users, "t-agent:agent:hijack") == []
    assert (await c.post("/api/auth/login", json={"username": "t-agent", "password": "hijack"})).status_code == 401
