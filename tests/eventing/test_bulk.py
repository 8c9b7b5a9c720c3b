"""A batch whose work is one bulk write (`BatchConsumer.handle_bulk`), on the real Kafka: every record of a batch
in one write, in batch order; a record the store refuses falls back to one write per record so that only it is
dead-lettered (with its reason); while the store is unreachable the write waits, nothing is dead-lettered."""

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


async def _topic(infra) -> str:
    topic = f"test.bulk.{uuid.uuid4().hex[:8]}"
    await ensure_topics(KafkaSettings(bootstrap_servers=infra.kafka_bootstrap_servers, client_id="test-bulk",
                                      topics=(topic, DEAD_LETTER.name)))
    return topic


async def test_one_write_per_batch_and_a_refused_record_is_dead_lettered_alone(infra) -> None:
    topic = await _topic(infra)
    broker = KafkaBroker(infra.kafka_bootstrap_servers)
    consumer = BatchConsumer(broker, service="test", group=topic, backoff_seconds=(0, 0))
    bulk_writes: list[list[int]] = []
    written: dict[str, list[int]] = {}
    phase_done = asyncio.Event()
    wanted = 0

    def keep(items: list[Item]) -> None:
        for item in items:
            written.setdefault(item.key, []).append(item.n)
        if sum(map(len, written.values())) >= wanted:
            phase_done.set()

    async def write(items: list[Item]) -> None:
        if any(i.n == 13 for i in items):
            raise ValueError("the store refuses record 13")
        bulk_writes.append([i.n for i in items])
        keep(items)

    async def write_one(item: Item) -> None:
        if item.n == 13:
            raise ValueError("the store refuses record 13")
        keep([item])

    @broker.subscriber(topic, group_id=topic, auto_offset_reset="earliest", batch=True, max_records=500,
                       batch_timeout_ms=300, ack_policy=AckPolicy.NACK_ON_ERROR)
    async def handler(msg: KafkaMessage) -> None:
        await consumer.handle_bulk(msg, Item, write, write_one)

    await broker.connect()
    keys = ["a", "b", "c"]
    for n in range(12):  # phase 1: good records only, interleaved keys, all on one partition
        await broker.publish(Item(key=keys[n % 3], n=n), topic=topic, key=keys[n % 3].encode(), partition=0)
    wanted = 12
    await broker.start()
    try:
        await asyncio.wait_for(phase_done.wait(), timeout=60)
        assert [n for batch in bulk_writes for n in batch] == list(range(12))  # batch order, each record once
        assert max(map(len, bulk_writes)) > 1  # several records per write
        phase_done.clear()
        # phase 2: one record the store refuses, one that does not parse, among good ones
        wanted = 12 + 5
        for n in range(12, 18):
            await broker.publish(Item(key=keys[n % 3], n=n), topic=topic, key=keys[n % 3].encode(), partition=0)
        await broker.publish(b"{not json", topic=topic, key=b"a", partition=0)
        await asyncio.wait_for(phase_done.wait(), timeout=60)
    finally:
        await broker.stop()
    for key in keys:  # every record but the refused one, in order within its key
        assert written[key] == [n for n in range(18) if n % 3 == keys.index(key) and n != 13]
    letters = await find_records(infra.kafka_bootstrap_servers, DEAD_LETTER.name, lambda d: d.get("source") == topic,
                                 count=2)
    by_type = {d["error_type"]: d for d in letters}
    assert set(by_type) == {"parse_error", "processing_error"}
    refused = by_type["processing_error"]
    assert "refuses record 13" in refused["reason"] and json.loads(refused["payload"]) == {"key": "b", "n": 13}


async def test_while_the_store_is_unreachable_the_bulk_write_waits_and_nothing_is_dead_lettered(infra) -> None:
    topic = await _topic(infra)
    broker = KafkaBroker(infra.kafka_bootstrap_servers)
    consumer = BatchConsumer(broker, service="test", group=topic, backoff_seconds=(0, 0.05))
    attempts: list[int] = []
    written: list[int] = []
    one_by_one: list[int] = []
    done = asyncio.Event()

    async def write(items: list[Item]) -> None:
        attempts.append(len(items))
        if len(attempts) <= 3:
            raise ConnectionError("store unreachable")
        written.extend(i.n for i in items)
        if len(written) >= 8:
            done.set()

    async def write_one(item: Item) -> None:
        one_by_one.append(item.n)

    @broker.subscriber(topic, group_id=topic, auto_offset_reset="earliest", batch=True, max_records=100,
                       batch_timeout_ms=300, ack_policy=AckPolicy.NACK_ON_ERROR)
    async def handler(msg: KafkaMessage) -> None:
        await consumer.handle_bulk(msg, Item, write, write_one)

    await broker.connect()
    for n in range(8):
        await broker.publish(Item(key="k", n=n), topic=topic, key=b"k", partition=0)
    await broker.start()
    try:
        await asyncio.wait_for(done.wait(), timeout=60)
    finally:
        await broker.stop()
    assert len(attempts) > 3 and written == list(range(8)) and one_by_one == []
