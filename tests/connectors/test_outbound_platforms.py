"""Each platform sender against the sandbox stand-ins (in process): the real endpoint shapes, messaging
windows, and how each platform's rate-limit and error answers are read."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from civic_contracts import Channel
from civic_contracts.outbound import OutboundAction, OutboundCommand
from connectors.config import Settings
from connectors.outbound import email, meta, twilio, webform, x, youtube
from connectors.outbound.context import Context
from connectors.outbound.errors import OutsideWindow, RateLimited, Rejected, Transient
from connectors.platforms.email import EmailHeaders
from connectors.platforms.webform import ServiceRequest
from sandbox.app import create_app as sandbox_app
from sandbox.config import Settings as SandboxSettings
from support.connector_fakes import FakeStores

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PAGE, IG, X_ACCOUNT, NUMBER, MAILBOX = "104729113", "17841400000000001", "1456000000000000001", "+447700900100", "contact@council.example.gov.uk"


@pytest.fixture
async def env():
    app = sandbox_app(SandboxSettings(seeded=False))
    settings = Settings(
        meta_app_secret="s", meta_verify_token="v", meta_page_tokens={PAGE: "page-token", IG: "ig-token"},
        meta_api_base_url="http://sandbox.test/meta/v25.0", x_user_tokens={X_ACCOUNT: "x-user"},
        x_api_base_url="http://sandbox.test/x", youtube_access_tokens={"UCcouncil": "yt"},
        youtube_api_base_url="http://sandbox.test/youtube", twilio_account_sid="AC1", twilio_auth_token="tw",
        twilio_api_base_url="http://sandbox.test/twilio", mailgun_api_key="mg", mailgun_api_base_url="http://sandbox.test/mailgun",
        default_backoff_seconds=30,
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sandbox.test") as client:
        yield Context(client=client, settings=settings, stores=FakeStores(), now=lambda: NOW), client


def command(channel: Channel, action: OutboundAction, conversation_key: str, **fields) -> OutboundCommand:
    return OutboundCommand(id=f"cmd-{channel.value}-{action.value}", conversation_key=conversation_key, channel=channel,
                           account_id=fields.pop("account_id", conversation_key.split(":")[1]), action=action,
                           text=fields.pop("text", "Thanks, we're on it."), requested_by="agent-1", requested_at=NOW, **fields)


async def sent(client: httpx.AsyncClient, platform: str) -> list[dict]:
    return (await client.get("/_sandbox/sent", params={"platform": platform})).json()


async def test_facebook_public_reply_private_reply_and_hide(env) -> None:
    ctx, client = env
    key = f"facebook:{PAGE}:{PAGE}_1_2"
    reply = await meta.send(ctx, command(Channel.FACEBOOK, OutboundAction.PUBLIC_REPLY, key, target_id=f"{PAGE}_1_2"))
    ctx.stores.ledger.last[key] = NOW - timedelta(days=2)
    private = await meta.send(ctx, command(Channel.FACEBOOK, OutboundAction.PRIVATE_REPLY, key, target_id=f"{PAGE}_1_2"))
    await meta.send(ctx, command(Channel.FACEBOOK, OutboundAction.HIDE_COMMENT, key, target_id=f"{PAGE}_1_2", text=None))
    calls = await sent(client, "meta")
    assert [c["path"] for c in calls] == [f"/meta/v25.0/{PAGE}_1_2/comments", f"/meta/v25.0/{PAGE}/messages", f"/meta/v25.0/{PAGE}_1_2"]
    assert calls[0]["body"] == {"message": "Thanks, we're on it."} and reply.platform_message_id == calls[0]["id"]
    assert calls[1]["body"]["recipient"] == {"comment_id": f"{PAGE}_1_2"} and private.platform_message_id.startswith("m_")
    assert calls[2]["body"] == {"is_hidden": True}


async def test_private_reply_after_seven_days_is_refused(env) -> None:
    ctx, client = env
    key = f"facebook:{PAGE}:{PAGE}_1_3"
    ctx.stores.ledger.last[key] = NOW - timedelta(days=8)
    with pytest.raises(OutsideWindow, match="7 days"):
        await meta.send(ctx, command(Channel.FACEBOOK, OutboundAction.PRIVATE_REPLY, key, target_id=f"{PAGE}_1_3"))
    assert await sent(client, "meta") == []


@pytest.mark.parametrize("age, human, expected", [
    (timedelta(hours=2), True, ("RESPONSE", None)),
    (timedelta(days=3), True, ("MESSAGE_TAG", "HUMAN_AGENT")),
    (timedelta(days=3), False, None),
    (timedelta(days=8), True, None),
    (None, True, None),
])
async def test_messenger_window(env, age, human, expected) -> None:
    ctx, client = env
    key = f"messenger:{PAGE}:2468"
    if age is not None:
        ctx.stores.ledger.last[key] = NOW - age
    cmd = command(Channel.MESSENGER, OutboundAction.DIRECT_MESSAGE, key, human_agent=human)
    if expected is None:
        with pytest.raises(OutsideWindow):
            await meta.send(ctx, cmd)
        assert await sent(client, "meta") == []
        return
    await meta.send(ctx, cmd)
    [call] = await sent(client, "meta")
    assert (call["body"]["messaging_type"], call["body"].get("tag")) == expected
    assert call["body"]["recipient"] == {"id": "2468"}


async def test_instagram_reply_dm_and_hide_use_instagram_endpoints(env) -> None:
    ctx, client = env
    await meta.send(ctx, command(Channel.INSTAGRAM, OutboundAction.PUBLIC_REPLY, f"instagram:{IG}:178", target_id="179"))
    ctx.stores.ledger.last[f"instagram:{IG}:dm:555"] = NOW - timedelta(hours=1)
    await meta.send(ctx, command(Channel.INSTAGRAM, OutboundAction.DIRECT_MESSAGE, f"instagram:{IG}:dm:555"))
    await meta.send(ctx, command(Channel.INSTAGRAM, OutboundAction.HIDE_COMMENT, f"instagram:{IG}:178", target_id="179"))
    calls = await sent(client, "meta")
    assert [c["path"] for c in calls] == ["/meta/v25.0/179/replies", f"/meta/v25.0/{IG}/messages", "/meta/v25.0/179"]
    assert calls[1]["body"]["recipient"] == {"id": "555"} and calls[2]["body"] == {"hide": True}


@pytest.mark.parametrize("kind, error", [("rate_limit", RateLimited), ("token_expired", Rejected), ("server_error", Transient)])
async def test_meta_errors_are_classified(env, kind, error) -> None:
    ctx, client = env
    await client.post("/_sandbox/faults", json={"platform": "meta", "kind": kind, "retry_after_seconds": 300})
    with pytest.raises(error) as raised:
        await meta.send(ctx, command(Channel.FACEBOOK, OutboundAction.PUBLIC_REPLY, f"facebook:{PAGE}:c", target_id="c"))
    if kind == "rate_limit":
        assert raised.value.code == "80006" and raised.value.until == NOW + timedelta(minutes=5)
    if kind == "token_expired":
        assert raised.value.credentials and raised.value.code == "190/463"


async def test_meta_without_token_for_the_account_is_a_credentials_failure(env) -> None:
    ctx, _ = env
    with pytest.raises(Rejected) as raised:
        await meta.send(ctx, command(Channel.FACEBOOK, OutboundAction.PUBLIC_REPLY, "facebook:999:c", target_id="c"))
    assert raised.value.credentials and raised.value.code == "no_credentials"


async def test_x_reply_dm_hide_and_rate_limit_reset(env) -> None:
    ctx, client = env
    reply = await x.send(ctx, command(Channel.X, OutboundAction.PUBLIC_REPLY, f"x:{X_ACCOUNT}:190", target_id="191"))
    dm = await x.send(ctx, command(Channel.X, OutboundAction.DIRECT_MESSAGE, f"x:{X_ACCOUNT}:dm:555"))
    await x.send(ctx, command(Channel.X, OutboundAction.HIDE_COMMENT, f"x:{X_ACCOUNT}:190", target_id="191", text=None))
    calls = await sent(client, "x")
    assert calls[0]["body"] == {"text": "Thanks, we're on it.", "reply": {"in_reply_to_tweet_id": "191"}}
    assert calls[0]["id"] == reply.platform_message_id and calls[1]["path"] == "/x/2/dm_conversations/with/555/messages"
    assert dm.platform_message_id == calls[1]["id"] and calls[2]["body"] == {"hidden": True}
    await client.post("/_sandbox/faults", json={"platform": "x", "kind": "rate_limit", "retry_after_seconds": 600})
    with pytest.raises(RateLimited) as raised:
        await x.send(ctx, command(Channel.X, OutboundAction.PUBLIC_REPLY, f"x:{X_ACCOUNT}:190"))
    assert raised.value.until > datetime.now(UTC) + timedelta(seconds=500)  # from x-rate-limit-reset


async def test_youtube_reply_goes_to_the_thread_and_quota_pauses_until_pacific_midnight(env) -> None:
    ctx, client = env
    reply = await youtube.send(ctx, command(Channel.YOUTUBE, OutboundAction.PUBLIC_REPLY, "youtube:UCcouncil:UgzT",
                                            target_id="UgzT.r1"))
    [call] = await sent(client, "youtube")
    assert call["body"] == {"snippet": {"parentId": "UgzT", "textOriginal": "Thanks, we're on it."}}
    assert reply.platform_message_id == call["id"]
    await client.post("/_sandbox/faults", json={"platform": "youtube", "kind": "quota"})
    with pytest.raises(RateLimited) as raised:
        await youtube.send(ctx, command(Channel.YOUTUBE, OutboundAction.PUBLIC_REPLY, "youtube:UCcouncil:UgzT"))
    assert raised.value.code == "quotaExceeded" and raised.value.until == datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
    await youtube.send(ctx, command(Channel.YOUTUBE, OutboundAction.HIDE_COMMENT, "youtube:UCcouncil:UgzT", target_id="UgzT.r9"))
    assert (await sent(client, "youtube"))[-1]["body"] == {"id": "UgzT.r9", "moderationStatus": "heldForReview"}


async def test_sms_and_whatsapp_window_and_template(env) -> None:
    ctx, client = env
    sms = await twilio.send(ctx, command(Channel.SMS, OutboundAction.DIRECT_MESSAGE, f"sms:{NUMBER}:+447700900555"))
    key = f"whatsapp:{NUMBER}:+447700900777"
    with pytest.raises(OutsideWindow, match="template"):
        await twilio.send(ctx, command(Channel.WHATSAPP, OutboundAction.DIRECT_MESSAGE, key))
    await twilio.send(ctx, command(Channel.WHATSAPP, OutboundAction.DIRECT_MESSAGE, key, template="HXb5b62575e6e4ff6129ad7c8efe1f983e"))
    ctx.stores.ledger.last[key] = NOW - timedelta(hours=3)
    await twilio.send(ctx, command(Channel.WHATSAPP, OutboundAction.DIRECT_MESSAGE, key))
    calls = await sent(client, "twilio")
    assert calls[0]["path"] == "/twilio/2010-04-01/Accounts/AC1/Messages.json" and calls[0]["id"] == sms.platform_message_id
    assert calls[0]["body"] == {"To": "+447700900555", "From": NUMBER, "Body": "Thanks, we're on it."}
    assert calls[1]["body"] == {"To": "whatsapp:+447700900777", "From": f"whatsapp:{NUMBER}", "ContentSid": "HXb5b62575e6e4ff6129ad7c8efe1f983e"}
    assert calls[2]["body"]["Body"] == "Thanks, we're on it."
    await client.post("/_sandbox/faults", json={"platform": "twilio", "kind": "rate_limit"})
    with pytest.raises(RateLimited) as raised:
        await twilio.send(ctx, command(Channel.SMS, OutboundAction.DIRECT_MESSAGE, f"sms:{NUMBER}:+447700900555"))
    assert raised.value.code == "20429" and raised.value.until == NOW + timedelta(seconds=30)


async def test_email_reply_is_threaded_from_the_stored_headers(env) -> None:
    ctx, client = env
    await ctx.stores.emails.save(EmailHeaders("b@x", ("a@x",), ("a@x",), "Re: Mould", "jo@example.org", MAILBOX))
    result = await email.send(ctx, command(Channel.EMAIL, OutboundAction.DIRECT_MESSAGE, f"email:{MAILBOX}:a@x",
                                           account_id=MAILBOX, target_id="b@x"))
    [call] = await sent(client, "mailgun")
    assert call["path"] == "/mailgun/v3/council.example.gov.uk/messages"
    assert call["body"]["to"] == "jo@example.org" and call["body"]["from"] == MAILBOX
    assert call["body"]["h:In-Reply-To"] == "<b@x>" and call["body"]["h:References"] == "<a@x> <b@x>"
    assert call["body"]["subject"] == "Re: Mould" and result.platform_message_id == call["id"]


async def test_webform_reply_becomes_the_requests_status_notes(env) -> None:
    ctx, _ = env
    await ctx.stores.requests.save(ServiceRequest("WF-1", "waste", "Waste", "Bins", NOW, address_string="Mill Lane"))
    await webform.send(ctx, command(Channel.WEBFORM, OutboundAction.DIRECT_MESSAGE, "webform:civic-inbox:WF-1"))
    assert ctx.stores.requests.saved["WF-1"]["status_notes"] == "Thanks, we're on it."
    with pytest.raises(Rejected, match="unknown_request"):
        await webform.send(ctx, command(Channel.WEBFORM, OutboundAction.DIRECT_MESSAGE, "webform:civic-inbox:WF-404"))


async def test_unsupported_actions_are_rejected(env) -> None:
    ctx, _ = env
    with pytest.raises(Rejected, match="unsupported_action"):
        await twilio.send(ctx, command(Channel.SMS, OutboundAction.HIDE_COMMENT, f"sms:{NUMBER}:+44"))
    with pytest.raises(Rejected, match="unsupported_action"):
        await meta.send(ctx, command(Channel.MESSENGER, OutboundAction.PUBLIC_REPLY, f"messenger:{PAGE}:1"))


def test_serves_only_the_accounts_it_holds_credentials_for(env) -> None:
    from connectors.outbound.context import serves

    ctx, _ = env
    assert serves(ctx.settings, command(Channel.MESSENGER, OutboundAction.DIRECT_MESSAGE, f"messenger:{PAGE}:1"))
    assert not serves(ctx.settings, command(Channel.MESSENGER, OutboundAction.DIRECT_MESSAGE, "messenger:999:1"))
    assert serves(ctx.settings, command(Channel.X, OutboundAction.PUBLIC_REPLY, f"x:{X_ACCOUNT}:1"))
    assert serves(ctx.settings, command(Channel.SMS, OutboundAction.DIRECT_MESSAGE, f"sms:{NUMBER}:+44"))  # any number
    limited = ctx.settings.model_copy(update={"twilio_numbers": ["+441"], "email_mailboxes": ["A@x.gov.uk"]})
    assert not serves(limited, command(Channel.SMS, OutboundAction.DIRECT_MESSAGE, f"sms:{NUMBER}:+44"))
    assert serves(limited, command(Channel.EMAIL, OutboundAction.DIRECT_MESSAGE, "email:a@x.gov.uk:r", account_id="a@x.gov.uk"))
    assert serves(ctx.settings, command(Channel.WEBFORM, OutboundAction.DIRECT_MESSAGE, "webform:civic-inbox:WF-1"))
