"""Id injection through outbound commands: ids that would change the platform URL (or the request) are refused
with `invalid_id`, the command ends failed with the reason, and nothing reaches the platform (the sandbox)."""

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from civic_contracts import Channel
from civic_contracts.outbound import OutboundAction, OutboundCommand, SendStatus
from connectors.adapters import Stores
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
PAGE, X_ACCOUNT, CHANNEL_ID, NUMBER, MAILBOX = ("104729113", "1456000000000000001", "UCcouncil", "+447700900100",
                                                "contact@council.example.gov.uk")
A = OutboundAction
INJECTIONS = [  # channel, action, conversation key, extra fields
    (Channel.X, A.DIRECT_MESSAGE, f"x:{X_ACCOUNT}:dm:../../tweets?x=", {}),  # the finding: a DM become a tweet
    (Channel.X, A.PUBLIC_REPLY, f"x:{X_ACCOUNT}:190", {"target_id": "190/../../../2/users/me"}),
    (Channel.X, A.HIDE_COMMENT, f"x:{X_ACCOUNT}:190", {"target_id": "191/hidden?x=#"}),
    (Channel.X, A.DIRECT_MESSAGE, f"x:{X_ACCOUNT}:dm:98765432", {"recipient_id": "98765432/messages?"}),
    (Channel.FACEBOOK, A.PUBLIC_REPLY, f"facebook:{PAGE}:1_2", {"target_id": f"../{PAGE}/feed"}),
    (Channel.FACEBOOK, A.HIDE_COMMENT, f"facebook:{PAGE}:1_2", {"target_id": "1_2?is_hidden=false&x="}),
    (Channel.INSTAGRAM, A.PUBLIC_REPLY, f"instagram:{PAGE}:179", {"target_id": "179/../../me/media"}),
    (Channel.MESSENGER, A.DIRECT_MESSAGE, f"messenger:{PAGE}:psid%2F..", {}),
    (Channel.FACEBOOK, A.PUBLIC_REPLY, "facebook:../me:1_2", {"account_id": "../me", "target_id": "1_2"}),
    (Channel.YOUTUBE, A.PUBLIC_REPLY, f"youtube:{CHANNEL_ID}:../../channels?part=id", {}),
    (Channel.YOUTUBE, A.HIDE_COMMENT, f"youtube:{CHANNEL_ID}:Ugz", {"target_id": "Ugz&banAuthor=true"}),
    (Channel.SMS, A.DIRECT_MESSAGE, f"sms:{NUMBER}:+44 7700/../../Calls", {}),
    (Channel.WHATSAPP, A.DIRECT_MESSAGE, f"whatsapp:{NUMBER}:whatsapp:+447700900777&To=+1", {}),
    (Channel.EMAIL, A.DIRECT_MESSAGE, "email:contact@evil.example/v3/x?:r",
     {"account_id": "contact@evil.example/v3/x?", "recipient_id": "a@example.com"}),
    (Channel.EMAIL, A.DIRECT_MESSAGE, f"email:{MAILBOX}:r", {"recipient_id": "victim@example.com\r\nBcc: all@example.com"}),
]


class Recording(httpx.AsyncBaseTransport):
    """The sandbox, with a record of every request that reached it."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def env(infra):
    mongo = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    database = f"security_ids_{uuid.uuid4().hex[:8]}"
    stores = Stores.create(mongo, database)
    await stores.ensure_indexes()
    settings = Settings(
        meta_app_secret="s", meta_verify_token="v", meta_page_tokens={PAGE: "t", "../me": "t"},
        meta_api_base_url="http://sandbox.test/meta/v25.0", x_user_tokens={X_ACCOUNT: "t"},
        x_api_base_url="http://sandbox.test/x", youtube_access_tokens={CHANNEL_ID: "t"},
        youtube_api_base_url="http://sandbox.test/youtube", twilio_account_sid="AC00000000000000000000000000000001",
        twilio_auth_token="t", twilio_api_base_url="http://sandbox.test/twilio", mailgun_api_key="k",
        mailgun_api_base_url="http://sandbox.test/mailgun", default_backoff_seconds=0.3)
    transport = Recording(sandbox_app(SandboxSettings(seeded=False)))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
        publisher = FakePublisher()
        sender = Sender(Context(client=client, settings=settings, stores=stores), publisher=publisher,
                        health=HealthTracker(CollectorRegistry()))
        yield sender, publisher, transport
    await mongo.drop_database(database)
    await mongo.close()


def command(channel: Channel, action: OutboundAction, key: str, **fields) -> OutboundCommand:
    return OutboundCommand(id=f"cmd-{uuid.uuid4().hex}", conversation_key=key, channel=channel,
                           account_id=fields.pop("account_id", key.split(":")[1]), action=action,
                           text="Private: your case notes", requested_by="t-agent", requested_at=datetime.now(UTC),
                           **fields)


async def test_injected_ids_fail_with_a_reason_and_nothing_is_sent(env) -> None:
    sender, publisher, transport = env
    for channel, action, key, fields in INJECTIONS:
        await sender.handle(command(channel, action, key, **fields))
    assert transport.requests == []  # nothing reached any platform
    assert len(publisher.statuses) == len(INJECTIONS)
    for status, (channel, _, key, _) in zip(publisher.statuses, INJECTIONS, strict=True):
        assert status.status is SendStatus.FAILED and status.error_code == "invalid_id", (channel, key, status)
        assert "nothing was sent" in status.error_message


async def test_well_formed_ids_still_reach_the_platform(env) -> None:
    sender, publisher, transport = env
    await sender.handle(command(Channel.X, A.PUBLIC_REPLY, f"x:{X_ACCOUNT}:190", target_id="191"))
    await sender.handle(command(Channel.FACEBOOK, A.PUBLIC_REPLY, f"facebook:{PAGE}:{PAGE}_1_2"))
    assert [s.status for s in publisher.statuses] == [SendStatus.SENT, SendStatus.SENT]
    assert [r.url.path for r in transport.requests] == ["/x/2/tweets", f"/meta/v25.0/{PAGE}_1_2/comments"]
