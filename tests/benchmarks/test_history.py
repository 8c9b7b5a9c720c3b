"""The benchmarks' history preload writes what responder itself reads back as conversations and messages."""

import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from civic_contracts import Author, Channel, InboundMessage, MessageKind
from civic_contracts.conversation import ConversationStatus, StoredConversation
from pymongo import AsyncMongoClient
from responder.adapters.mongo import ConversationStore
from responder.domain import sla

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import history  # noqa: E402

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(infra):
    client = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    name = f"civic_history_{uuid.uuid4().hex[:8]}"
    store = ConversationStore(client, name)
    await store.ensure_indexes()
    try:
        yield client, name, store
    finally:
        await client.drop_database(name)
        await client.close()


async def test_preloaded_history_reads_back_through_responders_store(store):
    client, name, conversations = store
    loaded = await history.preload(client, name, conversations=12, messages=30, statuses=["new", "closed"])
    assert (loaded.conversations, loaded.messages, len(loaded.facebook_threads)) == (12, 30, 12)

    key = f"facebook:{history.PAGE_ID}:{loaded.facebook_threads[3]}"
    conversation = await conversations.get(key)
    typed = StoredConversation.from_document(conversation)
    assert typed.id == key and typed.status in (ConversationStatus.NEW, ConversationStatus.CLOSED)
    assert typed.sla and typed.sla.first_response and typed.sla.first_response.due
    assert conversation["channel"] == "facebook" and conversation["account_id"] == history.PAGE_ID
    assert conversation["message_count"] == await client[name]["messages"].count_documents({"conversation_key": key})
    assert await client[name]["conversations"].count_documents({}) == 12
    assert conversation["department"] and conversation["urgency"] in ("normal", "high", "critical")
    assert conversation["sla"]["first_response"]["due"] > conversation["first_message_at"]
    assert conversation["last_inbound_id"] == (await conversations.last_inbound(key))["_id"]
    # A year of history has had its SLA warnings and breaches raised: responder's periodic job finds none left
    # (a preload without the flags had it raising hundreds per tick through the benchmark).
    preloaded = [c async for c in client[name]["conversations"].find({})]
    assert all(sla.findings(c["sla"], datetime.now(UTC)) == [] for c in preloaded)
    assert any(c["sla"]["first_response"].get("breached") for c in preloaded if c["status"] == "new")
    open_ones = [c async for c in client[name]["conversations"].find({"status": "new"})]
    counted = {d["_id"]: d["n"] async for d in client[name]["counts"].find({})}
    assert sum(counted.values()) == len(open_ones) and all(n > 0 for n in counted.values())
    newest = await conversations.last_inbound(key)
    assert newest["conversation_key"] == key and newest["intake_done"] is True
    assert newest["sent_at"] == conversation["last_message_at"]
    assert newest["triage"]["message_id"] == newest["_id"]

    # A new citizen message threads into the preloaded conversation as into any other.
    now = datetime.now(UTC)
    reply = InboundMessage(
        id=f"facebook:{history.PAGE_ID}:new-reply", channel=Channel.FACEBOOK, account_id=history.PAGE_ID,
        platform_message_id="new-reply", conversation_key=key, kind=MessageKind.PUBLIC_COMMENT,
        author=Author(platform_id="someone-else"), text="any news?", sent_at=now, received_at=now, raw_payload="{}")
    assert await conversations.insert_message(reply) is None  # new
    after = await conversations.store_message(reply, counted=False)
    assert after["message_count"] == conversation["message_count"] + 1
    assert after["author"] == conversation["author"]  # the author is whoever wrote first
    assert after["last_message_at"] == now.replace(microsecond=now.microsecond // 1000 * 1000)
