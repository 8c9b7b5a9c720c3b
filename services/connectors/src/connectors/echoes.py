"""Hijack detection: the official accounts' own posts, comments and messages come back through the webhooks
(echoes: Meta feed changes `from.id == <page>`, Messenger and Instagram `is_echo`, X events by
`for_user_id` itself). Civic Inbox remembers every platform id it sent (the outbound ledger); an echo it did
not send means someone else is using the account: a security alert (`ops.alert.v1`) goes to the duty rota
and the admins: "<account> posted something we did not send". The check waits `echo_grace_seconds`, since
the platform may tell us of our own send before the send's answer is recorded."""

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from civic_contracts import Channel, OpsAlert, OpsAlertKind
from civic_contracts.topics import OPS_ALERT

log = logging.getLogger(__name__)
META_FEED_ITEMS = {"comment", "status", "post", "photo", "video", "share", "reply"}


@dataclass(frozen=True)
class Echo:
    channel: Channel
    account: str
    platform_id: str
    what: str  # post | comment | message
    ledger_channels: tuple[str, ...]  # the channels a send of ours with this id is remembered under


def _load(body: bytes) -> dict:
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _dicts(value) -> list[dict]:
    """The dicts of a list found in a payload (anything else, in a payload that does not parse: nothing)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def meta_echoes(body: bytes) -> list[Echo]:
    """Own-account items in a Meta delivery; a payload that does not parse has none (it is dead-lettered
    by the webhook as usual)."""
    payload, found = _load(body), []
    instagram = payload.get("object") == "instagram"
    for entry in _dicts(payload.get("entry")):
        account = str(entry.get("id") or "")
        for change in _dicts(entry.get("changes")):
            value = _dict(change.get("value"))
            author = str(_dict(value.get("from")).get("id") or "")
            if not account or author != account:
                continue
            if instagram and change.get("field") == "comments" and value.get("id"):
                found.append(Echo(Channel.INSTAGRAM, account, str(value["id"]), "comment", ("instagram",)))
            elif change.get("field") == "feed" and value.get("verb") == "add" and value.get("item") in META_FEED_ITEMS:
                item_id = value.get("comment_id") or value.get("post_id")
                if item_id:
                    what = "comment" if value.get("item") in ("comment", "reply") else "post"
                    found.append(Echo(Channel.FACEBOOK, account, str(item_id), what, ("facebook", "messenger")))
        for event in _dicts(entry.get("messaging")):
            message = _dict(event.get("message"))
            if message.get("is_echo") and message.get("mid"):
                channel = Channel.INSTAGRAM if instagram else Channel.MESSENGER
                found.append(Echo(channel, account, str(message["mid"]), "message",
                                  ("instagram",) if instagram else ("messenger", "facebook")))
    return found


def x_echoes(body: bytes) -> list[Echo]:
    payload = _load(body)
    account = str(payload.get("for_user_id") or "")
    if not account:
        return []
    found = [Echo(Channel.X, account, str(t["id_str"]), "post", ("x",)) for t in _dicts(payload.get("tweet_create_events"))
             if str(_dict(t.get("user")).get("id_str")) == account and t.get("id_str") and not t.get("retweeted_status")]
    found += [Echo(Channel.X, account, str(d["id"]), "message", ("x",)) for d in _dicts(payload.get("direct_message_events"))
              if str(_dict(d.get("message_create")).get("sender_id")) == account and d.get("id")]
    return found


def alert_for(echo: Echo, now: datetime) -> OpsAlert:
    return OpsAlert(
        id=f"unsent:{echo.channel.value}:{echo.account}:{echo.platform_id}", kind=OpsAlertKind.UNSENT_POST, security=True,
        channel=echo.channel, account_id=echo.account, platform_item_id=echo.platform_id, raised_at=now,
        summary=f"The {echo.channel.value} account {echo.account} published a {echo.what} that Civic Inbox did not send",
        data={"what": echo.what},
    )


class EchoWatch:
    """Checks echoes against the outbound ledger after a grace period, in the background."""

    def __init__(self, *, ledger, keeper, grace_seconds: float, accounts: set[str] | None = None) -> None:
        self.ledger, self.keeper, self.grace_seconds = ledger, keeper, grace_seconds
        self.accounts = accounts  # the organisation's accounts; None: any account an echo names
        self._tasks: set[asyncio.Task] = set()

    def observe(self, echoes: list[Echo]) -> None:
        for echo in echoes:
            if self.accounts is not None and echo.account not in self.accounts:
                continue
            task = asyncio.get_running_loop().create_task(self._check(echo))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _check(self, echo: Echo) -> None:
        await asyncio.sleep(self.grace_seconds)
        try:
            for channel in echo.ledger_channels:
                if await self.ledger.conversation_of(channel, echo.account, echo.platform_id):
                    return
            alert = alert_for(echo, datetime.now(UTC))
            await self.keeper.broker.publish(alert, topic=OPS_ALERT.name, key=alert.id.encode())
            log.warning("security alert: %s", alert.summary)
        except Exception:  # noqa: BLE001 - logged: the webhook was answered long ago
            log.exception("checking an echo of %s %s failed", echo.channel.value, echo.account)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
