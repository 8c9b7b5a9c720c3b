"""Wires the connectors service: settings, telemetry, Kafka, routes."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from civic_eventing import KafkaRuntime, ops_router, setup_telemetry
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import TracerProvider

from connectors import webhooks_meta
from connectors.config import Settings
from connectors.publishing import Publisher

SERVICE = "connectors"


def create_app(settings: Settings, *, tracer_provider: TracerProvider | None = None) -> FastAPI:
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    kafka = KafkaRuntime.create(
        bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider
    )
    keeper = kafka.keeper

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        keeper.start()
        await keeper.wait(timeout=settings.startup_wait_seconds)
        yield
        await keeper.stop()

    app = FastAPI(
        title="Civic Inbox connectors",
        description="Platform webhooks: verified, normalised and published to Kafka.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.keeper = keeper
    app.state.publisher = Publisher(keeper, timeout_seconds=settings.publish_timeout_seconds)
    app.include_router(webhooks_meta.router)

    app.include_router(ops_router(keeper=keeper, registry=kafka.registry))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    return app
