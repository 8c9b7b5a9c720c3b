"""The connectors' MongoDB adapters on real MongoDB-wire (FerretDB): uniqueness by `_id`, idempotent upserts,
and the queries the runtime relies on."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from civic_contracts import Author, Channel, InboundMessage, MessageKind
from civic_contracts.outbound import OutboundAction, OutboundCommand
from connectors.adapters import Stores
from connectors.adapters.outbox import SENDING, WAITING
from connectors.platforms.email import EmailHeaders
from connectors.platforms.webform import ServiceRequest
from pymongo import AsyncMongoClient

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
async def stores(infra):
    mongo = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    database = f"connectors_test_{uuid.uuid4().hex[:8]}"
    found = Stores.create(mongo, database)
    await found.ensure_indexes()
    yield found
    await mongo.drop_database(database)
    await mongo.close()


def message(key: str, platform_id: str, at: datetime) -> InboundMessage:
    return InboundMessage(id=f"x:1:{platform_id}", channel=Channel.X, account_id="1", platform_message_id=platform_id,
                          conversation_key=key, kind=MessageKind.PUBLIC_COMMENT, author=Author(platform_id="9"),
                          text="hi", sent_at=at, received_at=at, raw_payload="{}")


async def test_ledger_keeps_the_latest_inbound_time_and_threads(stores) -> None:
    await stores.ledger.record_inbound(message("x:1:100", "100", NOW))
    await stores.ledger.record_inbound(message("x:1:100", "101", NOW - timedelta(hours=2)))  # late, older
    await stores.ledger.record_inbound(message("x:1:100", "101", NOW - timedelta(hours=2)))  # replayed
    assert await stores.ledger.last_inbound("x:1:100") == NOW
    assert await stores.ledger.conversation_of("x", "1", "101") == "x:1:100"
    assert await stores.ledger.last_inbound("x:1:nothing") is None


async def test_first_seen_time_and_mailgun_tokens_are_claimed_once(stores) -> None:
    assert await stores.first_seen.at("sms:1:SM1", NOW) == NOW
    assert await stores.first_seen.at("sms:1:SM1", NOW + timedelta(minutes=5)) == NOW
    assert await stores.tokens.claim("tok") is True and await stores.tokens.claim("tok") is False
    assert await stores.tokens.prune(timedelta(seconds=-1)) == 1


async def test_email_headers_and_service_requests_round_trip(stores) -> None:
    headers = EmailHeaders("b@x", ("a@x",), ("a@x",), "Re: Bins", "jo@example.org", "contact@council.example.gov.uk")
    await stores.emails.save(headers)
    await stores.emails.save(headers)
    assert await stores.emails.get("<b@x>") == headers
    request = ServiceRequest("WF-1", "waste", "Waste", "Bins", NOW, address_string="Mill Lane")
    assert await stores.requests.save(request) is True and await stores.requests.save(request) is False
    assert await stores.requests.add_note("WF-1", "Collected today") is True
    assert (await stores.requests.get("WF-1"))["status_notes"] == "Collected today"
    assert await stores.requests.add_note("WF-404", "x") is False
    assert await stores.requests.get({"$ne": None}) is None  # ids are compared as values, never as operators


async def test_outbox_claims_once_and_hands_out_due_commands_in_order(stores) -> None:
    def command(n: int) -> OutboundCommand:
        return OutboundCommand(id=f"c{n}", conversation_key="sms:1:2", channel=Channel.SMS, account_id="1",
                               action=OutboundAction.DIRECT_MESSAGE, text="t", requested_by="a", requested_at=NOW)

    assert await stores.outbox.claim_new(command(1)) is not None
    assert await stores.outbox.claim_new(command(1)) is None
    await stores.outbox.claim_new(command(2))
    await stores.outbox.record("c2", WAITING, next_attempt_at=NOW - timedelta(seconds=5))
    await stores.outbox.record("c1", WAITING, next_attempt_at=NOW - timedelta(seconds=1))
    first = await stores.outbox.claim_due(NOW)
    assert first["_id"] == "c2" and first["state"] == SENDING and first["attempts"] == 1
    assert (await stores.outbox.claim_due(NOW))["_id"] == "c1"
    assert await stores.outbox.claim_due(NOW) is None  # both leased
    assert (await stores.outbox.claim_due(NOW + timedelta(minutes=5)))["_id"] in ("c1", "c2")  # lease expired
    await stores.outbox.pause("sms", "1", NOW + timedelta(minutes=2))
    await stores.outbox.pause("sms", "1", NOW + timedelta(minutes=1))  # never shortened
    assert await stores.outbox.paused_until("sms", "1", NOW) == NOW + timedelta(minutes=2)
    assert await stores.outbox.paused_until("sms", "1", NOW + timedelta(minutes=3)) is None
