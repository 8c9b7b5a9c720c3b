"""Wires the inbox service: settings, telemetry, MongoDB, the API."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from civic_eventing import setup_telemetry
from fastapi import FastAPI, Response
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import TracerProvider
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pymongo import AsyncMongoClient

from inbox import api
from inbox.adapters.mongo import ConversationReader
from inbox.config import Settings

SERVICE = "inbox"


def create_app(settings: Settings, *, tracer_provider: TracerProvider | None = None) -> FastAPI:
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    registry = CollectorRegistry()
    mongo = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=SERVICE, serverSelectionTimeoutMS=5000)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await mongo.close()

    app = FastAPI(
        title="Civic Inbox",
        description="The unified inbox of a public body: every citizen message, routed, answered and audited.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.reader = ConversationReader(mongo, settings.database)
    app.include_router(api.router)

    @app.get("/healthz", tags=["ops"], summary="Health: the database answers")
    async def healthz(response: Response) -> dict:
        try:
            await mongo.admin.command("ping")
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            response.status_code = 503
            return {"status": "degraded", "problems": {"mongodb": f"{type(exc).__name__}: {exc}"}}
        return {"status": "ok"}

    @app.get("/metrics", tags=["ops"], summary="Prometheus metrics")
    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    return app
