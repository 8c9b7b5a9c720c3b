"""Facebook visitor posts (someone else posting on the Page's wall) and their comments become conversations,
and Meta ids are read whether they arrive as JSON strings or numbers (Page feed and Messenger alike)."""

import json
from pathlib import Path

import httpx
import pytest
from civic_contracts import Channel, MessageKind
from connectors.config import Settings
from connectors.platforms import meta
from support.connector_fakes import FakeStores, app_with_fakes, client_of

PAYLOADS = Path(__file__).parent / "payloads"
PAGE = "104729113"


def load(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


def test_visitor_post_is_a_conversation_of_its_own() -> None:
    [m] = meta.parse(load("meta_feed_visitor_post"))
    assert m.channel is Channel.FACEBOOK and m.kind is MessageKind.PUBLIC_COMMENT
    assert m.id == f"facebook:{PAGE}:104729113_60210" and m.platform_message_id == "104729113_60210"
    assert m.conversation_key == f"facebook:{PAGE}:104729113_60210"
    assert m.author.platform_id == "7311946044" and m.author.name == "Gwen Morgan"
    assert m.text.startswith("Third week running") and m.sent_at.timestamp() == 1763720014
    assert m.in_reply_to is None


def test_visitor_photo_post_keeps_its_photo() -> None:
    [m] = meta.parse(load("meta_feed_visitor_photo_post"))
    assert m.conversation_key == f"facebook:{PAGE}:104729113_60215"
    assert [(a.type, a.url) for a in m.attachments] == [("image", "https://scontent.example/v/t39.30808-6/flytip_heol_las.jpg")]


def test_the_pages_own_post_is_not_a_citizen_message() -> None:
    assert meta.parse(load("meta_feed_page_own_post")) == []


@pytest.mark.parametrize("fixture, key, author", [
    ("meta_feed_visitor_post_numeric_ids", f"facebook:{PAGE}:104729113_60230", "7311946066"),
    ("meta_feed_comment_numeric_ids", f"facebook:{PAGE}:104729113_55501_88009", "7311946077"),
    ("meta_messenger_numeric_ids", f"messenger:{PAGE}:2468013580", "2468013580"),
])
def test_ids_as_json_numbers_read_as_the_same_strings(fixture: str, key: str, author: str) -> None:
    assert isinstance(json.loads(load(fixture))["entry"][0]["id"], int)  # the fixture really carries numbers
    [m] = meta.parse(load(fixture))
    assert m.account_id == PAGE and m.conversation_key == key and m.author.platform_id == author


def test_numeric_and_string_ids_make_the_same_message() -> None:
    as_numbers = load("meta_messenger_numeric_ids")
    as_strings = json.dumps({"object": "page", "entry": [{"id": PAGE, "time": 1763718400000, "messaging": [{
        "sender": {"id": "2468013580"}, "recipient": {"id": PAGE}, "timestamp": 1763718399000,
        "message": {"mid": "m_NumIds456", "text": "Is the tip at Lamby Way open on Sunday?"}}]}]}).encode()
    [a], [b] = meta.parse(as_numbers), meta.parse(as_strings)
    assert a.model_dump(exclude={"raw_payload", "received_at"}) == b.model_dump(exclude={"raw_payload", "received_at"})


@pytest.fixture
async def app():
    return app_with_fakes()


async def post(app, body: bytes) -> httpx.Response:
    async with client_of(app) as client:
        return await client.post("/webhooks/meta", content=body, headers={
            "Content-Type": "application/json", meta.SIGNATURE_HEADER: meta.sign(body, "test_app_secret")})


async def test_comments_on_a_visitor_post_join_its_conversation(app) -> None:
    post_key = f"facebook:{PAGE}:104729113_60210"
    await app.state.stores.ledger.remember("facebook", PAGE, "104729113_60210", post_key)  # the post, recorded earlier
    assert (await post(app, load("meta_feed_visitor_post_comment"))).status_code == 200
    [comment] = app.state.publisher.published
    assert comment.platform_message_id == "60210_71003" and comment.conversation_key == post_key


async def test_a_post_and_its_comment_in_one_delivery_share_the_conversation(app) -> None:
    visitor = json.loads(load("meta_feed_visitor_post"))
    comment = json.loads(load("meta_feed_visitor_post_comment"))
    visitor["entry"][0]["changes"] += comment["entry"][0]["changes"]
    assert (await post(app, json.dumps(visitor).encode())).status_code == 200
    assert [m.conversation_key for m in app.state.publisher.published] == [f"facebook:{PAGE}:104729113_60210"] * 2


async def test_a_comment_on_the_pages_own_post_keeps_its_own_thread(app) -> None:
    assert (await post(app, load("meta_feed_comment_add"))).status_code == 200
    [m] = app.state.publisher.published
    assert m.conversation_key == f"facebook:{PAGE}:104729113_55501_88001"


async def test_numeric_ids_are_published_not_dead_lettered(app) -> None:
    assert (await post(app, load("meta_messenger_numeric_ids"))).status_code == 200
    assert app.state.publisher.letters == [] and len(app.state.publisher.published) == 1


async def test_a_visitor_post_is_answered_in_public_and_in_private_by_post_id() -> None:
    from datetime import UTC, datetime, timedelta

    from civic_contracts.outbound import OutboundAction, OutboundCommand
    from connectors.outbound import meta as meta_out
    from connectors.outbound.context import Context
    from sandbox.app import create_app as sandbox_app
    from sandbox.config import Settings as SandboxSettings

    now = datetime.now(UTC)
    sandbox = sandbox_app(SandboxSettings(seeded=False))
    settings = Settings(meta_app_secret="s", meta_verify_token="v", meta_page_tokens={PAGE: "page-token"},
                        meta_api_base_url="http://sandbox.test/meta/v25.0")
    key, post = f"facebook:{PAGE}:104729113_60210", "104729113_60210"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), base_url="http://sandbox.test") as client:
        ctx = Context(client=client, settings=settings, stores=FakeStores(), now=lambda: now)
        ctx.stores.ledger.last[key] = now - timedelta(hours=1)
        for action in (OutboundAction.PUBLIC_REPLY, OutboundAction.PRIVATE_REPLY):
            await meta_out.send(ctx, OutboundCommand(
                id=f"cmd-{action.value}", conversation_key=key, channel=Channel.FACEBOOK, account_id=PAGE, action=action,
                text="Thanks Gwen, the crew will come back today.", target_id=post, requested_by="t-agent",
                requested_at=now))
        calls = (await client.get("/_sandbox/sent", params={"platform": "meta"})).json()
    assert [c["path"] for c in calls] == [f"/meta/v25.0/{post}/comments", f"/meta/v25.0/{PAGE}/messages"]
    assert calls[1]["body"]["recipient"] == {"post_id": post}
