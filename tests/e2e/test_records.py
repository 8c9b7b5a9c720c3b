"""Records management on the real stack: messages that came in through signed webhooks, real Kafka, triage
and responder into FerretDB; then subject access, erasure, legal holds, FOI export and the retention job.

The retention test works on a copy of this test's conversations in a database of its own, so moving the
clock years ahead deletes nothing that other tests use."""

import asyncio
import itertools
import json
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import AsyncMongoClient
from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import RetentionSchedule
from responder.service.records import bundle, erasure, foi, holds, retention, subject
from support.channels import post_twilio, session_accounts
from support.system import System
from test_meta_to_inbox import PAGE, messenger, triaged

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
ADMIN = {"user_id": "t-admin", "name": "Test Admin", "role": "admin"}
THIRD_PARTY_PHONE = "07700 900987"
# Identifiers no other test uses, never drawn twice in a session: a person who shares a number with an earlier
# test's citizen shares that citizen's SMS conversation (same session account), and their subject access then
# counts the other test's message as theirs (seen once: 3 messages instead of 2).
NUMBERS = itertools.count(secrets.randbelow(900_000))


def _psid() -> str:
    """A Messenger page-scoped id as Meta issues them (16 digits), unlike every other test's sender ids."""
    return f"73{secrets.randbelow(10**14):014d}"


async def _person_on_two_channels(system: System) -> dict:
    """One citizen writing on Messenger and by SMS, and someone else on Messenger; returns their ids."""
    psid, other = _psid(), _psid()
    phone = f"+447912{next(NUMBERS) % 10**6:06d}"
    local = "0" + phone[3:7] + " " + phone[7:]
    number = session_accounts(system.run_id).number
    text = (f"Fly-tipping behind the garages on Kestrel Road again. My neighbour on {THIRD_PARTY_PHONE} saw the van, "
            f"you can call me on {local}")
    assert (await system.post_meta(messenger(text, sender=psid))).status_code == 200
    assert (await system.post_meta(messenger("Dog fouling all along the canal path every morning", sender=other))).status_code == 200
    sms = {"MessageSid": f"SM{uuid.uuid4().hex}", "AccountSid": "AC00000000000000000000000000000001", "From": phone,
           "To": number, "Body": "Street light outside 14 Kestrel Road is out <b>again</b>", "NumMedia": "0"}
    assert (await post_twilio(system.connectors, sms)).status_code == 200
    keys = {"messenger": f"messenger:{PAGE}:{psid}", "sms": f"sms:{number}:{phone}", "other": f"messenger:{PAGE}:{other}"}
    for key in keys.values():
        await system.wait_for_conversation(key, until=triaged)
    return {"psid": psid, "phone": phone, "local": local, "other": other, "keys": keys}


@pytest.fixture
async def records(system: System):
    client = AsyncMongoClient(system.infra.mongodb_uri, tz_aware=True)
    yield RecordsStore(client, system.database)
    await client.close()


async def test_subject_access_finds_both_channels_and_redacts_a_third_partys_number(system: System, records, tmp_path) -> None:
    who = await _person_on_two_channels(system)
    found = await subject.subject_access(records, [f"messenger:{who['psid']}", f"sms:{who['phone']}"],
                                         now=datetime.now(UTC), actor=ADMIN, request="SAR-2026-001")
    sections = {s["conversation"]: s for s in found["conversations"]}
    assert set(sections) == {who["keys"]["messenger"], who["keys"]["sms"]}  # not the other person's conversation
    theirs = [i for section in found["conversations"] for i in section["items"] if i["from"] == "you"]
    assert len(theirs) == 2, theirs  # one message on each channel, nobody else's taken for theirs
    assert found["summary"]["channels"] == ["messenger", "sms"] and found["summary"]["messages_by_person"] == 2
    [fly] = sections[who["keys"]["messenger"]]["items"]
    assert fly["from"] == "you" and "[phone redacted]" in fly["text"]
    assert THIRD_PARTY_PHONE not in fly["text"] and who["local"] in fly["text"]  # their own number stays
    assert {"message_id": fly["message_id"], "what": "third party phone"} == {
        k: v for k, v in found["redactions"][0].items() if k in ("message_id", "what")}
    files = bundle.write(found, tmp_path / "sar")
    page = (tmp_path / "sar" / "index.html").read_text()
    assert "Street light outside 14 Kestrel Road is out &lt;b&gt;again&lt;/b&gt;" in page and "<b>again" not in page
    assert THIRD_PARTY_PHONE not in page and THIRD_PARTY_PHONE not in files[1].read_text()
    assert json.loads((tmp_path / "sar" / "redactions.json").read_text())[0]["what"] == "third party phone"
    audit = await system.inbox.get("/api/audit", params={"action": "subject_access"})
    assert found["_id"] in [e["id"] for e in audit.json()["items"]]


async def test_erasure_is_refused_under_hold_then_leaves_only_tombstones(system: System, records) -> None:
    who = await _person_on_two_channels(system)
    person, now = [who["psid"], who["phone"]], datetime.now(UTC)
    hold = await holds.place(records, reason="complaint to the ombudsman", actor=ADMIN, now=now,
                             conversation_key=who["keys"]["sms"])
    with pytest.raises(erasure.ErasureRefused, match=hold.id):
        await erasure.erase(records, person, reason="UK GDPR art. 17", request="ER-1", now=now, actor=ADMIN)
    await holds.release(records, hold.id, reason="complaint closed", actor=ADMIN, now=now)
    done = await erasure.erase(records, person, reason="UK GDPR art. 17", request="ER-1", now=now, actor=ADMIN)
    assert done["counts"]["messages"] == 2 and done["counts"]["conversations"] == 2
    assert done["counts"]["conversations_rekeyed"] == 2  # the keys held the PSID and the phone number
    for channel in ("messenger", "sms"):
        assert (await system.inbox.get(f"/api/conversations/{who['keys'][channel]}")).status_code == 404
    for key in done["conversations"]:
        page = (await system.inbox.get(f"/api/conversations/{key}")).text
        assert "Kestrel Road" not in page and "Message erased on" in page
        assert who["psid"] not in page and who["phone"] not in page and who["local"] not in page
    raw = await records.messages.find_one({"conversation_key": {"$in": done["conversations"]}})
    assert "raw_payload" not in raw and raw["author"]["platform_id"].startswith("erased:")
    other = await system.inbox.get(f"/api/conversations/{who['keys']['other']}")
    assert "Dog fouling" in other.text  # someone else's messages are untouched
    audit = (await system.inbox.get("/api/audit", params={"action": "erase"})).json()["items"]
    outcomes = {e["outcome"] for e in audit if (e.get("details") or {}).get("request") == "ER-1"}
    assert outcomes == {"done", "rejected"}
    assert all(who["phone"] not in json.dumps(e) for e in audit)  # the tombstone, not the person, stays in the audit


async def test_foi_export_pseudonymises_and_redacts(system: System, records) -> None:
    who = await _person_on_two_channels(system)
    start = datetime.now(UTC) - timedelta(days=3650)
    found = await foi.foi_export(records, since=start, until=datetime.now(UTC) + timedelta(days=1), now=datetime.now(UTC),
                                 actor=ADMIN, request="FOI-77", account=session_accounts(system.run_id).number)
    text = json.dumps(found, default=str)
    assert "Street light outside [address redacted] is out <b>again</b>" in text
    assert who["phone"] not in text and "Correspondent 1" in text
    found = await foi.foi_export(records, since=start, until=datetime.now(UTC) + timedelta(days=1), now=datetime.now(UTC),
                                 actor=ADMIN, request="FOI-78", account=PAGE)
    fly = [i for s in found["conversations"] for i in s["items"] if "Fly-tipping" in i["text"]]
    assert fly and all(THIRD_PARTY_PHONE not in i["text"] and who["local"] not in i["text"] for i in fly)
    assert any(r["what"] == "phone" for r in found["redactions"])


async def test_retention_deletes_what_is_due_and_nothing_on_hold(system: System) -> None:
    who = await _person_on_two_channels(system)
    client = AsyncMongoClient(system.infra.mongodb_uri, tz_aware=True)
    copy = f"{system.database}_retention_{uuid.uuid4().hex[:6]}"
    try:
        source, target = client[system.database], client[copy]
        keys = list(who["keys"].values())
        for name, field in (("conversations", "_id"), ("messages", "conversation_key")):
            docs = [d async for d in source[name].find({field: {"$in": keys}})]
            await target[name].insert_many(docs)
        await target["conversations"].update_many({}, {"$set": {"status": "resolved"}})
        store, now = RecordsStore(client, copy), datetime.now(UTC)
        await holds.place(store, reason="litigation", actor=ADMIN, now=now, person=[who["phone"]])
        schedule = RetentionSchedule()
        soon = await retention.run(store, schedule, now=now + timedelta(days=31))
        assert soon["done"]["raw_payload"] == 2 and soon["kept_under_hold"]["raw_payload"] == 1
        assert await target["messages"].count_documents({"raw_payload": {"$exists": True}}) == 1
        later = now + timedelta(days=schedule.conversations_days + 1)
        dry = await retention.run(store, schedule, now=later, dry_run=True)
        assert dry["due"]["conversations"] == 2 and dry["kept_under_hold"]["conversations"] == 1
        assert await target["conversations"].count_documents({}) == 3  # a dry run changes nothing
        await retention.run(store, schedule, now=later)
        assert [c["_id"] async for c in target["conversations"].find({})] == [who["keys"]["sms"]]
        assert [m["conversation_key"] async for m in target["messages"].find({})] == [who["keys"]["sms"]]
        runs = [r async for r in target["records_runs"].find({})]
        assert len(runs) == 3 and {a["action"] async for a in target["audit"].find({})} >= {"retention", "legal_hold"}
    finally:
        await client.drop_database(copy)
        await client.close()


async def _follow(client, accepted) -> dict:
    assert accepted.status_code == 202, accepted.text
    url = accepted.json()["follow"]
    for _ in range(200):
        state = (await client.get(url)).json()
        if state["status"] in ("done", "rejected"):
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"command not carried out: {state}")


async def test_admins_use_records_through_the_api_and_others_cannot(system: System) -> None:
    who = await _person_on_two_channels(system)
    supervisor = await system.sign_in("t-super")
    person = {"person": [f"messenger:{who['psid']}", who["phone"]], "request": "SAR-API-1"}
    assert (await supervisor.post("/api/records/subject-access", json=person)).status_code == 403
    assert (await supervisor.get("/api/records/holds")).status_code == 403
    done = await _follow(system.inbox, await system.inbox.post("/api/records/subject-access", json=person))
    assert done["status"] == "done" and done["result"]["messages_by_person"] == 2
    bundle = await system.inbox.get(f"/api/records/exports/{done['result']['export_id']}")
    assert bundle.headers["cache-control"] == "no-store"
    assert {s["conversation"] for s in bundle.json()["conversations"]} == {who["keys"]["messenger"], who["keys"]["sms"]}
    page = await system.inbox.get(f"/api/records/exports/{done['result']['export_id']}/page")
    assert page.headers["content-type"].startswith("text/html") and "default-src 'none'" in page.headers["content-security-policy"]
    assert "Subject access request" in page.text and THIRD_PARTY_PHONE not in page.text
    held = await _follow(system.inbox, await system.inbox.post("/api/records/holds", json={
        "reason": "pre-action letter", "person": [who["phone"]]}))
    refused = await _follow(system.inbox, await system.inbox.post("/api/records/erasure", json={
        "person": [who["phone"]], "reason": "UK GDPR art. 17", "request": "ER-API-1"}))
    assert refused["status"] == "rejected" and held["result"]["hold_id"] in refused["reason"]
    holds_now = (await system.inbox.get("/api/records/holds")).json()
    assert held["result"]["hold_id"] in [h["id"] for h in holds_now]
    released = await _follow(system.inbox, await system.inbox.post("/api/records/holds/release", json={
        "hold_id": held["result"]["hold_id"], "reason": "letter answered"}))
    assert released["status"] == "done"
    erased = await _follow(system.inbox, await system.inbox.post("/api/records/erasure", json={
        "person": [who["phone"]], "reason": "UK GDPR art. 17", "request": "ER-API-2"}))
    assert erased["status"] == "done" and erased["result"]["counts"]["messages"] == 1
    [new_key] = erased["result"]["conversations"]
    after = (await system.inbox.get(f"/api/conversations/{new_key}")).json()
    assert any(e["type"] == "erased" for e in after["timeline"]) and who["phone"] not in json.dumps(after)
    audit = (await system.inbox.get("/api/audit", params={"action": "erase_person"})).json()["items"]
    assert audit and all(who["phone"] not in json.dumps(e) for e in audit)  # identifiers never reach the audit log
    dry = await _follow(system.inbox, await system.inbox.post("/api/records/retention", json={"dry_run": True}))
    assert dry["status"] == "done" and "messages" in dry["result"]
