"""Erasure and retention reach the connectors' own records, on the real stack: a citizen who used the contact
form, Open311, SMS and email is erased (through the inbox API, and through `civic-inbox records erase` with
Kafka up and with Kafka down), responder announces it on `records.erased.v1`, and the connectors' service
requests, email headers, ledger and thread index keep nothing of them; a retention run announced on
`records.retention.v1` deletes the connectors' due records and nothing a legal hold covers."""

import asyncio
import itertools
import json
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import AsyncMongoClient
from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import RetentionSchedule
from responder.service.records import holds, retention
from support.channels import post_email, post_open311, post_twilio, session_accounts
from support.system import System
from test_meta_to_inbox import triaged

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
ADMIN = {"user_id": "t-admin", "name": "Test Admin", "role": "admin"}


@pytest.fixture
async def db(system: System):
    """The connectors' database."""
    client = AsyncMongoClient(system.infra.mongodb_uri, tz_aware=True)
    yield client[system.apps["connectors"].state.settings.database]
    await client.close()


@pytest.fixture
async def responder_db(system: System):
    client = AsyncMongoClient(system.infra.mongodb_uri, tz_aware=True)
    yield client[system.database]
    await client.close()


NUMBERS = itertools.count(secrets.randbelow(900_000))  # 07911 numbers: no other test uses them, none drawn twice


def _citizen() -> dict:
    """A citizen with their own name, address and number (not shared with other tests' citizens)."""
    digits = f"{next(NUMBERS) % 10**6:06d}"
    marker = uuid.uuid4().hex[:8]
    return {"first": f"Angharad{marker}", "last": f"Prys{marker}", "email": f"angharad.{marker}@example.org",
            "typed": f"07911 {digits}", "e164": f"+447911{digits}", "street": f"{marker} Heol y Bont"}


async def _eventually(check, *, timeout: float = 45.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := await check():
            return result
        await asyncio.sleep(0.25)
    raise AssertionError(f"{what} not reached within {timeout}s")


async def _uses_every_channel(system: System, who: dict) -> dict:
    """The citizen writes by the contact form (name, email, phone), by Open311 (name, phone), by SMS and by
    email; returns the request ids and conversation keys."""
    accounts = session_accounts(system.run_id)
    form = await system.connectors.post("/contact", data={
        "service_code": "waste", "description": f"Bins not collected from {who['street']} for three weeks",
        "address_string": who["street"], "first_name": who["first"], "last_name": who["last"],
        "email": who["email"], "phone": who["typed"],
        "form_started": system.apps["connectors"].state.webform_guard.start_token(time.time() - 10)})
    assert form.status_code == 200 and "Your reference is" in form.text, form.text
    by_form = form.text.split('id="reference">')[1].split("<")[0]
    created = await post_open311(system.connectors, {
        "service_code": "highways", "address_string": who["street"], "first_name": who["first"],
        "last_name": who["last"], "phone": who["typed"], "description": f"Pothole outside {who['street']}"})
    assert created.status_code == 200, created.text
    by_open311 = created.json()[0]["service_request_id"]
    sms = {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": "AC00000000000000000000000000000001",
           "From": who["e164"], "To": accounts.number, "Body": f"Any news on the bins at {who['street']}?", "NumMedia": "0"}
    assert (await post_twilio(system.connectors, sms)).status_code == 200
    root = f"{uuid.uuid4().hex}@mail.example.org"
    mail = {"recipient": accounts.mailbox, "from": f"{who['first']} {who['last']} <{who['email']}>",
            "subject": "Bins", "stripped-text": f"The bins at {who['street']} are still there.",
            "message-headers": f'[["Message-Id", "<{root}>"], ["Subject", "Bins"]]'}
    assert (await post_email(system.connectors, mail)).status_code == 200
    keys = {"form": f"webform:{accounts.jurisdiction}:{by_form}", "open311": f"webform:{accounts.jurisdiction}:{by_open311}",
            "sms": f"sms:{accounts.number}:{who['e164']}", "email": f"email:{accounts.mailbox}:{root}"}
    for key in keys.values():
        await system.wait_for_conversation(key, until=triaged)
    return {"requests": [by_form, by_open311], "keys": keys, "root": root}


def _leaks(doc, who: dict) -> list[str]:
    text = json.dumps(doc, default=str)
    return [v for k, v in who.items() if k != "street" and v in text] + (
        [who["street"]] if who["street"] in text else [])


async def _assert_nothing_left(system: System, db, who: dict, used: dict) -> None:
    for request_id in used["requests"]:
        doc = await db["service_requests"].find_one({"_id": request_id})
        assert doc["erased"]["request"] and doc["description"].startswith("Message erased on")
        assert doc["email"] is None and doc["phone"] is None and doc["first_name"] is None and doc["last_name"] is None
        assert _leaks(doc, who) == [], json.dumps(doc, default=str)
        assert doc["status"] in ("open", "closed") and doc["service_code"] in ("waste", "highways")
        public = await system.connectors.get(f"/open311/v2/requests/{request_id}.json")
        assert public.status_code == 200 and _leaks(public.json(), who) == []
    assert await db["email_headers"].find_one({"_id": used["root"]}) is None
    for collection in ("conversation_ledger", "thread_index", "service_requests", "email_headers", "outbox"):
        found = [d async for d in db[collection].find({})]
        assert [d["_id"] for d in found if _leaks(d, who)] == [], collection


async def test_an_erasure_from_the_api_reaches_the_connectors_records(system: System, db) -> None:
    who, other = _citizen(), _citizen()
    used = await _uses_every_channel(system, who)
    kept = await post_open311(system.connectors, {"service_code": "highways", "address_string": other["street"],
                                                  "email": other["email"], "description": "Broken bench"})
    kept_id = kept.json()[0]["service_request_id"]
    stored = await db["service_requests"].find_one({"_id": used["requests"][0]})
    assert stored["email"] == who["email"] and stored["phone"] == who["typed"]  # what there is to erase
    assert await db["conversation_ledger"].find_one({"_id": used["keys"]["sms"]}) is not None
    request = f"ER-C-{uuid.uuid4().hex[:8]}"
    accepted = await system.inbox.post("/api/records/erasure", json={
        "person": [who["email"], who["typed"]], "reason": "UK GDPR art. 17", "request": request})
    assert accepted.status_code == 202, accepted.text
    run = await _eventually(lambda: db["records_runs"].find_one({"_id": f"erase:{request}"}),
                            what="the connectors' erasure")
    assert run["counts"]["service_requests"] == 2 and run["counts"]["email_headers"] == 1
    assert run["counts"]["rekeyed"] >= 2  # the SMS conversation's ledger entry and thread index
    await _assert_nothing_left(system, db, who, used)
    untouched = await db["service_requests"].find_one({"_id": kept_id})
    assert untouched["email"] == other["email"] and untouched["description"] == "Broken bench"


async def _cli(monkeypatch, capsys, system: System, kafka: str, *args: str) -> tuple[int, dict]:
    from triage.cli import main

    monkeypatch.setenv("MONGODB_URI", system.infra.mongodb_uri)
    monkeypatch.setenv("RESPONDER_DATABASE", system.database)
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka)
    capsys.readouterr()
    code = await asyncio.to_thread(main, ["records", "--by", "test-admin", *args])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


async def test_an_erasure_from_the_command_line_reaches_the_connectors_even_with_kafka_down(system: System, db,
                                                                                           responder_db, monkeypatch,
                                                                                           capsys) -> None:
    who = _citizen()
    used = await _uses_every_channel(system, who)
    request = f"ER-CLI-{uuid.uuid4().hex[:8]}"
    code, done = await _cli(monkeypatch, capsys, system, system.infra.kafka_bootstrap_servers, "erase", "--person",
                            who["email"], "--person", f"sms:{who['e164']}", "--person", who["typed"], "--reason",
                            "art. 17", "--request", request)
    assert code == 0 and done["announced"] == "published" and done["counts"]["messages"] == 4
    await _eventually(lambda: db["records_runs"].find_one({"_id": f"erase:{request}"}),
                      what="the connectors' erasure")
    await _assert_nothing_left(system, db, who, used)

    # Kafka unreachable from the command line: the announcement waits in responder's outbox, its relay sends it.
    later = _citizen()
    used = await _uses_every_channel(system, later)
    request = f"ER-CLI-{uuid.uuid4().hex[:8]}"
    code, done = await _cli(monkeypatch, capsys, system, "127.0.0.1:9", "erase", "--person", later["email"],
                            "--person", later["typed"], "--person", later["e164"], "--reason", "art. 17",
                            "--request", request)
    assert code == 0 and done["announced"] == "queued"
    assert await responder_db["outbox"].find_one({"_id": f"erased:erase:{request}"}) is not None
    assert (await db["service_requests"].find_one({"_id": used["requests"][0]}))["email"] == later["email"]
    assert await system.apps["responder"].state.responder.publisher.relay(older_than=timedelta(0)) >= 1
    await _eventually(lambda: db["records_runs"].find_one({"_id": f"erase:{request}"}), what="the relayed erasure")
    await _assert_nothing_left(system, db, later, used)


async def test_retention_reaches_the_connectors_records_and_spares_what_is_held(system: System, db) -> None:
    """Responder's retention run (on a database of its own, so the shared one keeps its data) announces its
    cutoffs and holds through the service's outbox publisher; the connectors apply them to their records."""
    jurisdiction = session_accounts(system.run_id).jurisdiction
    now, schedule = datetime.now(UTC), RetentionSchedule()
    old = now - timedelta(days=schedule.messages_days + 30)
    held, marker = _citizen(), uuid.uuid4().hex[:8].upper()
    base = {"service_code": "highways", "service_name": "Highways", "status": "closed", "status_notes": None}
    requests = {
        f"WF-OLD{marker}": {"email": "someone@example.org", "requested_datetime": old},
        f"WF-HELD{marker}": {"email": held["email"], "requested_datetime": old},
        f"WF-HELDKEY{marker}": {"phone": "01632 960001", "requested_datetime": old},
        f"WF-NEW{marker}": {"email": "someone@example.org", "requested_datetime": now - timedelta(days=3)},
    }
    await db["service_requests"].insert_many([{**base, "_id": k, "description": "Pothole", "updated_datetime":
                                               v["requested_datetime"], **v} for k, v in requests.items()])
    quiet = f"sms:+447700900000:+44791100{marker}"
    await db["conversation_ledger"].insert_one({"_id": quiet, "channel": "sms", "account_id": "+447700900000",
                                                "last_inbound_at": old})
    await db["thread_index"].insert_one({"_id": f"sms:+447700900000:SM{marker}", "conversation_key": quiet})
    client = AsyncMongoClient(system.infra.mongodb_uri, tz_aware=True)
    copy = f"{system.database}_rc_{uuid.uuid4().hex[:6]}"
    try:
        store = RecordsStore(client, copy)
        await holds.place(store, reason="claim", actor=ADMIN, now=now, person=[held["email"]])
        await holds.place(store, reason="ombudsman", actor=ADMIN, now=now,
                          conversation_key=f"webform:{jurisdiction}:WF-HELDKEY{marker}")
        publisher = system.apps["responder"].state.responder.publisher
        run = await retention.run(store, schedule, now=now, announce=publisher.retention)
        done = await _eventually(lambda: db["records_runs"].find_one({"_id": run["_id"]}), what="the connectors' run")
    finally:
        await client.drop_database(copy)
        await client.close()
    left = {d["_id"] async for d in db["service_requests"].find({"_id": {"$in": list(requests)}})}
    assert left == {f"WF-HELD{marker}", f"WF-HELDKEY{marker}", f"WF-NEW{marker}"}
    assert done["done"]["service_requests"] >= 1 and done["kept_under_hold"]["service_requests"] >= 2
    assert await db["conversation_ledger"].find_one({"_id": quiet}) is None
    assert await db["thread_index"].find_one({"conversation_key": quiet}) is None
