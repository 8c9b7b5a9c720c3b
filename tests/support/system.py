"""The whole system running in-process against real Kafka and MongoDB-wire: connectors, triage, responder
and inbox, each built by its own `create_app`, sharing one tracer provider whose spans tests can read."""

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import astuple, dataclass, field
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from support.channels import SANDBOX, connector_settings, notifier_settings, sandbox_settings, session_accounts
from support.infra import Infra

META_APP_SECRET = "test_app_secret"
META_VERIFY_TOKEN = "test_verify_token"
# Staff accounts every test session creates (passwords are made fresh per session): user id -> (role, departments).
STAFF = {
    "t-admin": ("admin", ["*"]),
    "t-admin2": ("admin", ["*"]),
    "t-super": ("supervisor", ["*"]),
    "t-super2": ("supervisor", ["*"]),
    "t-agent": ("agent", ["*"]),
    "t-agent2": ("agent", ["*"]),
    "t-highways": ("department_staff", ["highways"]),
    "t-waste": ("department_staff", ["waste"]),
    "t-parks1": ("department_staff", ["parks_trees"]),
    "t-parks2": ("department_staff", ["parks_trees"]),
}


class TestClock:
    """Responder's clock in tests: real time unless a test sets it."""

    __test__ = False

    def __init__(self) -> None:
        self.frozen: datetime | None = None

    def __call__(self) -> datetime:
        return self.frozen or datetime.now(UTC)

    def set(self, when: datetime | None) -> None:
        self.frozen = when


def responder_test_policy():
    """The shipped policy, made deterministic for tests: no approval just for being out of hours (tests run at
    any hour; that rule has its own tests), and automatic assignment only in parks_trees (round robin)."""
    from responder.config import load_policy
    from responder.domain.policy import Assignment

    policy = load_policy()
    return policy.model_copy(update={
        "approval": policy.approval.model_copy(update={"outside_business_hours": False}),
        "assignment": Assignment(default="manual", departments={"parks_trees": "round_robin"}, default_capacity=10),
    })


@dataclass
class System:
    infra: Infra
    database: str
    run_id: str
    connectors: httpx.AsyncClient
    inbox: httpx.AsyncClient
    spans: InMemorySpanExporter
    apps: dict[str, FastAPI]
    clock: TestClock = field(default_factory=TestClock)
    passwords: dict[str, str] = field(default_factory=dict)
    clients: list[httpx.AsyncClient] = field(default_factory=list)
    sandbox: httpx.AsyncClient | None = None  # the platforms' stand-ins the connectors call (support/channels.py)
    notifier: httpx.AsyncClient | None = None  # duty alerts: acknowledgement pages, SMS replies, open alerts

    async def sign_in(self, user_id: str) -> httpx.AsyncClient:
        """A client of the inbox API signed in as `user_id` (one of `STAFF`), with its own session cookie."""
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.apps["inbox"]), base_url="http://inbox.test")
        self.clients.append(client)
        response = await client.post("/api/auth/login", json={"username": user_id, "password": self.passwords[user_id]})
        response.raise_for_status()
        return client

    async def run_responder_jobs(self) -> dict[str, int]:
        """One run of responder's periodic job (SLA, handovers, assignment) at `clock`'s time."""
        from responder.service import jobs

        return await jobs.tick(self.apps["responder"].state.responder)

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


async def skip_history(bootstrap: str, group_ids: list[str]) -> None:
    """Commit each of this session's new consumer groups at the current end of every topic, so the session's
    services read only what is published after it starts. Without it every session replays the whole shared
    history, which grows with every session (each session's triage re-triages every message)."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
    from civic_contracts import TOPICS

    probe, metadata = AIOKafkaConsumer(bootstrap_servers=bootstrap), AIOKafkaProducer(bootstrap_servers=bootstrap)
    await probe.start()
    await metadata.start()
    try:
        existing = await probe.topics()
        partitions = [TopicPartition(t, p) for t in TOPICS if t in existing for p in await metadata.partitions_for(t)]
        ends = await probe.end_offsets(partitions) if partitions else {}
    finally:
        await metadata.stop()
        await probe.stop()
    for group in group_ids:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign(partitions)
            if ends:
                await consumer.commit(ends)
        finally:
            await consumer.stop()


@asynccontextmanager
async def running_system(infra: Infra) -> AsyncIterator[System]:
    from connectors.config import Settings as ConnectorSettings
    from connectors.main import create_app as connectors_app
    from inbox.config import Settings as InboxSettings
    from inbox.main import create_app as inbox_app
    from notifier.main import create_app as notifier_app
    from responder.config import Settings as ResponderSettings
    from responder.main import create_app as responder_app
    from sandbox.app import create_app as sandbox_app
    from triage.config import Settings as TriageSettings
    from triage.main import create_app as triage_app

    run_id = uuid.uuid4().hex[:8]
    database = f"civic_test_{run_id}"
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    kafka = infra.kafka_bootstrap_servers
    clock = TestClock()
    from civic_contracts import TOPICS

    await skip_history(kafka, [f"triage-{run_id}", *(f"triage-{run_id}.{t}" for t in TOPICS),
                               *(f"responder-{run_id}.{t}" for t in TOPICS),
                               *(f"notifier-{run_id}.{t}" for t in TOPICS),
                               f"connectors-{run_id}-ledger", f"connectors-{run_id}-outbound",
                               f"connectors-{run_id}-open311", f"connectors-{run_id}-records"])
    sandbox = sandbox_app(sandbox_settings(run_id))
    apps = {
        "triage": triage_app(
            TriageSettings(kafka_bootstrap_servers=kafka, group_id=f"triage-{run_id}", mongodb_uri=infra.mongodb_uri,
                           database=database, surge_threshold=3),
            tracer_provider=provider,
        ),
        "responder": responder_app(
            ResponderSettings(kafka_bootstrap_servers=kafka, mongodb_uri=infra.mongodb_uri, database=database,
                              group_id=f"responder-{run_id}", jobs_enabled=False,
                              # This session's accounts (and the fixed Page of the older tests): other sessions'
                              # conversations and commands on the shared Kafka are not ours to act on.
                              accounts=[*astuple(session_accounts(run_id)), "104729113"]),
            tracer_provider=provider, clock=clock, policy=responder_test_policy(),
        ),
        "connectors": connectors_app(
            ConnectorSettings(**connector_settings(kafka=kafka, mongodb_uri=infra.mongodb_uri, database=database,
                                                   run_id=run_id)),
            tracer_provider=provider, platform_transport=httpx.ASGITransport(app=sandbox),
        ),
        "notifier": notifier_app(notifier_settings(kafka=kafka, mongodb_uri=infra.mongodb_uri, database=database,
                                                   run_id=run_id),
                                 tracer_provider=provider, platform_transport=httpx.ASGITransport(app=sandbox)),
        "inbox": inbox_app(InboxSettings(mongodb_uri=infra.mongodb_uri, database=database, kafka_bootstrap_servers=kafka),
                           tracer_provider=provider),
    }
    async with AsyncExitStack() as stack:
        for app in apps.values():
            await stack.enter_async_context(app.router.lifespan_context(app))
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[name]), base_url=f"http://{name}.test")
            )
            for name in ("connectors", "inbox", "notifier")
        }
        passwords = {user: uuid.uuid4().hex for user in STAFF}
        for user, (role, departments) in STAFF.items():
            await apps["inbox"].state.users.create_user(user_id=user, name=user.replace("t-", "Test ").title(),
                                                        role=role, password=passwords[user], departments=departments)
        # The default client reads as an admin, so every existing test sees every conversation.
        signed_in = await clients["inbox"].post("/api/auth/login", json={"username": "t-admin", "password": passwords["t-admin"]})
        signed_in.raise_for_status()
        sandbox_client = await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), base_url=SANDBOX))
        system = System(infra, database, run_id, clients["connectors"], clients["inbox"], spans, apps, clock=clock,
                        passwords=passwords, sandbox=sandbox_client, notifier=clients["notifier"])
        try:
            yield system
        finally:
            for client in system.clients:
                await client.aclose()
