"""Channel health per account: what ops need to see a channel going quiet, failing or throttled.

Kept in memory per process (each replica reports what it saw), published on `channel.health.v1` when it
changes (at most once a second per account) and every `health_interval_seconds`, served at
`GET /api/channel-health`, and exported as Prometheus gauges."""

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime

from civic_contracts import Channel
from civic_contracts.outbound import ChannelHealth
from fastapi import APIRouter, Request
from prometheus_client import CollectorRegistry, Gauge

from connectors.publishing import Publisher, PublishFailed

log = logging.getLogger(__name__)
Key = tuple[Channel, str]


class HealthTracker:
    def __init__(self, registry: CollectorRegistry) -> None:
        self._state: dict[Key, ChannelHealth] = {}
        self._dirty: set[Key] = set()
        self._inbound: Counter[tuple[Channel, str, datetime]] = Counter()  # per hour, until the silence watch stores it
        self.bursts = None  # a BurstWatch, told of every send
        labels = ["channel", "account"]
        self._gauges = {
            "last_event_at": Gauge("connectors_channel_last_event_timestamp_seconds", "Last inbound event (unix time).", labels, registry=registry),
            "last_success_at": Gauge("connectors_channel_last_success_timestamp_seconds", "Last successful poll or send (unix time).", labels, registry=registry),
            "consecutive_failures": Gauge("connectors_channel_consecutive_failures", "Failures since the last success.", labels, registry=registry),
            "credentials_rejected": Gauge("connectors_channel_credentials_rejected", "1 when the platform refused the credentials.", labels, registry=registry),
            "rate_limited_until": Gauge("connectors_channel_rate_limited_until_timestamp_seconds", "Sends paused until (unix time; 0: not paused).", labels, registry=registry),
        }

    def _update(self, channel: Channel, account: str, **changes: object) -> None:
        key = (Channel(channel), account)
        now = datetime.now(UTC)
        current = self._state.get(key) or ChannelHealth(channel=key[0], account_id=account, at=now)
        updated = current.model_copy(update={**changes, "at": now})
        self._state[key] = updated
        self._dirty.add(key)
        labels = (key[0].value, account)
        for name, gauge in self._gauges.items():
            value = getattr(updated, name)
            if isinstance(value, datetime):
                value = value.timestamp()
            gauge.labels(*labels).set(float(value or 0))

    def known(self, channel: Channel, account: str) -> None:
        """A configured account: listed (and published) before anything happens on it."""
        if (Channel(channel), account) not in self._state:
            self._update(channel, account)

    def event(self, channel: Channel, account: str) -> None:
        now = datetime.now(UTC)
        self._update(channel, account, last_event_at=now)
        self._inbound[(Channel(channel), account, now.replace(minute=0, second=0, microsecond=0))] += 1

    def take_inbound(self) -> dict[tuple[Channel, str, datetime], int]:
        """Inbound counts per account and hour since the last call (the silence watch stores them)."""
        taken, self._inbound = dict(self._inbound), Counter()
        return taken

    def sent(self, channel: Channel, account: str) -> None:
        """A send succeeded (watched for bursts)."""
        if self.bursts is not None:
            self.bursts.observe(Channel(channel), account)

    def signature_failure(self, channel: Channel) -> None:
        """A webhook with a bad signature: counted on every account of the channel (one endpoint serves them all)."""
        for key, current in list(self._state.items()):
            if key[0] == Channel(channel):
                self._update(*key, signature_failures=current.signature_failures + 1,
                             detail="webhook signature failures: a changed app secret, or forged requests")

    def volume(self, channel: Channel, account: str, *, observed: int, usual: float, silent: bool) -> None:
        current = self._state.get((Channel(channel), account))
        if current and (current.silent, current.inbound_last_hour, current.inbound_usual) == (silent, observed, usual):
            return
        detail = {"detail": f"silent: {observed} inbound in the last hour, usually {usual:.0f}"} if silent else {}
        self._update(channel, account, silent=silent, inbound_last_hour=observed, inbound_usual=round(usual, 1), **detail)

    def success(self, channel: Channel, account: str) -> None:
        self._update(channel, account, last_success_at=datetime.now(UTC), consecutive_failures=0,
                     credentials_rejected=False, reconnect_required=False, rate_limited_until=None, detail=None)

    def reconnect_required(self, channel: Channel, account: str, detail: str) -> None:
        """The account's token cannot be renewed: red until an admin connects it again (accounts/tokens.py)."""
        self._update(channel, account, credentials_rejected=True, reconnect_required=True, detail=detail[:500])

    def reconnected(self, channel: Channel, account: str) -> None:
        self._update(channel, account, credentials_rejected=False, reconnect_required=False, detail=None)

    def failure(self, channel: Channel, account: str, detail: str, *, credentials: bool = False) -> None:
        current = self._state.get((Channel(channel), account))
        failures = (current.consecutive_failures if current else 0) + 1
        rejections = (current.credentials_rejections if current else 0) + (1 if credentials else 0)
        self._update(channel, account, consecutive_failures=failures, detail=detail[:500], credentials_rejections=rejections,
                     credentials_rejected=credentials or (current.credentials_rejected if current else False))

    def rate_limited(self, channel: Channel, account: str, until: datetime, detail: str) -> None:
        self._update(channel, account, rate_limited_until=until, detail=detail[:500])

    def snapshot(self) -> list[ChannelHealth]:
        return sorted(self._state.values(), key=lambda h: (h.channel.value, h.account_id))

    async def publish(self, publisher: Publisher, *, everything: bool = False) -> None:
        keys = list(self._state) if everything else list(self._dirty)
        self._dirty.difference_update(keys)
        for key in keys:
            try:
                await publisher.health(self._state[key])
            except PublishFailed as exc:
                self._dirty.add(key)
                log.debug("channel health not published yet: %s", exc)
                return

    async def run(self, publisher: Publisher, interval_seconds: float) -> None:
        """Publishes changes every second and everything every `interval_seconds` (0: changes only)."""
        loop = asyncio.get_running_loop()
        last_full = loop.time()
        while True:
            await asyncio.sleep(1.0)
            full = interval_seconds > 0 and loop.time() - last_full >= interval_seconds
            if full:
                last_full = loop.time()
            await self.publish(publisher, everything=full)


router = APIRouter(tags=["ops"])


@router.get("/api/channel-health", response_model=list[ChannelHealth], summary="Health of every channel account")
async def channel_health(request: Request) -> list[ChannelHealth]:
    return request.app.state.health.snapshot()
