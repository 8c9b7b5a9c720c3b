"""Wires the inbox service: settings, telemetry, MongoDB, Kafka (staff actions are published as commands),
optional OpenID Connect, the API."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from civic_eventing import KafkaRuntime, ops_router, setup_telemetry
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import TracerProvider
from pymongo import AsyncMongoClient

from inbox import api, web
from inbox.adapters.commands import CommandBus
from inbox.adapters.mongo import ConversationReader
from inbox.adapters.records import RecordReader
from inbox.adapters.users import UserStore
from inbox.admin import bootstrap
from inbox.auth import edge
from inbox.auth.oidc import OidcClient, OidcConfig
from inbox.config import Settings

SERVICE = "inbox"
log = logging.getLogger(__name__)


def create_app(
    settings: Settings, *, tracer_provider: TracerProvider | None = None, oidc_http: httpx.AsyncClient | None = None
) -> FastAPI:
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    kafka = KafkaRuntime.create(
        bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider
    )
    mongo = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=SERVICE, serverSelectionTimeoutMS=5000)
    users = UserStore(mongo, settings.database)
    http = oidc_http or httpx.AsyncClient()
    oidc = None
    if settings.oidc_issuer and settings.oidc_client_id and settings.oidc_redirect_uri:
        secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
        oidc = OidcClient(OidcConfig(issuer=settings.oidc_issuer, client_id=settings.oidc_client_id, client_secret=secret,
                                     redirect_uri=settings.oidc_redirect_uri, scopes=settings.oidc_scopes), http)

    async def mongo_check() -> str | None:
        await mongo.admin.command("ping")
        return None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await users.ensure_indexes()
        if settings.bootstrap_users:
            created = await bootstrap(users, settings.bootstrap_users)
            if created:
                log.info("created staff accounts: %s", ", ".join(created))
        kafka.keeper.start()
        await kafka.keeper.wait(timeout=settings.startup_wait_seconds)
        yield
        await kafka.keeper.stop()
        if oidc_http is None:
            await http.aclose()
        await mongo.close()

    app = FastAPI(
        title="Civic Inbox",
        description="The unified inbox of a public body: every citizen message, routed, answered and audited. "
        "Sign in at `POST /api/auth/login` (session cookie) or send `Authorization: Bearer <token>`. Every "
        "action is queued as a command and answered 202 with the id to follow at `GET /api/commands/{id}`.",
        version="0.2.0",
        lifespan=lifespan,
        docs_url=None, redoc_url=None, openapi_url=None,  # the description is served to signed-in people (auth/edge)
    )
    app.state.settings = settings
    app.state.reader = ConversationReader(mongo, settings.database)
    app.state.records = RecordReader(mongo, settings.database)
    app.state.users = users
    app.state.commands = CommandBus(mongo, settings.database, kafka.keeper)
    app.state.keeper = kafka.keeper
    app.state.oidc = oidc
    for router in api.ROUTERS:
        app.include_router(router)
    app.include_router(ops_router(keeper=kafka.keeper, registry=kafka.registry, checks={"mongodb": mongo_check}))
    web.install(app)  # the web app: pages, static files, live updates (inbox/web)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    edge.install(app, settings, mongo[settings.database])  # body limits, internal /metrics, headers, sign-in throttle
    return app
