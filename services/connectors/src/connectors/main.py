"""Wires the connectors service: settings, telemetry, Kafka, MongoDB, webhook routes, outbound sender,
pollers and channel health."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from civic_contracts import Channel
from civic_eventing import KafkaRuntime, ops_router, setup_telemetry
from civic_eventing.http_edge import InternalOnly, ResponseHeaders
from civic_eventing.http_limits import BodyLimits, BodyPolicy
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.trace import TracerProvider
from pymongo import AsyncMongoClient

from connectors import (
    accounts_routes,
    contact_form,
    contact_page,
    handlers,
    health,
    open311,
    records,
    webhooks_email,
    webhooks_meta,
    webhooks_twilio,
    webhooks_x,
)
from connectors.accounts.crypto import TokenCipher, TokenKeyError
from connectors.accounts.tokens import TokenBook
from connectors.adapters import Stores
from connectors.adapters.records import RecordsStore
from connectors.adapters.volume import VolumeStore
from connectors.bursts import BurstWatch
from connectors.config import Settings
from connectors.echoes import EchoWatch
from connectors.health import HealthTracker
from connectors.open311_status import StatusFollower
from connectors.outbound.context import Context
from connectors.outbound.sender import Sender
from connectors.platforms import webform
from connectors.polling.runner import run_poller
from connectors.polling.x_mentions import XMentionsPoller
from connectors.polling.youtube_comments import YouTubeCommentsPoller
from connectors.publishing import Publisher
from connectors.revising import RevisionPublisher
from connectors.silence import SilenceWatch
from connectors.webform_guard import WebformGuard

SERVICE = "connectors"
# Answered only on the internal listener (`internal_port`): what platforms and citizens have no business reading.
INTERNAL_PATHS = ("/metrics", "/api/channel-health", "/openapi.json")
EDGE_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer",
                "content-security-policy": "default-src 'none'; frame-ancestors 'none'"}
log = logging.getLogger(__name__)


async def _keep_trying(what: str, action, *, every: float) -> None:
    """Runs `action` until it succeeds (start-up chores that need MongoDB, which may come up later)."""
    while True:
        try:
            await action()
            return
        except Exception as exc:  # noqa: BLE001
            log.warning("%s failed (%s); retrying in %.0fs", what, exc, every)
            await asyncio.sleep(every)


async def _prune_tokens(stores: Stores, settings: Settings) -> None:
    while True:
        await asyncio.sleep(600)
        try:
            await stores.tokens.prune(timedelta(seconds=settings.email_max_age_seconds * 2))
        except Exception as exc:  # noqa: BLE001
            log.warning("pruning Mailgun tokens failed: %s", exc)


def configured_accounts(settings: Settings) -> dict[Channel, list[str]]:
    """The organisation's accounts the settings name, per channel (for channel health), known from the start.
    Meta tokens do not say whether an id is a Page or an Instagram account: Instagram professional accounts'
    ids start with 1784, Pages' do not."""
    meta = sorted(settings.meta_page_tokens)
    instagram = [a for a in meta if a.startswith("1784")]
    pages = [a for a in meta if a not in instagram]
    return {
        Channel.FACEBOOK: pages, Channel.MESSENGER: pages, Channel.INSTAGRAM: instagram,
        Channel.X: sorted({*settings.x_user_tokens, *settings.x_poll_accounts}),
        Channel.YOUTUBE: sorted({*settings.youtube_access_tokens, *settings.youtube_channel_ids}),
        Channel.SMS: settings.twilio_numbers, Channel.WHATSAPP: settings.twilio_numbers,
        Channel.EMAIL: settings.email_mailboxes,
        Channel.WEBFORM: [settings.open311_jurisdiction_id] if settings.open311_api_keys else [],
    }


def _cipher(settings: Settings) -> TokenCipher | None:
    if not settings.token_keys:
        return None
    try:
        return TokenCipher(settings.token_keys)
    except TokenKeyError as exc:
        log.error("connected accounts are off: %s", exc)
        return None


def create_app(
    settings: Settings, *, tracer_provider: TracerProvider | None = None,
    platform_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`platform_transport` replaces the network for platform API calls (tests route them to the sandbox)."""
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    kafka = KafkaRuntime.create(
        bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider
    )
    keeper = kafka.keeper
    mongo = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=SERVICE, serverSelectionTimeoutMS=5000)
    stores = Stores.create(mongo, settings.database)
    publisher = Publisher(keeper, timeout_seconds=settings.publish_timeout_seconds)
    tracker = HealthTracker(kafka.registry)
    client = httpx.AsyncClient(transport=platform_transport, timeout=settings.send_timeout_seconds)
    HTTPXClientInstrumentor.instrument_client(client, tracer_provider=tracer_provider)
    book = TokenBook(settings=settings, connections=stores.connections, cipher=_cipher(settings), client=client,
                     health=tracker, keeper=keeper)
    ctx = Context(client=client, settings=settings, stores=stores, tokens=book)
    sender = Sender(ctx, publisher=publisher, health=tracker)
    handlers.register(kafka.broker, settings=settings, sender=sender, ledger=stores.ledger,
                      requests=StatusFollower(ctx) if Channel.WEBFORM in settings.outbound_channels else None,
                      tracer_provider=tracer_provider)
    records.register(kafka.broker, group_id=settings.group_id, follower=records.RecordsFollower(
        RecordsStore(mongo[settings.database]), jurisdiction=settings.open311_jurisdiction_id))
    pollers = {p.name: p for p in [
        *(XMentionsPoller(a, ctx=ctx, publisher=publisher, health=tracker) for a in settings.x_poll_accounts),
        *(YouTubeCommentsPoller(c, ctx=ctx, publisher=publisher, health=tracker) for c in settings.youtube_channel_ids),
    ]}
    own: set[str] = set()
    for channel, accounts in configured_accounts(settings).items():
        for account in accounts:
            tracker.known(channel, account)
            own.add(account)
    echo_watch = EchoWatch(ledger=stores.ledger, keeper=keeper, grace_seconds=settings.echo_grace_seconds, accounts=own)
    tracker.bursts = BurstWatch(keeper=keeper, window_seconds=settings.burst_window_seconds, factor=settings.burst_factor,
                                minimum=settings.burst_minimum)
    silence = SilenceWatch(volume=VolumeStore(mongo[settings.database]), tracker=tracker, keeper=keeper,
                           ratio=settings.silence_ratio, minimum_usual=settings.silence_minimum_usual,
                           weeks=settings.silence_baseline_weeks)
    try:
        services = webform.load_services(settings.open311_taxonomy_path, settings.open311_definitions_path)
    except ValueError as exc:
        log.error("Open311 services unavailable: %s", exc)
        services = []

    async def mongo_check() -> str | None:
        await mongo.admin.command("ping")
        return None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_keep_trying("creating MongoDB indexes", stores.ensure_indexes, every=5.0))]
        keeper.start()
        await keeper.wait(timeout=settings.startup_wait_seconds)
        tasks += [
            asyncio.create_task(sender.run_retries(), name="outbound-retries"),
            asyncio.create_task(tracker.run(publisher, settings.health_interval_seconds), name="channel-health"),
            asyncio.create_task(_prune_tokens(stores, settings), name="prune-mailgun-tokens"),
            asyncio.create_task(silence.run(settings.silence_check_seconds), name="silence-watch"),
            asyncio.create_task(book.run(), name="account-tokens"),
        ]
        if settings.poll_interval_seconds > 0:
            tasks += [asyncio.create_task(run_poller(p, ctx=ctx, health=tracker, interval=settings.poll_interval_seconds,
                                                     tracer=tracer_provider.get_tracer(SERVICE)),
                                          name=p.name) for p in pollers.values()]
        yield
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await echo_watch.stop()
        await keeper.stop()
        await client.aclose()
        await mongo.close()

    app = FastAPI(
        title="Civic Inbox connectors",
        description="Platform webhooks and pollers in (verified, normalised, published to Kafka); replies out.",
        version="0.2.0",
        lifespan=lifespan,
        docs_url=None,  # no Swagger UI (it loads script from a CDN); the description is on the internal listener
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.webform_guard = WebformGuard.create(settings)
    app.state.keeper = keeper
    app.state.publisher = publisher
    app.state.revisions = RevisionPublisher(keeper, timeout_seconds=settings.publish_timeout_seconds)
    app.state.stores = stores
    app.state.health = tracker
    app.state.echoes = echo_watch
    app.state.silence = silence
    app.state.sender = sender
    app.state.pollers = pollers
    app.state.services = services
    app.state.tokens = book
    for module in (webhooks_meta, webhooks_x, webhooks_twilio, webhooks_email, open311, contact_form, health,
                   accounts_routes):
        app.include_router(module.router)
    app.include_router(ops_router(keeper=keeper, registry=kafka.registry, checks={"mongodb": mongo_check}))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    app.add_middleware(ResponseHeaders, rules=[("/contact", contact_page.HEADERS), ("/open311", {"cache-control": "no-store"}),
                                               ("", EDGE_HEADERS)])
    app.add_middleware(InternalOnly, paths=INTERNAL_PATHS, internal_port=settings.internal_port)
    app.add_middleware(BodyLimits, policy=BodyPolicy(max_bytes=settings.max_body_bytes, routes=settings.body_limits,
                                                     max_form_fields=settings.max_form_fields,
                                                     max_json_depth=settings.max_json_depth))
    return app
