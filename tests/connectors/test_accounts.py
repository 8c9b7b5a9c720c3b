"""Connecting platform accounts through OAuth 2.0 with PKCE against the sandbox's authorisation servers, with
the connectors' real MongoDB store: tokens sealed at rest, renewed by the connectors' own scan before they
expire (X rotates its refresh tokens), and an account whose grant was revoked turns red, alerts ops and makes
its sends wait instead of failing, until an admin connects it again."""

import asyncio
import logging
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from civic_contracts import Channel
from civic_contracts.outbound import OutboundAction, OutboundCommand
from connectors.accounts import oauth
from connectors.accounts.crypto import TokenCipher
from connectors.config import Settings
from connectors.main import create_app
from connectors.outbound.sender import Sender
from pydantic import SecretStr
from sandbox.app import create_app as sandbox_app
from sandbox.config import Settings as SandboxSettings
from support.connector_fakes import FakePublisher
from support.infra import Infra

pytestmark = pytest.mark.integration
ADMIN = "test-admin-api-token"
KEY = TokenCipher.new_key()
X_ACCOUNT, CHANNEL_ID, PAGE, INSTAGRAM = "1456000000000000777", "UCconnectTest000000000001", "9000000777", "17841400777"


def test_pkce_challenge_matches_rfc_7636_appendix_b() -> None:
    assert oauth.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    verifier = oauth.new_verifier()
    assert 43 <= len(verifier) <= 128 and set(verifier) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.fixture
async def world(infra: Infra):
    sandbox = sandbox_app(SandboxSettings(x_account_id=X_ACCOUNT, youtube_channel_id=CHANNEL_ID, meta_page_id=PAGE,
                                          instagram_account_id=INSTAGRAM, seeded=False))
    settings = Settings(
        meta_app_secret="sandbox-oauth-secret", meta_verify_token="t", mongodb_uri=infra.mongodb_uri,
        database=f"civic_test_accounts_{uuid.uuid4().hex[:8]}", public_base_url="https://inbox.example.gov.uk",
        token_keys=[KEY], admin_api_token=ADMIN, token_scan_seconds=0.2, token_refresh_margin_seconds=2,
        x_api_base_url="http://sandbox.test/x", x_oauth_client_id="civic-x-client", x_oauth_client_secret="sandbox-oauth-secret",
        x_oauth_authorize_url="http://sandbox.test/x/i/oauth2/authorize",
        youtube_api_base_url="http://sandbox.test/youtube", youtube_oauth_client_id="civic-google-client",
        youtube_oauth_client_secret="sandbox-oauth-secret",
        youtube_oauth_authorize_url="http://sandbox.test/google/o/oauth2/v2/auth",
        youtube_oauth_token_url="http://sandbox.test/google/token",
        meta_api_base_url="http://sandbox.test/meta/v25.0", meta_app_id="civic-meta-app",
        meta_oauth_authorize_url="http://sandbox.test/meta/www/v25.0/dialog/oauth",
        outbound_only_own_accounts=True, default_backoff_seconds=1)
    app = create_app(settings, platform_transport=httpx.ASGITransport(app=sandbox))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://inbox.example.gov.uk") as c, \
            httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), base_url="http://sandbox.test") as s:
        yield app, c, s
        await app.state.stores.connections.accounts.database.client.drop_database(settings.database)


class StubKeeper:
    """Kafka as the token book sees it: connected, and every publish recorded."""

    def __init__(self) -> None:
        self.connected = asyncio.Event()
        self.connected.set()
        self.broker = self
        self.published: list = []

    async def publish(self, value, *, topic: str, key: bytes) -> None:
        self.published.append((value, topic))


async def connect(client: httpx.AsyncClient, sandbox: httpx.AsyncClient, platform: str) -> httpx.Response:
    """What an admin's browser does: start, visit the platform's consent (given at once), come back."""
    started = await client.post(f"/api/accounts/{platform}/authorizations", json={"requested_by": "t-admin"},
                                headers={"Authorization": f"Bearer {ADMIN}"})
    assert started.status_code == 201, started.text
    url = urlparse(started.json()["authorization_url"])
    query = parse_qs(url.query)
    assert query["redirect_uri"] == [f"https://inbox.example.gov.uk/oauth/{platform}/callback"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    consent = await sandbox.get(f"{url.path}?{url.query}")
    assert consent.status_code == 302, consent.text
    back = urlparse(consent.headers["location"])
    return await client.get(f"{back.path}?{back.query}")


async def x_reply(app, text: str = "Thanks, passed to highways.") -> OutboundCommand:
    return OutboundCommand(id=f"cmd-{uuid.uuid4().hex}", conversation_key=f"x:{X_ACCOUNT}:1890000000000000001",
                           channel=Channel.X, account_id=X_ACCOUNT, action=OutboundAction.PUBLIC_REPLY, text=text,
                           target_id="1890000000000000001", requested_by="t-agent", requested_at=datetime.now(UTC))


async def test_connect_flow_stores_sealed_tokens_for_each_platform(world) -> None:
    app, client, sandbox = world
    for platform in ("x", "youtube", "meta"):
        back = await connect(client, sandbox, platform)
        assert back.status_code == 200 and "Account connected" in back.text
    listed = (await client.get("/api/accounts", headers={"Authorization": f"Bearer {ADMIN}"})).json()
    assert {(a["platform"], a["account_id"]) for a in listed["accounts"]} == {("x", X_ACCOUNT), ("youtube", CHANNEL_ID), ("meta", PAGE)}
    assert all(p["connectable"] for p in listed["platforms"]) and "sbx-" not in str(listed)
    stored = await app.state.stores.connections.get("x", X_ACCOUNT)
    assert "sbx-" not in str(stored) and TokenCipher([SecretStr(KEY)]).open(stored["access_token"]).startswith("sbx-x-at-")
    assert stored["state"] == "connected" and stored["connected_by"] == "t-admin" and stored["refresh_token"]
    meta = await app.state.stores.connections.get("meta", PAGE)
    assert meta["also"] == [INSTAGRAM] and meta["expires_at"] is None  # Page tokens do not expire
    book = app.state.tokens
    assert (await book.access_token("meta", INSTAGRAM)).startswith("sbx-meta-page-")  # the Page's token serves its IG
    again = await client.get(f"/oauth/x/callback?code=whatever&state={uuid.uuid4().hex}")
    assert again.status_code == 400 and "unknown, used or expired" in again.text


async def test_admin_token_guards_the_accounts_api(world) -> None:
    _, client, _ = world
    assert (await client.get("/api/accounts")).status_code == 401
    assert (await client.post("/api/accounts/x/authorizations", json={"requested_by": "mallory"},
                              headers={"Authorization": "Bearer wrong"})).status_code == 401
    assert (await client.post("/api/accounts/myspace/authorizations", json={"requested_by": "t-admin"},
                              headers={"Authorization": f"Bearer {ADMIN}"})).status_code == 404


async def test_a_token_is_renewed_by_itself_before_it_expires(world) -> None:
    app, client, sandbox = world
    await sandbox.post("/_sandbox/oauth/lifetime", json={"platform": "x", "seconds": 3})
    assert (await connect(client, sandbox, "x")).status_code == 200
    book = app.state.tokens
    first = await book.access_token("x", X_ACCOUNT)
    first_refresh = (await app.state.stores.connections.get("x", X_ACCOUNT))["refresh_token"]
    scan = asyncio.create_task(book.run())
    try:
        for _ in range(100):
            doc = await app.state.stores.connections.get("x", X_ACCOUNT)
            if doc["version"] >= 3:  # renewed twice: the rotated refresh token was used in turn
                break
            await asyncio.sleep(0.1)
    finally:
        scan.cancel()
    assert doc["version"] >= 3 and doc["state"] == "connected" and doc["refreshed_at"] is not None
    assert doc["refresh_token"] != first_refresh  # X rotates refresh tokens
    await asyncio.sleep(max(0.0, (doc["expires_at"] - datetime.now(UTC)).total_seconds() - 2.5))
    current = await book.access_token("x", X_ACCOUNT)
    assert current != first
    publisher = FakePublisher()
    sender = Sender(app.state.sender.ctx, publisher=publisher, health=app.state.health)
    command = await x_reply(app)
    await sender.handle(command)
    [status] = publisher.statuses
    assert status.status.value == "sent", status  # the sandbox refuses expired tokens: this one was fresh
    sent = (await sandbox.get("/_sandbox/sent", params={"platform": "x"})).json()
    assert sent[-1]["body"]["text"] == command.text


async def test_an_unrenewable_token_turns_the_account_red_and_sends_wait(world, caplog) -> None:
    app, client, sandbox = world
    assert (await connect(client, sandbox, "x")).status_code == 200
    book = app.state.tokens
    book.keeper = StubKeeper()
    await sandbox.post("/_sandbox/oauth/revoke", json={"account": X_ACCOUNT})
    doc = await app.state.stores.connections.get("x", X_ACCOUNT)
    with caplog.at_level(logging.ERROR, logger="connectors.accounts.tokens"):
        after = await book.renew(doc, force=True)
    assert after["state"] == "reconnect_required" and "invalid_request" in after["last_error"]
    assert any("OPS ALERT" in r.getMessage() and X_ACCOUNT in r.getMessage() for r in caplog.records)
    [health] = [h for h in app.state.health.snapshot() if h.channel is Channel.X and h.account_id == X_ACCOUNT]
    assert health.reconnect_required and health.credentials_rejected and "reconnect required" in health.detail
    [(alert, topic)] = book.keeper.broker.published
    assert topic == "ops.alert.v1" and alert.kind.value == "credentials_rejected" and not alert.security
    assert alert.channel is Channel.X and alert.account_id == X_ACCOUNT and "connect it again" in alert.summary

    publisher = FakePublisher()
    sender = Sender(app.state.sender.ctx, publisher=publisher, health=app.state.health)
    for n in range(3):
        await sender.handle(await x_reply(app, f"reply {n}"))
    assert [s.status.value for s in publisher.statuses] == ["waiting"] * 3  # none failed one by one
    assert all(s.error_code == "reconnect_required" and s.retry_at for s in publisher.statuses)
    [health] = [h for h in app.state.health.snapshot() if h.channel is Channel.X and h.account_id == X_ACCOUNT]
    assert health.consecutive_failures == 0 and health.reconnect_required
    assert not [s for s in (await sandbox.get("/_sandbox/sent", params={"platform": "x"})).json()]

    assert (await connect(client, sandbox, "x")).status_code == 200  # an admin connects it again
    assert (await app.state.stores.connections.get("x", X_ACCOUNT))["state"] == "connected"
    [health] = [h for h in app.state.health.snapshot() if h.channel is Channel.X and h.account_id == X_ACCOUNT]
    assert not health.reconnect_required and not health.credentials_rejected
    assert (await book.access_token("x", X_ACCOUNT)).startswith("sbx-x-at-")


async def test_a_transient_renewal_failure_is_retried_not_red(world) -> None:
    app, client, sandbox = world
    assert (await connect(client, sandbox, "youtube")).status_code == 200
    await sandbox.post("/_sandbox/faults", json={"platform": "youtube", "kind": "server_error", "count": 1,
                                                 "match": "/google/token"})
    doc = await app.state.stores.connections.get("youtube", CHANNEL_ID)
    failed = await app.state.tokens.renew(doc, force=True)
    assert failed["state"] == "connected" and "temporarily_unavailable" in failed["last_error"]
    renewed = await app.state.tokens.renew(failed, force=True)
    cipher = app.state.tokens.cipher
    assert renewed["version"] == doc["version"] + 1 and renewed["last_error"] is None
    assert cipher.open(renewed["refresh_token"]) == cipher.open(doc["refresh_token"])  # Google keeps its refresh token
    assert cipher.open(renewed["access_token"]) != cipher.open(doc["access_token"])


async def test_admins_connect_from_the_inbox_ops_accounts_page(world, infra: Infra) -> None:
    from inbox.config import Settings as InboxSettings
    from inbox.main import create_app as inbox_app
    from inbox.web.views_accounts import AccountSettings

    app, connectors, sandbox = world
    inbox = inbox_app(InboxSettings(mongodb_uri=infra.mongodb_uri, database=app.state.settings.database + "_inbox",
                                    kafka_bootstrap_servers="127.0.0.1:1"))
    inbox.state.connectors_transport = httpx.ASGITransport(app=app)
    inbox.state.web_settings.connectors_url = "https://inbox.example.gov.uk"
    inbox.state.account_settings = AccountSettings(connectors_admin_token=ADMIN)
    for user, role in (("acc-admin", "admin"), ("acc-agent", "agent")):
        await inbox.state.users.create_user(user_id=user, name=user, role=role, password="pw-" + user, departments=["*"])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=inbox), base_url="http://inbox.test") as browser:
        assert (await browser.post("/api/auth/login", json={"username": "acc-agent", "password": "pw-acc-agent"})).is_success
        assert (await browser.get("/ops/accounts")).status_code == 403
        assert (await browser.get("/ops/accounts/x/connect")).status_code == 403
        assert (await browser.post("/api/auth/login", json={"username": "acc-admin", "password": "pw-acc-admin"})).is_success
        page = await browser.get("/ops/accounts")
        assert page.status_code == 200 and 'href="/ops/accounts/x/connect"' in page.text and "No account is connected" in page.text
        start = await browser.get("/ops/accounts/youtube/connect")
        assert start.status_code == 303 and start.headers["location"].startswith("http://sandbox.test/google/o/oauth2/v2/auth?")
        consent = await sandbox.get(start.headers["location"].removeprefix("http://sandbox.test"))
        back = urlparse(consent.headers["location"])
        assert (await connectors.get(f"{back.path}?{back.query}")).status_code == 200
        listed = await browser.get("/ops/accounts")
        assert CHANNEL_ID in listed.text and "Connected" in listed.text and "acc-admin" in listed.text
        assert "sbx-" not in listed.text
    await inbox.state.users.users.database.client.drop_database(app.state.settings.database + "_inbox")


async def test_a_token_refused_before_expiry_is_renewed_and_the_send_goes_out(world) -> None:
    app, client, sandbox = world
    assert (await connect(client, sandbox, "x")).status_code == 200
    await sandbox.post("/_sandbox/oauth/revoke", json={"account": X_ACCOUNT, "access_only": True})
    publisher = FakePublisher()
    sender = Sender(app.state.sender.ctx, publisher=publisher, health=app.state.health)
    command = await x_reply(app, "Renewed and sent.")
    await sender.handle(command)
    assert [s.status.value for s in publisher.statuses] == ["waiting"]  # refused once, renewed, due again now
    assert (await app.state.stores.connections.get("x", X_ACCOUNT))["version"] == 2
    await sender.attempt(command, attempts=1)  # what the retry scan does when it falls due
    assert [s.status.value for s in publisher.statuses] == ["waiting", "sent"]
    assert (await sandbox.get("/_sandbox/sent", params={"platform": "x"})).json()[-1]["body"]["text"] == "Renewed and sent."


async def test_a_refused_page_token_cannot_be_renewed_and_turns_red(world) -> None:
    app, client, sandbox = world
    assert (await connect(client, sandbox, "meta")).status_code == 200
    await sandbox.post("/_sandbox/oauth/revoke", json={"account": PAGE, "access_only": True})
    publisher = FakePublisher()
    sender = Sender(app.state.sender.ctx, publisher=publisher, health=app.state.health)
    key = f"messenger:{PAGE}:2468013580"
    await app.state.stores.ledger.record_inbound(_inbound(key))
    await sender.handle(OutboundCommand(
        id=f"cmd-{uuid.uuid4().hex}", conversation_key=key, channel=Channel.MESSENGER, account_id=PAGE,
        action=OutboundAction.DIRECT_MESSAGE, text="Yes, open 8 till 4.", requested_by="t-agent", requested_at=datetime.now(UTC)))
    [status] = publisher.statuses
    assert status.status.value == "waiting"
    assert (await app.state.stores.connections.get("meta", PAGE))["state"] == "reconnect_required"
    assert any(h.reconnect_required for h in app.state.health.snapshot() if h.account_id == PAGE)


def _inbound(key: str):
    from civic_contracts import Author, InboundMessage, MessageKind

    now = datetime.now(UTC)
    return InboundMessage(id=f"{key}:m1", channel=Channel.MESSENGER, account_id=PAGE, platform_message_id="m1",
                          conversation_key=key, kind=MessageKind.PRIVATE_MESSAGE, author=Author(platform_id="2468013580"),
                          text="Is the tip open on Sunday?", sent_at=now, received_at=now, raw_payload="{}")
