"""Silence: an account whose inbound falls far below its own usual level for that hour of the week (or stops)
is flagged on channel health and raised as an `ops.alert.v1` for ops. The usual level is the mean of the
same hour over the previous weeks (`silence_baseline_weeks`); the last full hour is compared with it."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from civic_contracts import Channel, OpsAlert, OpsAlertKind
from civic_contracts.topics import OPS_ALERT

from connectors.adapters.volume import VolumeStore

log = logging.getLogger(__name__)


def is_silent(observed: int, usual: float, *, ratio: float, minimum_usual: float) -> bool:
    """Far below its usual level: the usual level is worth watching and the hour had at most `ratio` of it."""
    return usual >= minimum_usual and observed <= usual * ratio


class SilenceWatch:
    def __init__(self, *, volume: VolumeStore, tracker, keeper, ratio: float, minimum_usual: float, weeks: int) -> None:
        self.volume, self.tracker, self.keeper = volume, tracker, keeper
        self.ratio, self.minimum_usual, self.weeks = ratio, minimum_usual, weeks
        self._raised: set[str] = set()
        self._signatures: dict[Channel, int] = {}  # failures per channel at its last alert

    async def inbound(self, channel: Channel, account: str, at: datetime | None = None) -> None:
        await self.volume.add(channel.value, account, at or datetime.now(UTC))

    async def check(self, now: datetime | None = None) -> list[OpsAlert]:
        """Compares the last full hour of every known account with its usual level; the alerts raised."""
        now = now or datetime.now(UTC)
        hour = (now - timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        raised = []
        for health in self.tracker.snapshot():
            channel, account = health.channel, health.account_id
            observed = await self.volume.count(channel.value, account, hour)
            usual, weeks = await self.volume.usual(channel.value, account, hour, weeks=self.weeks)
            silent = is_silent(observed, usual, ratio=self.ratio, minimum_usual=self.minimum_usual)
            self.tracker.volume(channel, account, observed=observed, usual=usual, silent=silent)
            if not silent:
                continue
            alert = OpsAlert(
                id=f"silent:{channel.value}:{account}:{hour:%Y-%m-%dT%H}", kind=OpsAlertKind.CHANNEL_SILENT, security=False,
                channel=channel, account_id=account, raised_at=now,
                summary=f"{channel.value} account {account} went quiet: {observed} messages in the hour from "
                        f"{hour:%H:%M} UTC, usually {usual:.0f} at that hour of the week",
                data={"observed": observed, "usual": round(usual, 1), "weeks": weeks, "hour": hour.isoformat()},
            )
            if alert.id not in self._raised:
                await self.keeper.broker.publish(alert, topic=OPS_ALERT.name, key=alert.id.encode())
                self._raised.add(alert.id)
            raised.append(alert)
        return raised

    async def store_inbound(self) -> None:
        """Adds the counts the tracker took since the last call to the hourly buckets."""
        for (channel, account, hour), count in self.tracker.take_inbound().items():
            await self.volume.add(channel.value, account, hour, count)

    async def credentials(self, now: datetime | None = None) -> list[OpsAlert]:
        """An alert for each account whose token the platform refuses (once a day while it lasts)."""
        now = now or datetime.now(UTC)
        raised = []
        for health in self.tracker.snapshot():
            if not health.credentials_rejected:
                continue
            alert = OpsAlert(
                id=f"credentials:{health.channel.value}:{health.account_id}:{now:%Y-%m-%d}", kind=OpsAlertKind.CREDENTIALS_REJECTED,
                security=False, channel=health.channel, account_id=health.account_id, raised_at=now,
                summary=f"{health.channel.value} account {health.account_id}: the platform refuses its token; reconnect the account",
                data={"rejections": health.credentials_rejections},
            )
            if alert.id not in self._raised:
                await self.keeper.broker.publish(alert, topic=OPS_ALERT.name, key=alert.id.encode())
                self._raised.add(alert.id)
                raised.append(alert)
        return raised

    async def signatures(self, now: datetime | None = None, *, threshold: int = 20) -> list[OpsAlert]:
        """An alert when webhooks with bad signatures pile up on a channel (`threshold` since the last alert):
        a rotated app secret nobody copied, or someone forging deliveries."""
        now = now or datetime.now(UTC)
        raised, seen = [], set()
        for health in self.tracker.snapshot():
            if health.channel in seen:
                continue
            seen.add(health.channel)
            last = self._signatures.get(health.channel, 0)
            if health.signature_failures - last < threshold:
                continue
            self._signatures[health.channel] = health.signature_failures
            alert = OpsAlert(
                id=f"signatures:{health.channel.value}:{now:%Y-%m-%dT%H:%M}", kind=OpsAlertKind.SIGNATURE_FAILURES,
                security=False, channel=health.channel, account_id=health.account_id, raised_at=now,
                summary=f"{health.signature_failures} {health.channel.value} webhook deliveries refused for a bad signature: "
                        "check the app secret, or someone is forging requests",
                data={"failures": health.signature_failures},
            )
            await self.keeper.broker.publish(alert, topic=OPS_ALERT.name, key=alert.id.encode())
            raised.append(alert)
        return raised

    async def run(self, check_seconds: float, store_seconds: float = 10.0) -> None:
        """Stores inbound counts every `store_seconds` and checks every `check_seconds` (0: stores only)."""
        loop = asyncio.get_running_loop()
        last_check = loop.time()
        while True:
            await asyncio.sleep(store_seconds)
            try:
                await self.store_inbound()
                if check_seconds > 0 and loop.time() - last_check >= check_seconds:
                    last_check = loop.time()
                    await self.check()
                    await self.credentials()
                    await self.signatures()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - logged; the next round tries again
                log.exception("silence watch failed")
