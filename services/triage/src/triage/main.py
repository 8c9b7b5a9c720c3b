"""Wires the triage service: settings, telemetry, the classifier (reloaded when retrained), surges,
corrections, Kafka subscribers, ops endpoints."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from civic_contracts.topics import INCIDENT
from civic_eventing import KafkaRuntime, ops_router, setup_telemetry
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import TracerProvider
from pymongo import AsyncMongoClient

from triage import handlers
from triage.adapters import CorrectionStore
from triage.config import Settings
from triage.domain import ModelWatcher
from triage.service import Surges

SERVICE = "triage"
log = logging.getLogger(__name__)


def create_app(settings: Settings, *, tracer_provider: TracerProvider | None = None) -> FastAPI:
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    kafka = KafkaRuntime.create(
        bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider
    )
    broker, keeper = kafka.broker, kafka.keeper
    # A newly trained model (or an edited taxonomy) is picked up without a restart; a bad one is refused
    # and the one in force keeps serving.
    watcher = ModelWatcher(settings.model_dir, settings.taxonomy_path, min_interval=settings.reload_interval_seconds)
    surges = Surges(window_minutes=settings.surge_window_minutes, threshold=settings.surge_threshold)
    mongo = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=SERVICE, serverSelectionTimeoutMS=5000)
    corrections = CorrectionStore(mongo, settings.database)
    handlers.register(broker, group_id=settings.group_id, classifier_ref=watcher.current, surges=surges,
                      corrections=corrections, tracer_provider=tracer_provider)

    async def close_quiet_incidents() -> None:
        while True:
            await asyncio.sleep(60)
            for incident in surges.expire():
                try:
                    await broker.publish(incident, topic=INCIDENT.name, key=incident.incident_id.encode())
                except Exception:  # noqa: BLE001 - retried at the next tick is not possible; log it
                    log.exception("could not publish the closing of incident %s", incident.incident_id)

    async def model_check() -> str | None:
        return watcher.last_error

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await corrections.ensure_indexes()
        keeper.start()
        await keeper.wait(timeout=settings.startup_wait_seconds)
        closer = asyncio.create_task(close_quiet_incidents(), name="close-quiet-incidents")
        yield
        closer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await closer
        await keeper.stop()
        await mongo.close()

    app = FastAPI(title="Civic Inbox triage", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.keeper = keeper
    app.state.watcher = watcher
    app.state.surges = surges
    app.state.corrections = corrections
    app.include_router(ops_router(keeper=keeper, registry=kafka.registry, checks={"model": model_check}))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    return app
