"""The token book: which connected account sends with which token, renewing tokens before they expire.

- Every `token_scan_seconds` the book reloads the connections (so every replica sees new ones) and renews each
  token that expires within `token_refresh_margin_seconds`; a send that finds its token about to expire renews
  it first. Renewals of one account are serialised in-process and guarded across replicas by the document's
  `version` (a replica that lost the race for a rotated refresh token takes the winner's tokens).
- A renewal the authorisation server refuses for good (`invalid_grant`: revoked, expired or already used) marks
  the account `reconnect_required`: its channel health turns red (`credentials_rejected`, `reconnect_required`,
  on `channel.health.v1`), ops are alerted (an `OpsAlert` of kind `credentials_rejected` on `ops.alert.v1`, which
  the notifier sends to people, and an ERROR log line), and its sends wait (state `waiting`, retried every
  scan) instead of failing one by one; connecting the account again lets them go.
- A renewal that fails for a while (network, 5xx) is tried again next scan and counted as a channel failure.
- Accounts set by environment variables (`CONNECTORS_X_USER_TOKENS`, ...) are used as before when no connected
  account has that id."""

import asyncio
import logging
from datetime import datetime, timedelta

import httpx
from civic_contracts import Channel
from civic_contracts.alerts import OpsAlert, OpsAlertKind
from civic_contracts.topics import OPS_ALERT

from connectors.accounts.crypto import TokenCipher, TokenKeyError
from connectors.accounts.oauth import OAuthError, now_utc
from connectors.accounts.providers import Account, provider
from connectors.adapters.connections import RECONNECT, Connections
from connectors.config import Settings
from connectors.outbound.errors import AwaitingReconnect

log = logging.getLogger(__name__)
CHANNELS = {"x": (Channel.X,), "youtube": (Channel.YOUTUBE,), "meta": (Channel.FACEBOOK, Channel.MESSENGER)}
SOON = timedelta(seconds=60)  # a send renews a token first when it has less than this left


class TokenBook:
    def __init__(self, *, settings: Settings, connections: Connections, cipher: TokenCipher | None,
                 client: httpx.AsyncClient, health, keeper=None) -> None:
        self.settings, self.connections, self.cipher = settings, connections, cipher
        self.client, self.health, self.keeper = client, health, keeper
        self.docs: dict[tuple[str, str], dict] = {}
        self.aliases: dict[tuple[str, str], tuple[str, str]] = {}  # (meta, Instagram id) -> (meta, Page id)
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    def _key(self, platform: str, account: str) -> tuple[str, str]:
        return self.aliases.get((platform, account), (platform, account))

    def _remember(self, doc: dict) -> None:
        key = (doc["platform"], doc["account_id"])
        self.docs[key] = doc
        for other in doc.get("also") or []:
            self.aliases[(doc["platform"], other)] = key

    def connected(self, platform: str, account: str) -> bool:
        return self._key(platform, account) in self.docs

    def accounts(self) -> list[dict]:
        return sorted(self.docs.values(), key=lambda d: d["_id"])

    async def load(self) -> None:
        for doc in await self.connections.all():
            self._remember(doc)
            for channel in CHANNELS.get(doc["platform"], ()):
                self.health.known(channel, doc["account_id"])

    async def connect(self, account: Account, *, connected_by: str) -> dict:
        """Stores a newly authorised account (sealed) and clears any red state it had."""
        cipher = self._cipher()
        grant = account.grant
        doc = await self.connections.save(
            account.platform, account.account_id, name=account.name, access=cipher.seal(grant.access_token),
            refresh=cipher.seal(grant.refresh_token) if grant.refresh_token else None, expires_at=grant.expires_at,
            scope=grant.scope, connected_by=connected_by, also=list(account.also))
        self._remember(doc)
        for channel, account_id in self._channels(doc):
            self.health.reconnected(channel, account_id)
        log.info("accounts: %s account %s connected by %s", account.platform, account.account_id, connected_by)
        return doc

    def _cipher(self) -> TokenCipher:
        if self.cipher is None:
            raise TokenKeyError("no token encryption key: set CONNECTORS_TOKEN_KEYS")
        return self.cipher

    def _channels(self, doc: dict) -> list[tuple[Channel, str]]:
        found = [(c, doc["account_id"]) for c in CHANNELS.get(doc["platform"], ())]
        return found + [(Channel.INSTAGRAM, other) for other in doc.get("also") or []]

    async def access_token(self, platform: str, account: str) -> str | None:
        """The connected account's access token (renewed first if about to expire); None if not connected.
        Raises AwaitingReconnect while the account needs an admin to connect it again."""
        doc = self.docs.get(self._key(platform, account))
        if doc is None:
            return None
        if doc["state"] != RECONNECT and self._expires_within(doc, SOON):
            doc = await self.renew(doc)
        if doc["state"] == RECONNECT:
            raise AwaitingReconnect("reconnect_required", f"the {platform} account {account} must be connected again "
                                    f"by an admin ({doc.get('last_error') or 'token cannot be renewed'})",
                                    until=now_utc() + timedelta(seconds=max(self.settings.token_scan_seconds, 1.0)))
        return self._cipher().open(doc["access_token"])

    @staticmethod
    def _expires_within(doc: dict, margin: timedelta) -> bool:
        expires: datetime | None = doc.get("expires_at")
        return expires is not None and expires - now_utc() <= margin

    def _lock(self, key: tuple[str, str]) -> asyncio.Lock:
        return self._locks.setdefault(key, asyncio.Lock())

    async def renew(self, doc: dict, *, force: bool = False) -> dict:
        """Renews the account's access token if it is due (or `force`); the current document after."""
        key = (doc["platform"], doc["account_id"])
        margin = timedelta(seconds=self.settings.token_refresh_margin_seconds)
        async with self._lock(key):
            doc = await self.connections.get(*key) or doc
            self._remember(doc)
            if doc["state"] == RECONNECT or not (force or self._expires_within(doc, margin)):
                return doc
            server = provider(self.settings, doc["platform"])
            if server is None or not server.refreshes or not doc.get("refresh_token"):
                if self._expires_within(doc, timedelta(0)):
                    await self._red(doc, "the token expired and this platform gives no way to renew it")
                return self.docs[key]
            try:
                grant = await server.refresh(self.client, self._cipher().open(doc["refresh_token"]))
            except OAuthError as exc:
                latest = await self.connections.get(*key) or doc
                if latest.get("version") != doc.get("version"):  # another replica renewed it meanwhile
                    self._remember(latest)
                    return latest
                if exc.permanent:
                    await self._red(doc, f"renewal refused: {exc.error}: {exc.description}"[:300])
                else:
                    await self.connections.failed_refresh(doc, str(exc))
                    for channel, account_id in self._channels(doc):
                        self.health.failure(channel, account_id, f"token renewal failed: {exc}"[:300])
                    log.warning("accounts: renewing the %s token of %s failed, will retry: %s", *key, exc)
                    self._remember(await self.connections.get(*key) or doc)
                return self.docs[key]
            cipher = self._cipher()
            after = await self.connections.renewed(doc, access=cipher.seal(grant.access_token),
                                                   refresh=cipher.seal(grant.refresh_token) if grant.refresh_token else None,
                                                   expires_at=grant.expires_at)
            after = after or await self.connections.get(*key) or doc
            self._remember(after)
            log.info("accounts: %s token of %s renewed, valid until %s", *key, grant.expires_at)
            return after

    async def _red(self, doc: dict, reason: str) -> None:
        await self.connections.needs_reconnect(doc, reason)
        self._remember({**doc, "state": RECONNECT, "last_error": reason})
        for channel, account_id in self._channels(doc):
            self.health.reconnect_required(channel, account_id, f"reconnect required: {reason}")
        log.error("OPS ALERT: the %s account %s cannot renew its token and must be connected again by an admin: %s",
                  doc["platform"], doc["account_id"], reason)
        await self._alert(doc, reason)

    async def _alert(self, doc: dict, reason: str) -> None:
        """`ops.alert.v1`, once per lost grant (the id names the connection's version)."""
        if self.keeper is None:
            return
        channel = CHANNELS.get(doc["platform"], (Channel.X,))[0]
        alert = OpsAlert(
            id=f"reconnect:{doc['_id']}:{doc.get('version')}", kind=OpsAlertKind.CREDENTIALS_REJECTED, security=False,
            channel=channel, account_id=doc["account_id"], raised_at=now_utc(),
            summary=f"The {doc['platform']} account {doc.get('name') or doc['account_id']} cannot renew its token: "
                    "an admin must connect it again (Ops > Accounts); its replies wait until then",
            data={"platform": doc["platform"], "reason": reason[:200]})
        if not self.keeper.connected.is_set():
            log.warning("accounts: ops alert for %s not published: Kafka is not connected", doc["_id"])
            return
        try:
            await asyncio.wait_for(self.keeper.broker.publish(alert, topic=OPS_ALERT.name, key=alert.id.encode()),
                                   self.settings.publish_timeout_seconds)
        except Exception as exc:  # noqa: BLE001 - health is red and the log says it; the alert is best effort
            log.warning("accounts: ops alert for %s not published: %s: %s", doc["_id"], type(exc).__name__, exc)

    async def after_rejection(self, channel: str, account: str) -> datetime | None:
        """The platform refused a connected account's token before it expired (revoked, password changed): renew
        it now. When to try the send again (at once if renewed; at the next scan if the account is now red), or
        None when the account is not a connected one (the send fails as before)."""
        platform = "meta" if channel in ("facebook", "messenger", "instagram") else channel
        doc = self.docs.get(self._key(platform, account))
        if doc is None:
            return None
        after = await self.renew(doc, force=True)
        if after["state"] != RECONNECT and after.get("version") != doc.get("version"):
            return now_utc()
        server = provider(self.settings, platform)
        if after["state"] != RECONNECT and (server is None or not server.refreshes):
            await self._red(after, "the platform refused the token and it cannot be renewed")
        if self.docs[self._key(platform, account)]["state"] == RECONNECT:
            return now_utc() + timedelta(seconds=max(self.settings.token_scan_seconds, 1.0))
        return None

    async def renew_due(self) -> None:
        for doc in list(self.docs.values()):
            try:
                await self.renew(doc)
            except Exception as exc:  # noqa: BLE001 - one account's trouble never stops the others
                log.warning("accounts: renewing %s failed: %s: %s", doc["_id"], type(exc).__name__, exc)

    async def run(self) -> None:
        """Forever: reload connections, renew what is due, forget stale flows."""
        while True:
            try:
                await self.load()
                await self.renew_due()
                await self.connections.prune_flows()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - MongoDB away: try again next scan
                task = asyncio.current_task()
                if task is not None and task.cancelling():  # a driver turned our cancellation into an error
                    raise asyncio.CancelledError from exc
                log.warning("accounts: token scan failed: %s: %s", type(exc).__name__, exc)
            await asyncio.sleep(max(self.settings.token_scan_seconds, 0.2))


async def credential(ctx, platform: str, account: str) -> str | None:
    """The token to act as `account` on `platform`: a connected account's, else the environment's."""
    book: TokenBook | None = getattr(ctx, "tokens", None)
    if book is not None:
        token = await book.access_token(platform, account)
        if token:
            return token
    configured = {"x": ctx.settings.x_user_tokens, "youtube": ctx.settings.youtube_access_tokens,
                  "meta": ctx.settings.meta_page_tokens}[platform].get(account)
    return configured.get_secret_value() if configured else None
