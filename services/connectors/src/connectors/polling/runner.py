"""Runs each poller on its interval; a rate limit pauses that poller until the platform says."""

import asyncio
import logging
from typing import Protocol

from civic_contracts import Channel
from opentelemetry import trace

from connectors.health import HealthTracker
from connectors.outbound.context import Context
from connectors.outbound.errors import RateLimited, Rejected, SendError
from connectors.publishing import PublishFailed

log = logging.getLogger(__name__)
BATCH = 20


class Poller(Protocol):
    name: str
    channel: Channel
    account: str

    async def poll_once(self) -> int: ...


async def run_poller(poller: Poller, *, ctx: Context, health: HealthTracker, interval: float,
                     tracer: trace.Tracer | None = None) -> None:
    """Forever: poll (each poll a span, so the messages it finds carry its trace id), record the outcome in
    channel health, wait."""
    tracer = tracer or trace.get_tracer(__name__)
    while True:
        wait = interval
        try:
            with tracer.start_as_current_span(f"poll {poller.name}", kind=trace.SpanKind.CLIENT):
                count = await poller.poll_once()
            health.success(poller.channel, poller.account)
            if count:
                log.info("%s: published %d new messages", poller.name, count)
        except asyncio.CancelledError:
            raise
        except RateLimited as exc:
            health.rate_limited(poller.channel, poller.account, exc.until, f"{exc.code}: {exc.message}")
            wait = max(interval, (exc.until - ctx.now()).total_seconds())
        except (SendError, PublishFailed) as exc:
            credentials = isinstance(exc, Rejected) and exc.credentials
            health.failure(poller.channel, poller.account, str(exc), credentials=credentials)
            log.warning("%s: poll failed: %s", poller.name, exc)
        except Exception as exc:  # noqa: BLE001 - a poller never dies; it reports and tries again
            health.failure(poller.channel, poller.account, f"{type(exc).__name__}: {exc}")
            log.exception("%s: poll failed", poller.name)
        await asyncio.sleep(wait)
