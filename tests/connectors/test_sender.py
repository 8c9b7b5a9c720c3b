"""The outbound runtime against real MongoDB-wire (FerretDB) and the sandbox stand-ins: a command carried out
once however often it is delivered, rate limits that pause and retry, closed windows refused, every command
ending in a status."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from civic_contracts import Channel
from civic_contracts.outbound import OutboundAction, OutboundCommand, SendStatus
from connectors.adapters import Stores
from connectors.adapters.outbox import REFUSED, SENT
from connectors.config import Settings
from connectors.health import HealthTracker
from connectors.outbound.context import Context
from connectors.outbound.sender import Sender
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient
from sandbox.app import create_app as sandbox_app
from sandbox.config import Settings as SandboxSettings
from support.connector_fakes import FakePublisher

pytestmark = pytest.mark.integration
PAGE = "104729113"


@pytest.fixture
async def env(infra):
    mongo = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    database = f"connectors_test_{uuid.uuid4().hex[:8]}"
    stores = Stores.create(mongo, database)
    await stores.ensure_indexes()
    settings = Settings(meta_app_secret="s", meta_verify_token="v", meta_page_tokens={PAGE: "page-token"},
                        meta_api_base_url="http://sandbox.test/meta/v25.0", default_backoff_seconds=0.3,
                        retry_scan_seconds=0.05, max_send_attempts=3)
    app = sandbox_app(SandboxSettings(seeded=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test") as client:
        ctx = Context(client=client, settings=settings, stores=stores)
        publisher, health = FakePublisher(), HealthTracker(CollectorRegistry())
        sender = Sender(ctx, publisher=publisher, health=health)
        yield sender, publisher, health, client, stores
    await mongo.drop_database(database)
    await mongo.close()


def messenger_command(text: str, psid: str, **fields) -> OutboundCommand:
    return OutboundCommand(id=fields.pop("id", str(uuid.uuid4())), conversation_key=f"messenger:{PAGE}:{psid}",
                           channel=Channel.MESSENGER, account_id=PAGE, action=OutboundAction.DIRECT_MESSAGE,
                           text=text, requested_by="agent-7", requested_at=datetime.now(UTC), **fields)


async def open_window(stores: Stores, psid: str, hours_ago: float = 1) -> None:
    await stores.ledger.conversations.update_one(
        {"_id": f"messenger:{PAGE}:{psid}"},
        {"$set": {"last_inbound_at": datetime.now(UTC) - timedelta(hours=hours_ago)}}, upsert=True)


async def sends(client: httpx.AsyncClient, text: str) -> list[dict]:
    return [s for s in (await client.get("/_sandbox/sent")).json() if (s["body"].get("message") or {}).get("text") == text]


async def test_a_command_delivered_twice_is_sent_once(env) -> None:
    sender, publisher, _, client, stores = env
    await open_window(stores, "p1")
    command = messenger_command("Your bin will be collected tomorrow.", "p1")
    await asyncio.gather(sender.handle(command), sender.handle(command))  # two deliveries at once
    await sender.handle(command)  # and a redelivery later
    assert len(await sends(client, "Your bin will be collected tomorrow.")) == 1
    [status] = publisher.statuses
    assert status.status is SendStatus.SENT and status.command_id == command.id
    assert status.platform_message_id.startswith("m_sandbox_")
    doc = await stores.outbox.get(command.id)
    assert doc["state"] == SENT and doc["status_published"] is True
    assert await stores.ledger.conversation_of("messenger", PAGE, status.platform_message_id) == command.conversation_key


async def test_rate_limit_pauses_the_account_then_the_send_is_retried(env) -> None:
    sender, publisher, health, client, stores = env
    await open_window(stores, "p2")
    await client.post("/_sandbox/faults", json={"platform": "meta", "kind": "rate_limit", "count": 1})
    first = messenger_command("Thanks for waiting.", "p2")
    await sender.handle(first)
    [waiting] = publisher.statuses
    assert waiting.status is SendStatus.WAITING and waiting.error_code == "80006" and waiting.retry_at is not None
    assert health.snapshot()[0].rate_limited_until is not None
    second = messenger_command("A second reply while paused.", "p2")
    await sender.handle(second)  # the account is paused: waits without calling the platform
    assert publisher.statuses[-1].status is SendStatus.WAITING and publisher.statuses[-1].error_code == "rate_limited"
    assert len((await client.get("/_sandbox/sent")).json()) == 0
    retries = asyncio.create_task(sender.run_retries())
    try:
        for _ in range(100):
            if {s.command_id for s in publisher.statuses if s.status is SendStatus.SENT} == {first.id, second.id}:
                break
            await asyncio.sleep(0.05)
    finally:
        retries.cancel()
    assert len(await sends(client, "Thanks for waiting.")) == 1
    assert len(await sends(client, "A second reply while paused.")) == 1
    assert [s.status for s in publisher.statuses if s.command_id == first.id] == [SendStatus.WAITING, SendStatus.SENT]
    assert health.snapshot()[0].consecutive_failures == 0


async def test_closed_messaging_window_is_refused_with_a_clear_status(env) -> None:
    sender, publisher, _, client, stores = env
    await open_window(stores, "p3", hours_ago=24 * 9)
    command = messenger_command("Are you still having trouble?", "p3")
    await sender.handle(command)
    [status] = publisher.statuses
    assert status.status is SendStatus.WAITING and status.error_code == "outside_window" and status.retry_at is None
    assert "7 days" in status.error_message
    assert (await stores.outbox.get(command.id))["state"] == REFUSED
    await sender.handle(command)  # redelivered: still nothing sent
    assert (await client.get("/_sandbox/sent")).json() == []


async def test_transient_errors_are_retried_and_expired_tokens_fail(env) -> None:
    sender, publisher, health, client, stores = env
    await open_window(stores, "p4")
    await client.post("/_sandbox/faults", json={"platform": "meta", "kind": "server_error", "count": 1})
    flaky = messenger_command("Sorry for the delay.", "p4")
    await sender.handle(flaky)
    assert publisher.statuses[-1].status is SendStatus.WAITING and publisher.statuses[-1].error_code == "2"
    retries = asyncio.create_task(sender.run_retries())
    try:
        for _ in range(100):
            if publisher.statuses[-1].status is SendStatus.SENT:
                break
            await asyncio.sleep(0.05)
    finally:
        retries.cancel()
    assert publisher.statuses[-1].status is SendStatus.SENT
    await client.post("/_sandbox/faults", json={"platform": "meta", "kind": "token_expired", "count": 1})
    expired = messenger_command("This will not go.", "p4")
    await sender.handle(expired)
    failed = publisher.statuses[-1]
    assert failed.status is SendStatus.FAILED and failed.error_code == "190/463" and "expired" in failed.error_message
    [account] = health.snapshot()
    assert account.credentials_rejected is True and account.consecutive_failures == 1


async def test_a_status_not_published_is_published_on_redelivery(env) -> None:
    sender, publisher, _, client, stores = env
    await open_window(stores, "p5")
    command = messenger_command("Kafka hiccup reply.", "p5")
    publisher.fail = True
    with pytest.raises(Exception, match="Kafka"):
        await sender.handle(command)  # sent, but the status could not be published: the consumer retries
    publisher.fail = False
    await sender.handle(command)
    assert [s.status for s in publisher.statuses] == [SendStatus.SENT]
    assert len(await sends(client, "Kafka hiccup reply.")) == 1


async def test_commands_for_accounts_served_elsewhere_are_left_alone(env) -> None:
    sender, publisher, _, client, stores = env
    sender.ctx = sender.ctx.__class__(client=sender.ctx.client, stores=sender.ctx.stores,
                                      settings=sender.ctx.settings.model_copy(update={"outbound_only_own_accounts": True}))
    other = OutboundCommand(id=str(uuid.uuid4()), conversation_key="messenger:555:p6", channel=Channel.MESSENGER,
                            account_id="555", action=OutboundAction.DIRECT_MESSAGE, text="not ours",
                            requested_by="agent-7", requested_at=datetime.now(UTC))
    await sender.handle(other)
    assert publisher.statuses == [] and await stores.outbox.get(other.id) is None
    await open_window(stores, "p6")
    await sender.handle(messenger_command("ours", "p6"))
    assert [s.status for s in publisher.statuses] == [SendStatus.SENT]
