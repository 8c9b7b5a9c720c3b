"""Reading and writing raw Kafka records in tests, with the real aiokafka client."""

import asyncio
import json
import time
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer


async def produce_raw(bootstrap: str, topic: str, value: bytes, key: bytes | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def find_records(
    bootstrap: str, topic: str, match: Callable[[dict], bool], *, count: int = 1, timeout: float = 30.0
) -> list[dict]:
    """JSON records of `topic`, read from the beginning without a consumer group, that `match`; waits until
    `count` of them have been seen or the timeout passes (then returns what it found)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    found: list[dict] = []
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(found) < count:
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    try:
                        value = json.loads(record.value)
                    except ValueError:
                        continue
                    if match(value):
                        found.append(value)
            await asyncio.sleep(0)
    finally:
        await consumer.stop()
    return found
