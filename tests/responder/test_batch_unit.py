"""Responder's batch unit of work (`service/unit.py`) on the real Kafka and FerretDB: messages and triage results
consumed in batches as responder's subscribers consume them (`handlers.in_unit`) keep each conversation's order,
write their events, timeline and counters once per batch, and a batch read again (after a crash before its
offsets were committed) changes nothing; a batch that dies between its state writes and its end is carried out
again with every event; events Kafka refuses stay in the outbox for the relay."""

import asyncio
import uuid
from datetime import timedelta

import pytest
from civic_contracts import InboundMessage, TriageResult
from civic_contracts.topics import CONVERSATION_EVENT
from civic_eventing import BatchConsumer, KafkaSettings, ensure_topics
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from pymongo import AsyncMongoClient
from responder import handlers
from responder.adapters.kafka import OutboxPublisher, Publisher
from responder.adapters.mongo_outbox import Outbox
from responder.service import intake
from responder.service.unit import Unit
from responder_world import PAGE, World
from support.kafka import find_records

# The relay takes entries created strictly before its cut-off, and the store keeps milliseconds: a cut-off a second
# ahead takes everything, even what was written in this same millisecond.
EVERYTHING = timedelta(seconds=-1)

pytestmark = pytest.mark.integration


def messages_for(world: World, conversations: int, each: int) -> list[InboundMessage]:
    """`each` messages on each of `conversations` new conversations, interleaved, one millisecond apart."""
    run = uuid.uuid4().hex[:8]
    out = []
    for n in range(each):
        for c in range(conversations):
            at = world.clock.now + timedelta(milliseconds=len(out))
            pid = f"{run}-{c}-{n}"
            out.append(InboundMessage(
                id=f"facebook:{PAGE}:{pid}", channel="facebook", account_id=PAGE, platform_message_id=pid,
                conversation_key=f"facebook:{PAGE}:{run}-c{c}", kind="public_comment",
                author={"platform_id": f"author-{c}", "name": "Sam Hughes"}, text=f"message {n}", sent_at=at,
                received_at=at, raw_payload="{}"))
    return out


def result_for(message: InboundMessage, department: str = "parks_trees") -> TriageResult:
    return TriageResult(
        message_id=message.id, conversation_key=message.conversation_key, department=department, urgency="normal",
        sentiment={"label": "neutral", "score": 0.0}, abuse="none", language="en", confidence=0.9,
        needs_review=False, explanation={"summary": "test"}, classifier_version="test-1", classified_at=message.sent_at)


async def timeline(world: World, keys: set[str]) -> list[dict]:
    return [e async for e in world.db["timeline"].find({"conversation_key": {"$in": sorted(keys)}})]


async def consume(infra, world: World, topic: str, model, process, records: list, *, group: str) -> None:
    """Consume `records` from `topic` in batches as responder's subscribers do, until all were processed."""
    broker = KafkaBroker(infra.kafka_bootstrap_servers)
    consumer = BatchConsumer(broker, service="responder", group=group, backoff_seconds=(0, 0), concurrency=16)
    seen: set[str] = set()
    done = asyncio.Event()

    async def each(record) -> None:
        await process(record)
        seen.add(getattr(record, "message_id", None) or record.id)
        if len(seen) >= len({getattr(r, "message_id", None) or r.id for r in records}):
            done.set()

    @broker.subscriber(topic, group_id=group, auto_offset_reset="earliest", batch=True, max_records=40,
                       batch_timeout_ms=50, ack_policy=AckPolicy.NACK_ON_ERROR)
    async def handler(msg: KafkaMessage) -> None:
        await handlers.in_unit(consumer, msg, model, each, world.r)

    await broker.start()
    try:
        await asyncio.wait_for(done.wait(), timeout=90)
    finally:
        await broker.stop()


async def test_batches_keep_each_conversations_order_and_a_batch_read_again_changes_nothing(infra, world: World) -> None:
    run = uuid.uuid4().hex[:8]
    received_topic, triaged_topic = f"test.unit.received.{run}", f"test.unit.triaged.{run}"
    await ensure_topics(KafkaSettings(bootstrap_servers=infra.kafka_bootstrap_servers, client_id="test-unit",
                                      topics=(received_topic, triaged_topic, CONVERSATION_EVENT.name)))
    kafka = KafkaBroker(infra.kafka_bootstrap_servers)
    await kafka.connect()
    client = AsyncMongoClient(infra.mongodb_uri, tz_aware=True)
    world.r.publisher = OutboxPublisher(Publisher(kafka), Outbox(client, world.db.name))
    for user in ("pat", "rhi", "sam"):
        await world.add_user(user, "department_staff", ["parks_trees"])
    msgs = messages_for(world, conversations=6, each=5)
    keys = {m.conversation_key for m in msgs}
    try:
        for m in [*msgs, msgs[7]]:  # one message delivered twice
            await kafka.publish(m, topic=received_topic, key=m.conversation_key.encode())
        for m in msgs:
            await kafka.publish(result_for(m), topic=triaged_topic, key=m.conversation_key.encode())

        await consume(infra, world, received_topic, InboundMessage, lambda m: intake.on_message(world.r, m), msgs,
                      group=f"g1-{run}")
        await consume(infra, world, triaged_topic, TriageResult, lambda t: intake.on_triage(world.r, t), msgs,
                      group=f"g1t-{run}")

        entries = await timeline(world, keys)
        types = sorted(e["type"] for e in entries)
        assert types.count("message_received") == 30 and types.count("routed") == 30
        assert types.count("assigned") == 6  # each conversation auto-assigned once (parks_trees: least loaded)
        assert len({e["_id"] for e in entries}) == len(entries)
        events = await find_records(infra.kafka_bootstrap_servers, CONVERSATION_EVENT.name,
                                    lambda e: e.get("conversation_key") in keys, count=66)
        assert len(events) == 66
        for key in keys:  # one partition per conversation: Kafka's order is the order they were published in
            received = [e["data"]["message_id"] for e in events
                        if e["conversation_key"] == key and e["type"] == "message_received"]
            assert received == [m.id for m in msgs if m.conversation_key == key]
            conversation = await world.r.conversations.get(key)
            assert conversation["message_count"] == 5 and conversation["department"] == "parks_trees"
            assert conversation["last_inbound_id"] == [m.id for m in msgs if m.conversation_key == key][-1]
            assert conversation["assignee"] in ("pat", "rhi", "sam")
        assert await world.r.publisher.outbox.size() == 0
        loads = await world.r.conversations.counters.loads(["pat", "rhi", "sam"])
        assert sum(loads.values()) == 6
        revs = {k: (await world.r.conversations.get(k))["rev"] for k in keys}

        # A restarted process (it remembers nothing) reads both topics again: nothing changes, nothing is sent.
        world.r.recent = type(world.r.recent)()
        await consume(infra, world, received_topic, InboundMessage, lambda m: intake.on_message(world.r, m), msgs,
                      group=f"g2-{run}")
        await consume(infra, world, triaged_topic, TriageResult, lambda t: intake.on_triage(world.r, t), msgs,
                      group=f"g2t-{run}")
        assert len(await timeline(world, keys)) == len(entries)
        assert {k: (await world.r.conversations.get(k))["rev"] for k in keys} == revs
        assert [(await world.r.conversations.get(k))["message_count"] for k in sorted(keys)] == [5] * 6
        again = await find_records(infra.kafka_bootstrap_servers, CONVERSATION_EVENT.name,
                                   lambda e: e.get("conversation_key") in keys, count=67, timeout=5)
        assert len(again) == 66
        assert await world.r.conversations.counters.loads(["pat", "rhi", "sam"]) == loads
    finally:
        await kafka.stop()
        await client.close()


async def test_a_batch_that_dies_before_its_end_is_carried_out_again_with_every_event(world: World) -> None:
    msgs = messages_for(world, conversations=3, each=2)
    with Unit().active():  # the state is written, then the process dies before the batch's end
        for m in msgs:
            await intake.on_message(world.r, m)
    conversation = await world.r.conversations.get(msgs[0].conversation_key)
    assert conversation["message_count"] == 2
    assert world.published.events == [] and await timeline(world, {m.conversation_key for m in msgs}) == []

    world.r.recent = type(world.r.recent)()
    with Unit().active() as batch:  # Kafka delivers the batch again: its offsets were never committed
        for m in [*msgs, msgs[0]]:
            await intake.on_message(world.r, m)
        await batch.finish(world.r)
    assert [e.data["message_id"] for e in world.published.events] == [m.id for m in msgs]
    assert len(await timeline(world, {m.conversation_key for m in msgs})) == 6
    assert (await world.r.conversations.get(msgs[0].conversation_key))["message_count"] == 2  # not counted twice

    with Unit().active() as batch:  # and once it finished, a further delivery changes nothing
        for m in msgs:
            await intake.on_message(world.r, m)
        await batch.finish(world.r)
    assert len(world.published.events) == 6


class Refusing(Publisher):
    """Kafka refuses every event."""

    def __init__(self) -> None:
        self.calls = 0

    async def publish_events(self, events) -> list:
        self.calls += 1
        return [RuntimeError("Kafka is down")] * len(events)


async def test_events_kafka_refuses_at_a_batchs_end_stay_in_the_outbox_until_the_relay_sends_them(world: World) -> None:
    outbox = Outbox(world.db.client, world.db.name)
    world.r.publisher = OutboxPublisher(Refusing(), outbox)
    msgs = messages_for(world, conversations=2, each=2)
    with Unit().active() as batch:
        for m in msgs:
            await intake.on_message(world.r, m)
        await batch.finish(world.r)  # the batch ends (its offsets are committed): the events are safe
    assert await outbox.size() == 4
    assert len(await timeline(world, {m.conversation_key for m in msgs})) == 4

    world.r.recent = type(world.r.recent)()
    with Unit().active() as batch:  # read again: handled (on the timeline), so nothing is added
        for m in msgs:
            await intake.on_message(world.r, m)
        await batch.finish(world.r)
    assert await outbox.size() == 4

    world.r.publisher = OutboxPublisher(world.published, outbox)  # Kafka is back
    assert await world.r.publisher.relay(older_than=EVERYTHING) == 4
    assert sorted(e.data["message_id"] for e in world.published.events) == sorted(m.id for m in msgs)
    assert await outbox.size() == 0
