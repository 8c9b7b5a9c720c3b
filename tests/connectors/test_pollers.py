"""Pollers against real MongoDB-wire (FerretDB) and the sandbox: cursors survive a restart, and a restart
(even one in the middle of a poll) loses nothing and publishes nothing twice."""

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from connectors.adapters import Stores
from connectors.config import Settings
from connectors.health import HealthTracker
from connectors.outbound.context import Context
from connectors.outbound.errors import RateLimited
from connectors.polling.x_mentions import XMentionsPoller
from connectors.polling.youtube_comments import YouTubeCommentsPoller
from connectors.publishing import PublishFailed
from prometheus_client import CollectorRegistry
from pymongo import AsyncMongoClient
from sandbox.app import create_app as sandbox_app
from sandbox.config import Settings as SandboxSettings
from support.connector_fakes import FakePublisher

pytestmark = pytest.mark.integration
ACCOUNT, CHANNEL = "1456000000000000001", "UCcouncil"


class CrashingPublisher(FakePublisher):
    """Publishes `good` batches, then fails like Kafka going away."""

    def __init__(self, good: int) -> None:
        super().__init__()
        self.good = good

    async def messages(self, messages) -> None:
        if self.good == 0:
            raise PublishFailed("Kafka went away (test)")
        self.good -= 1
        await super().messages(messages)


@pytest.fixture
async def env(infra):
    mongo = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    database = f"connectors_test_{uuid.uuid4().hex[:8]}"
    settings = Settings(meta_app_secret="s", meta_verify_token="v", x_bearer_token="app-bearer", youtube_api_key="yt-key",
                        x_api_base_url="http://sandbox.test/x", youtube_api_base_url="http://sandbox.test/youtube")
    app = sandbox_app(SandboxSettings(seeded=False, x_account_id=ACCOUNT, youtube_channel_id=CHANNEL))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test") as client:
        yield Context(client=client, settings=settings, stores=Stores.create(mongo, database)), client
    await mongo.drop_database(database)
    await mongo.close()


def x_poller(ctx: Context, publisher: FakePublisher) -> XMentionsPoller:
    poller = XMentionsPoller(ACCOUNT, ctx=ctx, publisher=publisher, health=HealthTracker(CollectorRegistry()))
    poller.page_size, poller.batch_size = 5, 4  # several pages and several batches
    return poller


async def mention(client: httpx.AsyncClient, text: str, minutes_ago: int, **fields) -> dict:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    from sandbox import seed

    return seed.add_mention(client._transport.app.state.sandbox, ACCOUNT, text=text, author_name=fields.pop("author", "Rhys Morgan"),
                            at=at, **fields)


async def test_x_poller_restart_loses_and_doubles_nothing(env) -> None:
    ctx, client = env
    posts = [await mention(client, f"@CivicCouncil report {i}", 100 - i) for i in range(12)]
    await mention(client, "our own post", 5, author_id=ACCOUNT)
    first = FakePublisher()
    assert await x_poller(ctx, first).poll_once() == 12
    assert [m.platform_message_id for m in first.published] == [p["id"] for p in posts]  # oldest first, across pages
    later = [await mention(client, f"@CivicCouncil follow-up {i}", 3 - i) for i in range(3)]
    restarted = FakePublisher()
    assert await x_poller(ctx, restarted).poll_once() == 3  # a new process: the cursor came from MongoDB
    assert [m.platform_message_id for m in restarted.published] == [p["id"] for p in later]
    assert await x_poller(ctx, FakePublisher()).poll_once() == 0


async def test_x_poller_crash_mid_poll_resumes_after_the_last_published_batch(env) -> None:
    ctx, client = env
    posts = [await mention(client, f"@CivicCouncil problem {i}", 60 - i) for i in range(10)]
    crashing = CrashingPublisher(good=1)
    with pytest.raises(PublishFailed):
        await x_poller(ctx, crashing).poll_once()
    resumed = FakePublisher()
    await x_poller(ctx, resumed).poll_once()
    ids = [m.platform_message_id for m in crashing.published + resumed.published]
    assert ids == [p["id"] for p in posts]  # every post once, in order


async def test_x_poller_rate_limit_is_reported_and_the_cursor_kept(env) -> None:
    ctx, client = env
    await mention(client, "@CivicCouncil hello", 10)
    await client.post("/_sandbox/faults", json={"platform": "x", "kind": "rate_limit", "retry_after_seconds": 60})
    with pytest.raises(RateLimited):
        await x_poller(ctx, FakePublisher()).poll_once()
    assert await ctx.stores.cursors.get(f"x-mentions:{ACCOUNT}") == {}
    assert await x_poller(ctx, FakePublisher()).poll_once() == 1


def yt_poller(ctx: Context, publisher: FakePublisher) -> YouTubeCommentsPoller:
    poller = YouTubeCommentsPoller(CHANNEL, ctx=ctx, publisher=publisher, health=HealthTracker(CollectorRegistry()))
    poller.page_size, poller.batch_size = 3, 2
    return poller


async def test_youtube_poller_stops_at_its_checkpoint_and_survives_restarts(env) -> None:
    ctx, client = env
    state = client._transport.app.state.sandbox
    from sandbox import seed

    now = datetime.now(UTC).replace(microsecond=0)
    tops = [seed.add_comment(state, CHANNEL, text=f"comment {i}", author="Chloe Evans", at=now - timedelta(hours=10 - i))
            for i in range(7)]
    seed.add_comment(state, CHANNEL, text="our answer", author="Council", at=now - timedelta(hours=2), reply_to=tops[0]["id"])
    state.threads[CHANNEL][-1]["replies"]["comments"][-1]["snippet"]["authorChannelId"]["value"] = CHANNEL
    first = FakePublisher()
    assert await yt_poller(ctx, first).poll_once() == 7
    assert [m.platform_message_id for m in first.published] == [c["id"] for c in tops]
    # Later: a reply in an old thread and two new comments published in the same second.
    reply = seed.add_comment(state, CHANNEL, text="still waiting", author="Chloe Evans", at=now, reply_to=tops[1]["id"])
    same_second = [seed.add_comment(state, CHANNEL, text=f"same second {i}", author="Tom Okafor", at=now) for i in range(2)]
    crashing = CrashingPublisher(good=1)
    with pytest.raises(PublishFailed):
        await yt_poller(ctx, crashing).poll_once()
    resumed = FakePublisher()
    await yt_poller(ctx, resumed).poll_once()
    ids = sorted(m.platform_message_id for m in crashing.published + resumed.published)
    assert ids == sorted([reply["id"], *(c["id"] for c in same_second)])  # each once
    assert [m.conversation_key for m in crashing.published + resumed.published if m.platform_message_id == reply["id"]] == \
        [f"youtube:{CHANNEL}:{tops[1]['id']}"]
    assert await yt_poller(ctx, FakePublisher()).poll_once() == 0
