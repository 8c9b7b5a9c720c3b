"""Replies out through real Kafka, the connectors' outbound consumer and FerretDB, to the sandbox stand-ins:
a command delivered twice is sent once, windows are enforced, every command ends in a `ReplyStatus` on
`reply.status.v1`, replies thread back, and channel health is published."""

import asyncio
import time
import uuid
from datetime import UTC, datetime

import pytest
from civic_contracts import Channel
from civic_contracts.outbound import OutboundAction, OutboundCommand
from civic_contracts.topics import CHANNEL_HEALTH, OUTBOUND, REPLY_STATUS
from support.channels import post_email, post_open311, post_x, session_accounts
from support.kafka import find_records, produce_raw
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def command(channel: Channel, key: str, text: str | None, action=OutboundAction.DIRECT_MESSAGE, **fields) -> OutboundCommand:
    return OutboundCommand(id=f"cmd-{uuid.uuid4().hex}", conversation_key=key, channel=channel,
                           account_id=fields.pop("account_id", key.split(":")[1]), action=action, text=text,
                           requested_by="t-agent", requested_at=datetime.now(UTC), **fields)


@pytest.fixture
def accounts(system: System):
    return session_accounts(system.run_id)


async def deliver(system: System, cmd: OutboundCommand, times: int = 1) -> None:
    for _ in range(times):
        await produce_raw(system.infra.kafka_bootstrap_servers, OUTBOUND[cmd.channel].name,
                          cmd.model_dump_json().encode(), key=cmd.conversation_key.encode())


async def status_of(system: System, cmd: OutboundCommand, status: str = "sent") -> dict:
    [found] = await find_records(system.infra.kafka_bootstrap_servers, REPLY_STATUS.name,
                                 lambda v: v.get("command_id") == cmd.id and v.get("status") == status, timeout=45)
    return found


async def sandbox_sent(system: System, platform: str, match) -> list[dict]:
    return [s for s in (await system.sandbox.get("/_sandbox/sent", params={"platform": platform})).json() if match(s)]


async def until_window_known(system: System, key: str) -> None:
    ledger = system.apps["connectors"].state.stores.ledger
    for _ in range(200):
        if await ledger.last_inbound(key):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the connectors never recorded an inbound message for {key}")


async def test_messenger_reply_delivered_twice_is_sent_once(system: System, accounts) -> None:
    page = accounts.page
    psid = uuid.uuid4().hex[:12]
    key = f"messenger:{page}:{psid}"
    inbound = {"object": "page", "entry": [{"id": page, "time": int(time.time() * 1000), "messaging": [{
        "sender": {"id": psid}, "recipient": {"id": page}, "timestamp": int(time.time() * 1000),
        "message": {"mid": f"m_{psid}", "text": "Is the tip open on Sunday?"}}]}]}
    assert (await system.post_meta(inbound)).status_code == 200
    await until_window_known(system, key)
    text = f"Yes, 9am to 4pm. ({psid})"
    reply = command(Channel.MESSENGER, key, text)
    await deliver(system, reply, times=2)
    sentinel = command(Channel.MESSENGER, key, f"Anything else? ({psid})")
    await deliver(system, sentinel)  # same conversation, same partition: handled after both deliveries
    sent = await status_of(system, reply)
    await status_of(system, sentinel)
    calls = await sandbox_sent(system, "meta", lambda s: isinstance(s["body"].get("message"), dict)
                               and s["body"]["message"].get("text") == text)
    assert len(calls) == 1
    assert calls[0]["body"]["recipient"] == {"id": psid} and calls[0]["body"]["messaging_type"] == "RESPONSE"
    assert sent["platform_message_id"] == calls[0]["id"] and sent["channel"] == "messenger"
    health = {(h["channel"], h["account_id"]): h for h in (await system.connectors.get("http://connectors.test:9081/api/channel-health")).json()}
    assert health[("messenger", page)]["last_success_at"] is not None
    published = await find_records(system.infra.kafka_bootstrap_servers, CHANNEL_HEALTH.name,
                                   lambda v: v.get("channel") == "messenger" and v.get("last_success_at"), timeout=20)
    assert published


async def test_whatsapp_outside_its_window_is_refused_with_a_status(system: System, accounts) -> None:
    number = accounts.number
    citizen = f"+4477009{uuid.uuid4().int % 100000:05d}"
    refused = command(Channel.WHATSAPP, f"whatsapp:{number}:{citizen}", "We have booked your collection.")
    await deliver(system, refused)
    status = await status_of(system, refused, "waiting")
    assert status["error_code"] == "outside_window" and "template" in status["error_message"] and status["retry_at"] is None
    assert await sandbox_sent(system, "twilio", lambda s: s["body"].get("To") == f"whatsapp:{citizen}") == []


async def test_email_reply_is_threaded_and_the_answer_comes_back_to_the_conversation(system: System, accounts) -> None:
    mailbox = accounts.mailbox
    root = f"{uuid.uuid4().hex}@mail.example.org"
    first = {"recipient": mailbox, "from": "Jo Bloggs <jo@example.org>", "subject": "Garden waste",
             "stripped-text": "Our brown bin was missed on Monday.", "message-headers": f'[["Message-Id", "<{root}>"]]'}
    assert (await post_email(system.connectors, first)).status_code == 200
    key = f"email:{mailbox}:{root}"
    reply = command(Channel.EMAIL, key, "Sorry, the crew will return tomorrow.", account_id=mailbox, target_id=root)
    await deliver(system, reply)
    sent = await status_of(system, reply)
    [mail] = await sandbox_sent(system, "mailgun", lambda s: s["body"].get("h:In-Reply-To") == f"<{root}>")
    assert mail["body"]["to"] == "jo@example.org" and mail["body"]["subject"] == "Re: Garden waste"
    answer = {"recipient": mailbox, "from": "jo@example.org", "subject": "Re: Garden waste",
              "stripped-text": "Thank you!", "message-headers": (
                  f'[["Message-Id", "<{uuid.uuid4().hex}@mail.example.org>"], '
                  f'["In-Reply-To", "<{sent["platform_message_id"]}>"], '
                  f'["References", "{mail["body"]["h:References"]} <{sent["platform_message_id"]}>"]]')}
    assert (await post_email(system.connectors, answer)).status_code == 200
    convo = await system.wait_for_conversation(key, until=lambda c: len(c["messages"]) == 2)
    assert convo["messages"][1]["text"].endswith("Thank you!")


async def test_x_reply_and_the_citizens_answer_to_it_stay_in_one_conversation(system: System, accounts) -> None:
    x_account = accounts.x
    tweet = str(1_930_000_000_000_000_000 + uuid.uuid4().int % 10**15)
    mention = {"for_user_id": x_account, "tweet_create_events": [{
        "id_str": tweet, "created_at": time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime()),
        "text": "@CivicCouncil pothole on Kingsway outside the bakery", "user": {"id_str": "4242", "screen_name": "rhys", "name": "Rhys"}}]}
    assert (await post_x(system.connectors, mention)).status_code == 200
    key = f"x:{x_account}:{tweet}"
    reply = command(Channel.X, key, "Thanks Rhys, reported to highways.", OutboundAction.PUBLIC_REPLY, target_id=tweet)
    await deliver(system, reply)
    ours = (await status_of(system, reply))["platform_message_id"]
    answer = str(int(tweet) + 7)
    follow = {"for_user_id": x_account, "tweet_create_events": [{
        "id_str": answer, "created_at": time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime()),
        "text": "@CivicCouncil thanks, it's getting worse", "in_reply_to_status_id_str": ours,
        "user": {"id_str": "4242", "screen_name": "rhys", "name": "Rhys"}}]}
    assert (await post_x(system.connectors, follow)).status_code == 200
    convo = await system.wait_for_conversation(key, until=lambda c: len(c["messages"]) == 2)
    assert [m["platform_message_id"] for m in convo["messages"]] == [tweet, answer]


async def test_web_form_reply_becomes_the_requests_status_notes(system: System, accounts) -> None:
    created = await post_open311(system.connectors, {"service_code": "street_lighting", "address_string": "40 Fern Avenue",
                                                     "description": f"Lamp post leaning after a van hit it {uuid.uuid4().hex[:6]}"})
    request_id = created.json()[0]["service_request_id"]
    reply = command(Channel.WEBFORM, f"webform:{accounts.jurisdiction}:{request_id}", "An engineer will make it safe today.")
    await deliver(system, reply)
    await status_of(system, reply)
    [status] = (await system.connectors.get(f"/open311/v2/requests/{request_id}.json")).json()
    assert status["status_notes"] == "An engineer will make it safe today."
