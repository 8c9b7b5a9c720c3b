"""The retention schedule applied once a day by responder (any replica may run it: a run is idempotent, and
`due_today` reads the last run, so replicas rarely repeat it), with the Kafka topics' retention set from the
same schedule."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from civic_contracts import TOPICS
from civic_contracts.records import RetentionApplied

from responder.adapters import kafka_topics
from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import RetentionSchedule
from responder.service.records import retention

log = logging.getLogger(__name__)


async def run_daily(store: RecordsStore, schedule: RetentionSchedule, *, clock: Callable[[], datetime],
                    kafka_bootstrap_servers: str, check_seconds: float = 3600.0,
                    announce: Callable[[RetentionApplied], Awaitable[None]] | None = None) -> None:
    await store.ensure_indexes()
    while True:
        try:
            if await retention.due_today(store, clock()):
                run = await retention.run(store, schedule, now=clock(), announce=announce)
                await kafka_topics.set_retention(kafka_bootstrap_servers, schedule.topic_hours(list(TOPICS)))
                log.info("retention applied: %s", run["done"])
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the job tries again at its next check
            log.exception("retention job failed; trying again later")
        await asyncio.sleep(check_seconds)
