"""Batch consumption on the real Kafka: the records of one key (conversation) are processed in order even
when interleaved with others in one batch, different keys are processed side by side, and a poison record
(unreadable, or failing every attempt) is dead-lettered with its reason while the rest of the batch is
processed and committed."""

import asyncio
import json
import uuid

import pytest
from civic_contracts.topics import DEAD_LETTER
from civic_eventing import BatchConsumer, KafkaSettings, ensure_topics
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from pydantic import BaseModel
from support.kafka import find_records

pytestmark = pytest.mark.integration


class Item(BaseModel):
    key: str
    n: int


async def test_a_batch_keeps_order_per_key_runs_keys_side_by_side_and_dead_letters_its_poison(infra) -> None:
    topic = f"test.batch.{uuid.uuid4().hex[:8]}"
    await ensure_topics(KafkaSettings(bootstrap_servers=infra.kafka_bootstrap_servers, client_id="test-batch",
                                      topics=(topic, DEAD_LETTER.name)))
    keys = [f"facebook:1:{k}" for k in "abcde"]
    broker = KafkaBroker(infra.kafka_bootstrap_servers)
    consumer = BatchConsumer(broker, service="test", group=topic, backoff_seconds=(0, 0), concurrency=8)
    seen: dict[str, list[int]] = {k: [] for k in keys}
    batch_sizes: list[int] = []
    in_flight, most_in_flight = 0, 0
    expected = 5 * 40 - 1  # one record of key "c" fails every attempt
    finished = asyncio.Event()

    async def process(item: Item) -> None:
        nonlocal in_flight, most_in_flight
        if item.key.endswith("c") and item.n == 7:
            raise RuntimeError("this record always fails")
        in_flight += 1
        most_in_flight = max(most_in_flight, in_flight)
        await asyncio.sleep(0.002)
        seen[item.key].append(item.n)
        in_flight -= 1
        if sum(map(len, seen.values())) == expected:
            finished.set()

    @broker.subscriber(topic, group_id=topic, auto_offset_reset="earliest", batch=True, max_records=500,
                       batch_timeout_ms=100, ack_policy=AckPolicy.NACK_ON_ERROR)
    async def handler(msg: KafkaMessage) -> None:
        batch_sizes.append(len(msg.raw_message))
        await consumer.handle_batch(msg, Item, process)

    await broker.connect()
    # Interleaved: a0 b0 c0 d0 e0 a1 b1 ..., all keys on the topic's partitions, plus one unreadable record.
    for n in range(40):
        for key in keys:
            await broker.publish(Item(key=key, n=n), topic=topic, key=key.encode())
        if n == 20:
            await broker.publish(b"{not json", topic=topic, key=keys[0].encode())
    await broker.start()
    try:
        await asyncio.wait_for(finished.wait(), timeout=60)
    finally:
        await broker.stop()

    assert seen[keys[2]] == [n for n in range(40) if n != 7]
    for key in keys[:2] + keys[3:]:
        assert seen[key] == list(range(40)), key
    assert max(batch_sizes) > 1  # records did arrive in batches
    assert most_in_flight > 1  # different conversations were processed at the same time
    letters = await find_records(infra.kafka_bootstrap_servers, DEAD_LETTER.name, lambda d: d.get("source") == topic,
                                 count=2)
    by_type = {d["error_type"]: d for d in letters}
    assert set(by_type) == {"parse_error", "processing_error"}
    assert "not valid JSON" in by_type["parse_error"]["reason"] and by_type["parse_error"]["payload"] == "{not json"
    failed = by_type["processing_error"]
    assert "this record always fails" in failed["reason"] and failed["attempts"] == 3
    assert json.loads(failed["payload"]) == {"key": keys[2], "n": 7} and failed["key"] == keys[2]


async def test_the_batch_is_read_again_when_it_cannot_be_finished(infra) -> None:
    """A failure of the batch's closing step (e.g. its bulk write) propagates after retries: nothing of the
    batch is committed, and the same records are delivered again to the next attempt."""
    topic = f"test.batch.{uuid.uuid4().hex[:8]}"
    await ensure_topics(KafkaSettings(bootstrap_servers=infra.kafka_bootstrap_servers, client_id="test-batch",
                                      topics=(topic,)))
    broker = KafkaBroker(infra.kafka_bootstrap_servers)
    consumer = BatchConsumer(broker, service="test", group=topic, backoff_seconds=(0,))
    deliveries: list[list[int]] = []
    done = asyncio.Event()

    async def after(items: list[Item]) -> None:
        if len(deliveries) == 1:
            raise ConnectionError("store unavailable")
        done.set()

    async def process(item: Item) -> None:
        deliveries[-1].append(item.n)

    @broker.subscriber(topic, group_id=topic, auto_offset_reset="earliest", batch=True, max_records=100,
                       batch_timeout_ms=100, ack_policy=AckPolicy.NACK_ON_ERROR)
    async def handler(msg: KafkaMessage) -> None:
        deliveries.append([])
        await consumer.handle_batch(msg, Item, process, after=after)

    await broker.connect()
    for n in range(10):
        await broker.publish(Item(key="k", n=n), topic=topic, key=b"k", partition=0)
    await broker.start()
    try:
        await asyncio.wait_for(done.wait(), timeout=60)
    finally:
        await broker.stop()
    first, *rest = [d for d in deliveries if d]
    assert first[0] == 0 and rest and rest[0][0] == 0  # the failed batch came again from its first record
    assert sorted(set(sum(deliveries, []))) == list(range(10))
