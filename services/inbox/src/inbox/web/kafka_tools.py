"""Reading Kafka for the ops and incident pages, on demand and without a consumer group (nothing is
committed, no group is joined): the newest records of a topic, consumer lag per group, and re-publishing a
dead letter's original bytes to the topic it came from."""

import asyncio
import contextlib
import time
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


async def partitions_of(bootstrap: str, topics: tuple[str, ...] | list[str]) -> list[TopicPartition]:
    """The partitions of those of `topics` that exist (a consumer's cached metadata does not know them yet;
    a producer fetches them, and only existing topics are asked for, so none is auto-created)."""
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, client_id="inbox-web-metadata")
    await probe.start()
    try:
        existing = await probe.topics()
    finally:
        await probe.stop()
    wanted = [t for t in topics if t in existing]
    if not wanted:
        return []
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, client_id="inbox-web-metadata")
    await producer.start()
    try:
        return [TopicPartition(t, p) for t in wanted for p in sorted(await producer.partitions_for(t))]
    finally:
        await producer.stop()


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp: int
    headers: tuple


async def tail(bootstrap: str, topic: str, *, per_partition: int = 200, timeout: float = 5.0) -> list[Record]:
    """The newest `per_partition` records of each partition of `topic` (empty if the topic does not exist)."""
    partitions = await partitions_of(bootstrap, [topic])
    if not partitions:
        return []
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                client_id="inbox-web-reader", request_timeout_ms=int(timeout * 1000))
    await consumer.start()
    found: list[Record] = []
    try:
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.beginning_offsets(partitions)
        pending = {}
        for tp in partitions:
            first = max(starts[tp], ends[tp] - per_partition)
            if ends[tp] > first:
                consumer.seek(tp, first)
                pending[tp] = ends[tp]
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            batch = await consumer.getmany(*pending, timeout_ms=300)
            for tp, records in batch.items():
                for r in records:
                    if r.offset < pending.get(tp, 0):
                        found.append(Record(r.topic, r.partition, r.offset, r.key, r.value, r.timestamp, tuple(r.headers or ())))
            for tp in list(pending):
                if await consumer.position(tp) >= pending[tp]:
                    del pending[tp]
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()
    return found


@dataclass(frozen=True)
class Lag:
    group: str
    topic: str
    lag: int
    partitions: int


async def consumer_lag(bootstrap: str, *, timeout: float = 5.0, limit_groups: int = 200) -> list[Lag]:
    """Messages not yet consumed, per consumer group and topic (groups that committed offsets)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="inbox-web-ops", request_timeout_ms=int(timeout * 1000))
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, client_id="inbox-web-ops")
    await admin.start()
    await consumer.start()
    try:
        groups = sorted({g[0] for g in await admin.list_consumer_groups()})[:limit_groups]
        committed = await asyncio.gather(*(admin.list_consumer_group_offsets(g) for g in groups), return_exceptions=True)
        wanted = {tp for offsets in committed if isinstance(offsets, dict) for tp in offsets}
        ends = await consumer.end_offsets(list(wanted)) if wanted else {}
        lags: list[Lag] = []
        for group, offsets in zip(groups, committed, strict=True):
            if not isinstance(offsets, dict):
                continue
            per_topic: dict[str, list[int]] = {}
            for tp, meta in offsets.items():
                if meta.offset >= 0:
                    per_topic.setdefault(tp.topic, []).append(max(0, ends.get(tp, meta.offset) - meta.offset))
            lags.extend(Lag(group, topic, sum(values), len(values)) for topic, values in per_topic.items())
        return sorted(lags, key=lambda entry: (-entry.lag, entry.group, entry.topic))
    finally:
        with contextlib.suppress(Exception):
            await consumer.stop()
        with contextlib.suppress(Exception):
            await admin.close()


async def republish(bootstrap: str, topic: str, *, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, client_id="inbox-web-replay")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key, headers=headers)
    finally:
        await producer.stop()
