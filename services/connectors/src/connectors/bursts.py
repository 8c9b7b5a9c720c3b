"""Outbound bursts: an account sending far more than it usually does (a compromised integration, a runaway
loop) raises an `ops.alert.v1` security alert. Sends are counted per account in windows of
`burst_window_seconds`; the usual rate is the mean of the account's earlier windows of the last day (idle
windows included); a window alerts, once, when it reaches both `burst_minimum` and `burst_factor` times
the usual rate. Kept in memory per process: each replica watches what it sends."""

import asyncio
import logging
from collections import defaultdict, deque
from datetime import UTC, datetime

from civic_contracts import Channel, OpsAlert, OpsAlertKind
from civic_contracts.topics import OPS_ALERT

log = logging.getLogger(__name__)
DAY_SECONDS = 86400


class BurstWatch:
    def __init__(self, *, keeper, window_seconds: float, factor: float, minimum: int) -> None:
        self.keeper, self.window, self.factor, self.minimum = keeper, window_seconds, factor, minimum
        self._windows: dict[tuple[Channel, str], deque] = defaultdict(deque)  # (window index, count), oldest first
        self._raised: set[str] = set()
        self._tasks: set[asyncio.Task] = set()

    def _usual(self, history: deque, current: int) -> float:
        keep = int(DAY_SECONDS // self.window)
        earlier = [(i, c) for i, c in history if i != current and i > current - keep]
        if not earlier:
            return 0.0
        span = current - min(i for i, _ in earlier)
        return sum(c for _, c in earlier) / max(span, 1)

    def observe(self, channel: Channel, account: str, at: datetime | None = None) -> OpsAlert | None:
        at = at or datetime.now(UTC)
        index = int(at.timestamp() // self.window)
        history = self._windows[(channel, account)]
        if history and history[-1][0] == index:
            history[-1] = (index, history[-1][1] + 1)
        else:
            history.append((index, 1))
        while history and history[0][0] <= index - DAY_SECONDS // self.window:
            history.popleft()
        count, usual = history[-1][1], self._usual(history, index)
        alert_id = f"burst:{channel.value}:{account}:{index}"
        if count < self.minimum or count < self.factor * usual or alert_id in self._raised:
            return None
        self._raised.add(alert_id)
        alert = OpsAlert(id=alert_id, kind=OpsAlertKind.OUTBOUND_BURST, security=True, channel=channel, account_id=account,
                         raised_at=at, summary=f"{channel.value} account {account} sent {count} messages in "
                         f"{self.window / 60:.0f} minutes, usually {usual:.1f}",
                         data={"count": count, "usual": round(usual, 2), "window_seconds": self.window})
        task = asyncio.get_running_loop().create_task(self._publish(alert))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return alert

    async def _publish(self, alert: OpsAlert) -> None:
        try:
            await self.keeper.broker.publish(alert, topic=OPS_ALERT.name, key=alert.id.encode())
        except Exception:  # noqa: BLE001 - logged; the burst is also on the account's health
            log.exception("could not publish %s", alert.id)
