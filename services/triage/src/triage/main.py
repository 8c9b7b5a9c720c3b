"""Wires the triage service: settings, telemetry, the classifier, Kafka subscribers, ops endpoints."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from civic_eventing import KafkaRuntime, ops_router, setup_telemetry
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import TracerProvider

from triage import handlers
from triage.config import Settings
from triage.domain import load_classifier

SERVICE = "triage"


def create_app(settings: Settings, *, tracer_provider: TracerProvider | None = None) -> FastAPI:
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    kafka = KafkaRuntime.create(
        bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider
    )
    broker, keeper = kafka.broker, kafka.keeper
    classifier = load_classifier(model_dir=settings.model_dir, taxonomy_path=settings.taxonomy_path)
    handlers.register(broker, group_id=settings.group_id, classifier_ref=lambda: classifier)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        keeper.start()
        await keeper.wait(timeout=settings.startup_wait_seconds)
        yield
        await keeper.stop()

    app = FastAPI(title="Civic Inbox triage", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.keeper = keeper
    app.include_router(ops_router(keeper=keeper, registry=kafka.registry))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    return app
