"""The connectors' ledger written a batch at a time, on the real store (FerretDB): the same state as writing the
messages one by one (latest inbound time per conversation, thread index, replays change nothing), in a few
commands per batch, and in chunks small enough that FerretDB v1 never stops answering."""

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from civic_contracts import Author, Channel, InboundMessage, MessageKind
from connectors.adapters import Stores
from connectors.adapters.ledger import UPDATES_PER_COMMAND
from pymongo import AsyncMongoClient, monitoring

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC).replace(microsecond=0)


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def started(self, event) -> None:
        if event.command_name in {"insert", "update", "find", "delete", "findAndModify"}:
            self.seen[f"{event.command_name} {event.command.get(event.command_name)}"] += 1

    def succeeded(self, event) -> None: ...
    def failed(self, event) -> None: ...


@pytest.fixture
async def world(infra):
    commands = Commands()
    mongo = AsyncMongoClient(infra.mongodb_uri, tz_aware=True, event_listeners=[commands])
    database = f"connectors_ledger_{uuid.uuid4().hex[:8]}"
    stores = Stores.create(mongo, database)
    await stores.ensure_indexes()
    yield stores, commands
    await mongo.drop_database(database)
    await mongo.close()


def message(key: str, platform_id: str, at: datetime) -> InboundMessage:
    return InboundMessage(id=f"facebook:1:{platform_id}", channel=Channel.FACEBOOK, account_id="1",
                          platform_message_id=platform_id, conversation_key=key, kind=MessageKind.PUBLIC_COMMENT,
                          author=Author(platform_id="9"), text="hi", sent_at=at, received_at=at, raw_payload="{}")


async def test_a_batch_leaves_what_one_by_one_would_and_a_replay_changes_nothing(world) -> None:
    stores, _ = world
    ledger = stores.ledger
    await ledger.record_inbound(message("facebook:1:a", "a0", NOW - timedelta(days=1)))  # known before
    await ledger.remember("facebook", "1", "b1", "facebook:1:old")  # a platform id filed elsewhere earlier
    batch = [message("facebook:1:a", "a1", NOW - timedelta(hours=1)),
             message("facebook:1:b", "b1", NOW - timedelta(hours=3)),
             message("facebook:1:a", "a2", NOW),
             message("facebook:1:a", "a3", NOW - timedelta(hours=2)),  # late, older than a2
             message("facebook:1:b", "b2", NOW - timedelta(hours=5))]
    await ledger.record_inbound_many(batch)
    await ledger.record_inbound_many(batch)  # the batch read again after a crash
    await ledger.record_inbound_many(batch[3:])  # a part of it again, older ones only
    assert await ledger.last_inbound("facebook:1:a") == NOW
    assert await ledger.last_inbound("facebook:1:b") == NOW - timedelta(hours=3)
    for m in batch:
        assert await ledger.conversation_of("facebook", "1", m.platform_message_id) == m.conversation_key
    assert await ledger.conversation_of("facebook", "1", "a0") == "facebook:1:a"
    doc = await ledger.conversations.find_one({"_id": "facebook:1:a"})
    assert (doc["channel"], doc["account_id"]) == ("facebook", "1")
    assert await ledger.threads.count_documents({}) == 6 and await ledger.conversations.count_documents({}) == 2


async def test_a_batch_costs_a_few_commands_and_many_known_conversations_never_stall_the_store(world) -> None:
    stores, commands = world
    ledger = stores.ledger
    n = 6 * UPDATES_PER_COMMAND + 10  # more updates of existing documents than FerretDB v1 survives in one command
    first = [message(f"facebook:1:c{i}", f"p{i}", NOW - timedelta(hours=1)) for i in range(n)]
    commands.seen.clear()
    await ledger.record_inbound_many(first)
    chunks = -(-n // UPDATES_PER_COMMAND)
    assert commands.seen == {"update conversation_ledger": chunks, "insert thread_index": 1}  # not 2 per message

    later = [message(f"facebook:1:c{i}", f"q{i}", NOW) for i in range(n)]  # every conversation known now
    commands.seen.clear()
    await ledger.record_inbound_many(later)
    assert commands.seen == {"update conversation_ledger": chunks, "insert thread_index": 1}
    assert {d["last_inbound_at"] async for d in ledger.conversations.find({})} == {NOW}

    commands.seen.clear()
    await ledger.record_inbound_many(later)  # replayed: every thread id is known, each gets its $set again
    assert commands.seen == {"update conversation_ledger": chunks, "insert thread_index": 1,
                             "update thread_index": chunks}
    assert await ledger.threads.count_documents({}) == 2 * n
    assert await ledger.conversation_of("facebook", "1", f"q{n - 1}") == f"facebook:1:c{n - 1}"
