"""Wires the responder service: settings, telemetry, policy, MongoDB, Kafka subscribers, the periodic job,
ops endpoints."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from civic_eventing import KafkaRuntime, ops_router, setup_telemetry
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import TracerProvider
from pymongo import AsyncMongoClient

from responder import handlers
from responder.adapters.kafka import OutboxPublisher, Publisher
from responder.adapters.mongo import ConversationStore
from responder.adapters.mongo_cases import CaseStore
from responder.adapters.mongo_ledger import Ledger
from responder.adapters.mongo_moderation import ModerationStore
from responder.adapters.mongo_outbox import Outbox
from responder.adapters.mongo_policy import publish_policy
from responder.adapters.mongo_records import RecordsStore
from responder.adapters.mongo_replies import ReplyStore
from responder.adapters.mongo_staff import StaffStore
from responder.config import Settings, load_policy
from responder.domain.calendar import BusinessCalendar
from responder.domain.policy import Policy
from responder.service import jobs
from responder.service.context import Clock, Responder, system_clock
from responder.service.records.daily import run_daily

SERVICE = "responder"


def create_app(
    settings: Settings,
    *,
    tracer_provider: TracerProvider | None = None,
    clock: Clock | None = None,
    policy: Policy | None = None,
) -> FastAPI:
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    policy = policy or load_policy(settings.policy_path, bank_holidays=settings.bank_holidays)
    kafka = KafkaRuntime.create(
        bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider
    )
    broker, keeper = kafka.broker, kafka.keeper
    mongo = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=SERVICE, serverSelectionTimeoutMS=5000)
    db = settings.database
    responder = Responder(
        conversations=ConversationStore(mongo, db), ledger=Ledger(mongo, db), replies=ReplyStore(mongo, db),
        cases=CaseStore(mongo, db), staff=StaffStore(mongo, db), moderation=ModerationStore(mongo, db),
        publisher=OutboxPublisher(Publisher(broker), Outbox(mongo, db)), policy=policy, calendar=BusinessCalendar(policy.business_hours),
        clock=clock or system_clock, replying_seconds=settings.replying_seconds, accounts=frozenset(settings.accounts),
        records=RecordsStore(mongo, db),
    )
    handlers.register(broker, group_id=settings.group_id, responder=responder, tracer_provider=tracer_provider,
                      batch_size=settings.batch_size, concurrency=settings.batch_concurrency)

    async def mongo_check() -> str | None:
        await mongo.admin.command("ping")
        return None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for store in (responder.conversations, responder.ledger, responder.replies, responder.cases, responder.moderation,
                      responder.records):
            await store.ensure_indexes()
        await publish_policy(mongo, db, policy)
        keeper.start()
        await keeper.wait(timeout=settings.startup_wait_seconds)
        job = records = None
        if settings.jobs_enabled:
            job = asyncio.create_task(jobs.run_forever(
                responder, settings.job_interval_seconds, repair_every_seconds=settings.counter_repair_seconds,
            ), name="responder-jobs")
            records = asyncio.create_task(run_daily(responder.records, policy.records, clock=responder.now,
                                                    kafka_bootstrap_servers=settings.kafka_bootstrap_servers,
                                                    announce=responder.publisher.retention),
                                          name="responder-retention")
        yield
        for task in (job, records):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await keeper.stop()
        await mongo.close()

    app = FastAPI(title="Civic Inbox responder", version="0.2.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.keeper = keeper
    app.state.store = responder.conversations
    app.state.responder = responder
    app.include_router(ops_router(keeper=keeper, registry=kafka.registry, checks={"mongodb": mongo_check}))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    return app
