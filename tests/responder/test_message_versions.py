"""Edits and deletions platforms report are kept as versions of the stored message, on the real MongoDB-wire
server: earlier text kept with its time and who replaced it, a deletion marked with the record kept, redelivery
harmless, an erased message never restored; erasure and retention take the versions with the message; subject
access and FOI bundles carry them (redacted by their own spans)."""

from datetime import datetime, timedelta

import pytest
from civic_contracts import InboundMessage, MessageRevision
from pymongo import AsyncMongoClient
from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import RetentionSchedule
from responder.service import intake, revisions
from responder.service.records import erasure, foi, retention, subject
from responder_world import PAGE

pytestmark = pytest.mark.integration
ADMIN = {"user_id": "t-admin", "name": "Test Admin", "role": "admin"}


def edited(message: InboundMessage, text: str, *, at: datetime, actor: str | None = None, n: int = 1) -> MessageRevision:
    return MessageRevision(
        id=f"{message.id}:edited:{n}", message_id=message.id, channel=message.channel, account_id=message.account_id,
        platform_message_id=message.platform_message_id, conversation_key=message.conversation_key, kind="edited",
        text=text, by="author", actor_id=actor or message.author.platform_id, revised_at=at, received_at=at,
        raw_payload="{}",
    )


def deleted(message: InboundMessage, *, at: datetime, actor: str | None = None, by: str = "author") -> MessageRevision:
    return MessageRevision(
        id=f"{message.id}:deleted", message_id=message.id, channel=message.channel, account_id=message.account_id,
        platform_message_id=message.platform_message_id, conversation_key=message.conversation_key, kind="deleted",
        by=by, actor_id=actor, revised_at=at, received_at=at, raw_payload="{}",
    )


async def stored(world, message_id: str) -> dict:
    return await world.db["messages"].find_one({"_id": message_id})


async def test_edits_keep_every_earlier_version_and_a_deletion_keeps_the_record(world) -> None:
    t0 = world.clock.now
    m = await world.message("The bin on Mill Lane was missed again.")
    await world.triage(m, department="waste")
    first = edited(m, "The bin on Mill Lane was missed again. Third week running!", at=t0 + timedelta(minutes=5))
    second = edited(m, "Bin missed again on Mill Lane, call me on 07700 900123", at=t0 + timedelta(minutes=9), n=2)
    for revision in (first, second, first, second):  # redelivered: applied once each
        await revisions.on_revision(world.r, revision)
    doc = await stored(world, m.id)
    assert doc["text"] == second.text and doc["edited_at"] == second.revised_at
    assert [v["text"] for v in doc["versions"]] == [m.text, first.text]
    assert [v["written_at"] for v in doc["versions"]] == [m.sent_at, first.revised_at]
    assert [v["replaced_at"] for v in doc["versions"]] == [first.revised_at, second.revised_at]
    assert {v["replaced_by"] for v in doc["versions"]} == {"author"}
    assert doc["triage"]["pii"] == []  # the old text's spans do not describe the new text
    assert sorted(doc["revision_ids"]) == sorted([first.id, second.id])

    gone = deleted(m, at=t0 + timedelta(minutes=20), actor=m.author.platform_id, by="platform")
    await revisions.on_revision(world.r, gone)
    await revisions.on_revision(world.r, gone)
    doc = await stored(world, m.id)
    assert doc["deleted"]["by"] == "author"  # the platform named the message's own author
    assert doc["deleted"]["at"] == gone.revised_at and doc["text"] == second.text  # archived, not destroyed
    events = [e for e in world.published.events if e.data.get("message_id") == m.id and e.type.value in ("message_edited", "message_deleted")]
    assert [e.type.value for e in events] == ["message_edited", "message_edited", "message_deleted"]
    assert all("Mill Lane" not in str(e.data) + e.summary for e in events)  # no citizen text on events
    audit = [a async for a in world.db["audit"].find({"conversation_key": m.conversation_key,
                                                      "action": {"$in": ["message_edited", "message_deleted"]}})]
    assert len(audit) == 3


async def test_a_stale_or_late_edit_never_replaces_newer_text(world) -> None:
    t0 = world.clock.now
    m = await world.message("Streetlight out on Elm Road.")
    newer = edited(m, "Streetlight out on Elm Road since Monday.", at=t0 + timedelta(minutes=10), n=2)
    older = edited(m, "Streetlight out on Elm Rd.", at=t0 + timedelta(minutes=3), n=1)
    await revisions.on_revision(world.r, newer)
    await revisions.on_revision(world.r, older)
    doc = await stored(world, m.id)
    assert doc["text"] == newer.text
    assert sorted(v["text"] for v in doc["versions"]) == sorted([m.text, older.text])


async def test_a_message_redelivered_with_new_text_is_kept_as_a_version(world) -> None:
    m = await world.message("Tree down on the footpath by the park gates.")
    changed = m.model_copy(update={"text": "Tree down on the footpath by the park gates, blocking the pram route.",
                                   "received_at": m.received_at + timedelta(minutes=2)})
    await intake.on_message(world.r, changed)
    await intake.on_message(world.r, changed)
    await intake.on_message(world.r, m)  # the original delivered again (a replay): not a new edit
    doc = await stored(world, m.id)
    assert doc["text"] == changed.text
    assert [v["text"] for v in doc["versions"]] == [m.text]
    assert doc["versions"][0]["replaced_by"] == "platform"
    assert (await world.db["conversations"].find_one({"_id": m.conversation_key}))["message_count"] == 1


async def test_unknown_messages_and_erased_ones(world) -> None:
    m = await world.message("Please remove the graffiti on the bus shelter.")
    ghost = m.model_copy(update={"id": f"facebook:{PAGE}:never-stored", "platform_message_id": "never-stored"})
    with pytest.raises(revisions.MessageNotHeld):  # retried by the consumer, then dead-lettered with the reason
        await revisions.on_revision(world.r, deleted(ghost, at=world.clock.now))
    await revisions.on_revision(world.r, deleted(ghost, at=world.clock.now, actor=PAGE, by="account"))  # ours: ignored
    await world.db["messages"].update_one({"_id": m.id}, {"$set": {"erased": {"at": world.clock.now, "request": "ER"},
                                                                       "text": "Message erased"}})
    await revisions.on_revision(world.r, edited(m, "the old words again", at=world.clock.now + timedelta(minutes=1)))
    doc = await stored(world, m.id)
    assert doc["text"] == "Message erased" and "versions" not in doc


@pytest.fixture
async def records(world, infra):
    client = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    yield RecordsStore(client, world.db.name)
    await client.close()


async def test_erasure_removes_the_archived_versions(world, records) -> None:
    author = "7311000999"
    m = await world.message("My number is 07700 900456, the fence is broken.", author=author)
    await revisions.on_revision(world.r, edited(m, "The fence at the rec is broken.", at=world.clock.now + timedelta(minutes=1)))
    await revisions.on_revision(world.r, deleted(m, at=world.clock.now + timedelta(minutes=2), actor=author))
    assert (await stored(world, m.id))["versions"]
    await erasure.erase(records, [f"facebook:{author}"], reason="UK GDPR art. 17", request="ER-9",
                        now=world.clock.now, actor=ADMIN)
    doc = await stored(world, m.id)
    assert "versions" not in doc and "07700" not in str(doc) and "fence" not in str(doc)
    assert doc["text"].startswith("Message erased on")


async def test_retention_takes_the_versions_with_the_message(world, records) -> None:
    m = await world.message("Old message about a pothole.", at=world.clock.now - timedelta(days=800))
    await revisions.on_revision(world.r, edited(m, "Old message about a pothole, edited.", at=world.clock.now - timedelta(days=799)))
    await retention.run(records, RetentionSchedule(), now=world.clock.now)
    assert await stored(world, m.id) is None


async def test_bundles_carry_the_versions_redacted_by_their_own_spans(world, records) -> None:
    author = "7311000888"
    m = await world.message("Call me on 07700 900789 about the flooding.", author=author)
    await world.db["messages"].update_one({"_id": m.id}, {"$set": {"triage.pii": [{"kind": "phone", "start": 11, "end": 23}]}})
    await revisions.on_revision(world.r, edited(m, "About the flooding on Brook Street.", at=world.clock.now + timedelta(minutes=1)))
    await revisions.on_revision(world.r, deleted(m, at=world.clock.now + timedelta(minutes=2), actor=author))
    found = await subject.subject_access(records, [f"facebook:{author}"], now=world.clock.now, actor=ADMIN, request="SAR-7")
    [item] = [i for s in found["conversations"] for i in s["items"] if i["message_id"] == m.id]
    assert item["text"] == "About the flooding on Brook Street."
    [version] = item["versions"]
    # A number not among the person's identifiers is redacted as a third party's, in an earlier version too.
    assert version["text"] == "Call me on [phone redacted] about the flooding."
    assert {"message_id": m.id, "version": 1, "what": "third party phone", "start": 11, "end": 23} in found["redactions"]
    assert item["deleted"]["by"] == "author"
    disclosed = await foi.foi_export(records, since=world.clock.now - timedelta(hours=1),
                                     until=world.clock.now + timedelta(hours=1), now=world.clock.now, actor=ADMIN,
                                     request="FOI-7")
    [item] = [i for s in disclosed["conversations"] for i in s["items"] if i["message_id"] == m.id]
    assert item["versions"][0]["text"] == "Call me on [phone redacted] about the flooding."
    assert {"message_id": m.id, "version": 1, "what": "phone", "start": 11, "end": 23} in disclosed["redactions"]
    saved = await world.db["records_exports"].find_one({"_id": disclosed["_id"]})
    assert "Deleted by its author" in saved["html"] and "07700" not in saved["html"]
