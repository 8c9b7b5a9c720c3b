"""The whole system running in-process against real Kafka and MongoDB-wire: connectors, triage, responder
and inbox, each built by its own `create_app`, sharing one tracer provider whose spans tests can read."""

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from support.infra import Infra

META_APP_SECRET = "test_app_secret"
META_VERIFY_TOKEN = "test_verify_token"


@dataclass
class System:
    infra: Infra
    database: str
    run_id: str
    connectors: httpx.AsyncClient
    inbox: httpx.AsyncClient
    spans: InMemorySpanExporter
    apps: dict[str, FastAPI]

    async def post_meta(self, body: bytes | dict, *, signature: str | None = "valid") -> httpx.Response:
        from connectors.platforms import meta

        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "valid":
            headers[meta.SIGNATURE_HEADER] = meta.sign(raw, META_APP_SECRET)
        elif signature is not None:
            headers[meta.SIGNATURE_HEADER] = signature
        return await self.connectors.post("/webhooks/meta", content=raw, headers=headers)

    async def conversations(self, **params) -> dict:
        response = await self.inbox.get("/api/conversations", params={"page_size": 100, **params})
        response.raise_for_status()
        return response.json()

    async def wait_for_conversation(
        self, key: str, until: Callable[[dict], bool] = lambda c: True, timeout: float = 45.0, **params
    ) -> dict:
        """Polls the inbox API until the conversation `key` exists and satisfies `until`."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            for page in range(1, 50):
                body = await self.conversations(page=page, **params)
                for c in body["items"]:
                    if c["id"] == key:
                        last = c
                        if until(c):
                            return c
                if page * body["page_size"] >= body["total"]:
                    break
            await asyncio.sleep(0.25)
        raise AssertionError(f"conversation {key} not as expected within {timeout}s; last seen: {last}")


@asynccontextmanager
async def running_system(infra: Infra) -> AsyncIterator[System]:
    from connectors.config import Settings as ConnectorSettings
    from connectors.main import create_app as connectors_app
    from inbox.config import Settings as InboxSettings
    from inbox.main import create_app as inbox_app
    from responder.config import Settings as ResponderSettings
    from responder.main import create_app as responder_app
    from triage.config import Settings as TriageSettings
    from triage.main import create_app as triage_app

    run_id = uuid.uuid4().hex[:8]
    database = f"civic_test_{run_id}"
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    kafka = infra.kafka_bootstrap_servers
    apps = {
        "triage": triage_app(TriageSettings(kafka_bootstrap_servers=kafka, group_id=f"triage-{run_id}"), tracer_provider=provider),
        "responder": responder_app(
            ResponderSettings(kafka_bootstrap_servers=kafka, mongodb_uri=infra.mongodb_uri, database=database,
                              group_id=f"responder-{run_id}"),
            tracer_provider=provider,
        ),
        "connectors": connectors_app(
            ConnectorSettings(kafka_bootstrap_servers=kafka, meta_app_secret=META_APP_SECRET,
                              meta_verify_token=META_VERIFY_TOKEN),
            tracer_provider=provider,
        ),
        "inbox": inbox_app(InboxSettings(mongodb_uri=infra.mongodb_uri, database=database), tracer_provider=provider),
    }
    async with AsyncExitStack() as stack:
        for app in apps.values():
            await stack.enter_async_context(app.router.lifespan_context(app))
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[name]), base_url=f"http://{name}.test")
            )
            for name in ("connectors", "inbox")
        }
        yield System(infra, database, run_id, clients["connectors"], clients["inbox"], spans, apps)
