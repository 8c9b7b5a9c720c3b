"""Wires the notifier: settings, telemetry, MongoDB, the three media, Kafka subscribers, the escalation
clock, the acknowledgement pages and ops endpoints."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from civic_eventing import KafkaRuntime, ops_router, setup_telemetry
from fastapi import FastAPI
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.trace import TracerProvider
from pymongo import AsyncMongoClient

from notifier import handlers, web
from notifier.adapters.chat import ChatWebhook
from notifier.adapters.kafka import Publisher
from notifier.adapters.mailgun import MailgunEmail
from notifier.adapters.mongo import AlertStore
from notifier.adapters.twilio import TwilioSms
from notifier.config import Settings
from notifier.service import duty
from notifier.service.context import Clock, Notifier, system_clock

SERVICE = "notifier"
log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    *,
    tracer_provider: TracerProvider | None = None,
    clock: Clock | None = None,
    platform_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """`platform_transport` replaces the network for Twilio, Mailgun and the chat webhook (tests use the sandbox in process)."""
    if not settings.link_secret.get_secret_value():
        raise ValueError("NOTIFIER_LINK_SECRET is required: it signs the acknowledgement links")
    tracer_provider = tracer_provider or setup_telemetry(SERVICE)
    kafka = KafkaRuntime.create(bootstrap_servers=settings.kafka_bootstrap_servers, service=SERVICE, tracer_provider=tracer_provider)
    broker, keeper = kafka.broker, kafka.keeper
    mongo = AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=SERVICE, serverSelectionTimeoutMS=5000)
    http = httpx.AsyncClient(transport=platform_transport, timeout=settings.http_timeout_seconds)
    notifier = Notifier(
        store=AlertStore(mongo, settings.database), publisher=Publisher(broker),
        sms=TwilioSms(http, base_url=settings.twilio_api_base_url, account_sid=settings.twilio_account_sid,
                      auth_token=settings.twilio_auth_token.get_secret_value(), sender=settings.twilio_from),
        email=MailgunEmail(http, base_url=settings.mailgun_api_base_url, api_key=settings.mailgun_api_key.get_secret_value(),
                           domain=settings.mailgun_domain, sender=settings.mailgun_from),
        chat=ChatWebhook(http, kind=settings.chat_kind, url=settings.chat_webhook_url.get_secret_value()),
        public_url=settings.public_url, inbox_url=settings.inbox_url, link_secret=settings.link_secret.get_secret_value(),
        ack_timeout_seconds=settings.ack_timeout_seconds, admins=settings.admins, ops=settings.ops,
        clock=clock or system_clock, accounts=frozenset(settings.accounts),
    )
    handlers.register(broker, group_id=settings.group_id, notifier=notifier)

    async def escalation_clock() -> None:
        while True:
            await asyncio.sleep(settings.escalation_check_seconds)
            try:
                await duty.escalate_due(notifier)
            except Exception:  # noqa: BLE001 - logged; the next tick tries again
                log.exception("escalation check failed")

    async def mongo_check() -> str | None:
        await mongo.admin.command("ping")
        return None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await notifier.store.ensure_indexes()
        keeper.start()
        await keeper.wait(timeout=settings.startup_wait_seconds)
        clock_task = asyncio.create_task(escalation_clock(), name="notifier-escalation")
        yield
        clock_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await clock_task
        await keeper.stop()
        await http.aclose()
        await mongo.close()

    app = FastAPI(title="Civic Inbox notifier", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.keeper = keeper
    app.state.notifier = notifier
    app.include_router(web.router)
    app.include_router(ops_router(keeper=keeper, registry=kafka.registry, checks={"mongodb": mongo_check}))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,metrics")
    return app
