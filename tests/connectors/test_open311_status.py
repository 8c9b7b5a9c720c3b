"""An Open311 request's status following its conversation, on the connectors' real MongoDB store with Mailgun
played by the sandbox: events of other conversations are skipped by their key, resolve/close -> `closed` and a
reopening -> `open`, one email per change, and a failed email stays pending until a redelivery sends it."""

import uuid
from datetime import UTC, datetime

import httpx
import pytest
from civic_contracts import ConversationEvent, ConversationEventType
from connectors.config import Settings
from connectors.main import create_app
from connectors.open311_status import StatusFollower, open311_status, request_id_of
from connectors.outbound.errors import Transient
from connectors.platforms import webform
from sandbox.app import create_app as sandbox_app
from sandbox.config import Settings as SandboxSettings
from support.infra import Infra

pytestmark = pytest.mark.integration
JURISDICTION = "riverside.example.gov.uk"


def test_status_mapping_and_keys() -> None:
    assert [open311_status(s) for s in ("resolved", "closed", "replied", "new", "assigned")] == \
        ["closed", "closed", "open", "open", "open"]
    assert request_id_of(f"webform:{JURISDICTION}:WF-1", JURISDICTION) == "WF-1"
    assert request_id_of("webform:elsewhere:WF-1", JURISDICTION) is None
    assert request_id_of("facebook:1:2", JURISDICTION) is None


@pytest.fixture
async def world(infra: Infra):
    sandbox = sandbox_app(SandboxSettings(seeded=False))
    settings = Settings(meta_app_secret="s", meta_verify_token="t", mongodb_uri=infra.mongodb_uri,
                        database=f"civic_test_o311_{uuid.uuid4().hex[:8]}", open311_jurisdiction_id=JURISDICTION,
                        mailgun_api_key="sandbox-mailgun-key", email_mailboxes=["contact@council.example.gov.uk"],
                        mailgun_api_base_url="http://sandbox.test/mailgun")
    app = create_app(settings, platform_transport=httpx.ASGITransport(app=sandbox))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), base_url="http://sandbox.test") as s:
        yield app, s
    await app.state.stores.requests.collection.database.client.drop_database(settings.database)


def event(request_id: str, status: str, n: int, key: str | None = None) -> ConversationEvent:
    return ConversationEvent(id=f"evt-{request_id}-{n}", conversation_key=key or f"webform:{JURISDICTION}:{request_id}",
                             type=ConversationEventType.STATUS_CHANGED, at=datetime.now(UTC), status=status,
                             department="highways", summary=f"status {status}")


async def stored_request(app, email: str | None) -> str:
    services = {s.code: s for s in app.state.services}
    fields = {"service_code": "highways", "address_string": "1 Quay St", "description": f"Kerb {uuid.uuid4().hex[:6]}"}
    request = webform.validate({**fields, **({"email": email} if email else {})}, services)
    assert await app.state.stores.requests.save(request)
    await app.state.stores.requests.add_note(request.service_request_id, "Repaired this morning.")
    return request.service_request_id


async def mails_to(sandbox: httpx.AsyncClient, to: str) -> list[dict]:
    return [s for s in (await sandbox.get("/_sandbox/sent", params={"platform": "mailgun"})).json() if s["body"]["to"] == to]


async def test_status_follows_the_conversation_and_the_citizen_hears_once_per_change(world) -> None:
    app, sandbox = world
    follower = StatusFollower(app.state.sender.ctx)
    citizen = f"c-{uuid.uuid4().hex[:6]}@example.org"
    request_id = await stored_request(app, citizen)
    assert follower.wants(f"webform:{JURISDICTION}:{request_id}".encode())
    assert not follower.wants(b"facebook:104729113:1_2")  # skipped before parsing
    await follower.on_event(event(request_id, "assigned", 1))
    doc = await app.state.stores.requests.get(request_id)
    assert doc["status"] == "open" and doc["department"] == "highways" and doc["conversation_status"] == "assigned"
    assert await mails_to(sandbox, citizen) == []  # open -> open: nothing to tell
    await follower.on_event(event(request_id, "resolved", 2))
    await follower.on_event(event(request_id, "resolved", 2))  # a redelivery changes nothing
    await follower.on_event(event(request_id, "closed", 3))  # resolved -> closed: still `closed` in Open311
    doc = await app.state.stores.requests.get(request_id)
    assert doc["status"] == "closed" and doc["status_notes"] == "Repaired this morning." and not doc["pending_notice"]
    assert doc["updated_datetime"] > doc["requested_datetime"]
    [closed] = await mails_to(sandbox, citizen)
    assert closed["body"]["subject"] == f"Your report {request_id} has been closed"
    assert "Repaired this morning." in closed["body"]["text"] and closed["body"]["h:Auto-Submitted"] == "auto-generated"
    await follower.on_event(event(request_id, "new", 4))  # the citizen wrote again: reopened
    assert (await app.state.stores.requests.get(request_id))["status"] == "open"
    assert [m["body"]["subject"] for m in await mails_to(sandbox, citizen)][-1] == f"Your report {request_id} is open again"


async def test_a_failed_email_stays_pending_and_a_redelivery_sends_it(world) -> None:
    app, sandbox = world
    follower = StatusFollower(app.state.sender.ctx)
    citizen = f"c-{uuid.uuid4().hex[:6]}@example.org"
    request_id = await stored_request(app, citizen)
    await sandbox.post("/_sandbox/faults", json={"platform": "mailgun", "kind": "server_error", "count": 1})
    with pytest.raises(Transient):
        await follower.on_event(event(request_id, "closed", 1))  # the consumer retries, then dead-letters
    doc = await app.state.stores.requests.get(request_id)
    assert doc["status"] == "closed" and doc["pending_notice"]["id"] == f"evt-{request_id}-1"
    await follower.on_event(event(request_id, "closed", 1))
    assert len(await mails_to(sandbox, citizen)) == 1
    assert not (await app.state.stores.requests.get(request_id))["pending_notice"]


async def test_no_address_no_email_and_other_jurisdictions_untouched(world) -> None:
    app, sandbox = world
    follower = StatusFollower(app.state.sender.ctx)
    request_id = await stored_request(app, None)
    await follower.on_event(event(request_id, "closed", 1, key=f"webform:elsewhere:{request_id}"))
    assert (await app.state.stores.requests.get(request_id))["status"] == "open"
    await follower.on_event(event(request_id, "closed", 2))
    doc = await app.state.stores.requests.get(request_id)
    assert doc["status"] == "closed" and not doc.get("pending_notice")
