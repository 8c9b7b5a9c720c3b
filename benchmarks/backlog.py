"""A backlog: citizen messages written to `message.received.v1` as the connectors publish them (JSON of the
contract `InboundMessage`, keyed by conversation), while no service runs."""

from __future__ import annotations

import json
import random
import time
import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer
from civic_contracts import Author, Channel, InboundMessage, MessageKind
from civic_contracts.topics import MESSAGE_RECEIVED
from history import NAMES, TEXTS, comment_payload
from stack import PAGE_ID

HEADERS = [("content-type", b"application/json")]


def message(i: int, run: int, rng: random.Random, threads: list[str]) -> InboundMessage:
    """The i-th message: a new top-level comment, or (one in four) a reply in an earlier thread."""
    now = datetime.now(UTC)
    if threads and rng.random() < 0.25:
        thread = rng.choice(threads)
        comment = f"{thread.rsplit('_', 1)[0]}_{5 * 10**11 + run * 10**6 + i}"
    else:
        thread = comment = f"{PAGE_ID}_{3 * 10**9 + run}_{6 * 10**11 + i}"
        threads.append(thread)
    author, name = str(10**9 + rng.randrange(50_000)), rng.choice(NAMES)
    _, text = rng.choice(TEXTS)
    raw = json.dumps(comment_payload(thread, comment, author, name, text, int(now.timestamp())))
    return InboundMessage(
        id=f"facebook:{PAGE_ID}:{comment}", channel=Channel.FACEBOOK, account_id=PAGE_ID, platform_message_id=comment,
        conversation_key=f"facebook:{PAGE_ID}:{thread}", kind=MessageKind.PUBLIC_COMMENT,
        author=Author(platform_id=author, name=name), text=text, sent_at=now, received_at=now,
        in_reply_to=None if comment == thread else thread, raw_payload=raw)


def record_size() -> int:
    """Bytes of one record as the connectors publish it (the size Kafka's own tools are run with)."""
    return len(message(0, 0, random.Random(0), []).model_dump_json().encode())


async def produce(bootstrap: str, count: int, *, seed: int = 11) -> tuple[list[str], float]:
    """Write `count` messages; returns their ids and the seconds it took (acks=all, as the connectors)."""
    rng, run, threads = random.Random(seed), uuid.uuid4().int % 10**3, []
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=20, max_batch_size=256 * 1024)
    await producer.start()
    ids: list[str] = []
    started = time.perf_counter()
    try:
        pending = []
        for i in range(count):
            m = message(i, run, rng, threads)
            ids.append(m.id)
            pending.append(await producer.send(MESSAGE_RECEIVED.name, m.model_dump_json().encode(),
                                               key=m.conversation_key.encode(), headers=HEADERS))
            if len(pending) >= 5000:
                for future in pending:
                    await future
                pending = []
        for future in pending:
            await future
    finally:
        await producer.stop()
    return ids, time.perf_counter() - started
