"""A store outage is not the record's fault: a consumer whose processing fails because the store is unreachable
waits for it and carries on, and dead-letters nothing (the fault suite's 30 s store outage dead-lettered every
message and triage result in flight, which then never reached their conversations). A failure of the record
itself is still retried, then dead-lettered."""

import asyncio

from civic_contracts import InboundMessage
from civic_eventing import Consumer
from civic_eventing.batch import BatchConsumer
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError
from test_consumer import Broker, Message, Record, valid_body


async def test_a_store_outage_is_waited_out_not_dead_lettered() -> None:
    broker, attempts = Broker(), []

    async def process(event) -> None:
        attempts.append(event.id)
        if len(attempts) <= 10:  # far more than the 3 retries a failing record gets
            raise (ServerSelectionTimeoutError if len(attempts) % 2 else AutoReconnect)("127.0.0.1:27017: refused")

    consumer = Consumer(broker, service="responder", backoff_seconds=(0, 0, 0))
    assert (await consumer.handle(Message(valid_body()), InboundMessage, process)).id == "messenger:1:m1"
    assert len(attempts) == 11 and broker.published == []


async def test_a_record_that_fails_after_an_outage_is_still_dead_lettered_after_its_own_retries() -> None:
    broker, attempts = Broker(), []

    async def process(event) -> None:
        attempts.append(1)
        if len(attempts) <= 5:
            raise ServerSelectionTimeoutError("store down")
        raise ValueError("this record cannot be applied")

    consumer = Consumer(broker, service="responder", backoff_seconds=(0, 0))
    assert await consumer.handle(Message(valid_body()), InboundMessage, process) is None
    assert len(attempts) == 5 + 3
    [(letter, _)] = broker.published
    assert letter.attempts == 3 and "cannot be applied" in letter.reason and "store down" not in letter.reason


async def test_a_batch_record_waits_out_the_outage_too() -> None:
    broker, attempts = Broker(), []

    async def process(event) -> None:
        attempts.append(1)
        if len(attempts) <= 6:
            raise ConnectionRefusedError("store down")

    class Batch:
        raw_message = (Record(offset=7),)
        body = [valid_body()]

    consumer = BatchConsumer(broker, service="responder", backoff_seconds=(0, 0))
    done = await asyncio.wait_for(consumer.handle_batch(Batch(), InboundMessage, process), timeout=10)
    assert [e.id for e in done] == ["messenger:1:m1"] and len(attempts) == 7 and broker.published == []
