"""Wires the responder service: settings, telemetry, MongoDB, Kafka subscribers, ops endpoints."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from civic_eventing import KafkaRuntime, ops_router, setup_telemetry
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import TracerProvider
from pymongo import AsyncMongoClient

from responder import handlers
from responder.adapters.mongo import ConversationStore
from responder.config import Settings

SERVICE = "responder"


def create_app(settings: Settings, *, tracer_provider: TracerProvider | None = None) -> FastAPI:
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    kafka = KafkaRuntime.create(
        bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider
    )
    broker, keeper = kafka.broker, kafka.keeper
    mongo = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=SERVICE, serverSelectionTimeoutMS=5000)
    store = ConversationStore(mongo, settings.database)
    handlers.register(broker, group_id=settings.group_id, store=store)

    async def mongo_check() -> str | None:
        await mongo.admin.command("ping")
        return None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await store.ensure_indexes()
        keeper.start()
        await keeper.wait(timeout=settings.startup_wait_seconds)
        yield
        await keeper.stop()
        await mongo.close()

    app = FastAPI(title="Civic Inbox responder", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.keeper = keeper
    app.state.store = store
    app.include_router(ops_router(keeper=keeper, registry=kafka.registry, checks={"mongodb": mongo_check}))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    return app
