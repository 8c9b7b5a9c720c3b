"""Wires the inbox service, API and web app alike: settings, telemetry, MongoDB (the conversation store,
records, users), Kafka (staff actions published as commands; conversation events followed for live pages
and the in-memory list), optional OpenID Connect, the routes."""

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
from inbox.actions import Actions
from inbox.adapters.commands import CommandBus
from inbox.adapters.conversations import ConversationStore
from inbox.adapters.records import RecordReader
from inbox.adapters.records_management import RecordsManagementReader
from inbox.adapters.users import UserStore
from inbox.admin import bootstrap
from inbox.auth import edge
from inbox.auth.oidc import OidcClient, OidcConfig
from inbox.config import Settings
from inbox.web.config import WebSettings, load_web_settings
from inbox.web.inbox_index import InboxIndex
from inbox.web.live import LiveHub

SERVICE = "inbox"
log = logging.getLogger(__name__)


def create_app(
    settings: Settings, *, tracer_provider: TracerProvider | None = None, oidc_http: httpx.AsyncClient | None = None,
    web_settings: WebSettings | None = None,
) -> FastAPI:
    web_settings = web_settings or load_web_settings()
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    kafka = KafkaRuntime.create(
        bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider
    )
    mongo = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=SERVICE, serverSelectionTimeoutMS=5000)
    users = UserStore(mongo, settings.database)
    store = ConversationStore.connect(mongo, settings.database)
    commands = CommandBus(mongo, settings.database, kafka.keeper)
    hub = index = None
    if web_settings.live_enabled:  # live pages, and the in-memory list they keep up to date
        hub = LiveHub(bootstrap_servers=settings.kafka_bootstrap_servers, conversations=store,
                      buffer=web_settings.live_buffer)
        if web_settings.index_enabled:
            index = InboxIndex(store, keep_days=web_settings.index_keep_days)
            hub.listeners.append(index.on_event)
            hub.on_positioned.append(index.positioned)
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
        if hub is not None:
            hub.start()
        yield
        if hub is not None:
            await hub.stop()
        if index is not None:
            await index.stop()
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
    app.state.store = store
    app.state.records = RecordReader(mongo, settings.database)
    app.state.records_management = RecordsManagementReader(mongo, settings.database)
    app.state.users = users
    app.state.commands = commands
    app.state.actions = Actions(store=store, commands=commands, replying_seconds=settings.replying_seconds)
    app.state.keeper = kafka.keeper
    app.state.oidc = oidc
    app.state.web_settings = web_settings
    app.state.live = hub
    app.state.inbox_index = index
    for router in api.ROUTERS:
        app.include_router(router)
    app.include_router(ops_router(keeper=kafka.keeper, registry=kafka.registry, checks={"mongodb": mongo_check}))
    web.mount(app)  # the web app's pages, static files and security headers (inbox/web)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    edge.install(app, settings, mongo[settings.database])  # body limits, internal /metrics, headers, sign-in throttle
    return app
