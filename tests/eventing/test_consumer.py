"""Consumer rules for bad input: parse errors dead-lettered at once, failures retried then dead-lettered,
and only a failure to write the dead letter propagates (so the record is read again)."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from civic_contracts import DeadLetter, InboundMessage
from civic_contracts.topics import DEAD_LETTER
from civic_eventing import Consumer, dead_letter


@dataclass
class Record:
    topic: str = "message.received.v1"
    partition: int = 2
    offset: int = 41
    key: bytes = b"facebook:1:2"
    headers: tuple = (("traceparent", b"00-abc-def-01"),)


@dataclass
class Message:
    body: bytes
    raw_message: Record = field(default_factory=Record)


class Broker:
    def __init__(self, fail: bool = False) -> None:
        self.published: list[tuple[DeadLetter, str]] = []
        self.fail = fail

    async def publish(self, letter, *, topic: str, key: bytes) -> None:
        if self.fail:
            raise ConnectionError("Kafka unavailable")
        self.published.append((letter, topic))


def valid_body() -> bytes:
    now = datetime.now(UTC).isoformat()
    return json.dumps({
        "id": "messenger:1:m1", "channel": "messenger", "account_id": "1", "platform_message_id": "m1",
        "conversation_key": "messenger:1:u", "kind": "private_message", "author": {"platform_id": "u"},
        "text": "hello", "sent_at": now, "received_at": now, "raw_payload": "{}",
    }).encode()


async def test_processed_event_is_returned_and_nothing_dead_lettered() -> None:
    broker, seen = Broker(), []

    async def process(event: InboundMessage) -> None:
        seen.append(event.id)

    consumer = Consumer(broker, service="triage", group="triage", backoff_seconds=(0, 0))
    assert (await consumer.handle(Message(valid_body()), InboundMessage, process)).id == "messenger:1:m1"
    assert seen == ["messenger:1:m1"] and broker.published == []


@pytest.mark.parametrize("body, error_type, reason", [
    (b"\xff\xfe not json", "parse_error", "not valid JSON"),
    (b'{"id": "x"}', "validation_error", "channel: Field required"),
])
async def test_unreadable_event_is_dead_lettered_at_once(body: bytes, error_type: str, reason: str) -> None:
    broker, calls = Broker(), []

    async def process(event) -> None:
        calls.append(event)

    consumer = Consumer(broker, service="responder", group="responder.message.received.v1")
    assert await consumer.handle(Message(body), InboundMessage, process) is None
    [(letter, topic)] = broker.published
    assert topic == DEAD_LETTER.name and calls == []
    assert letter.error_type == error_type and reason in letter.reason
    assert (letter.service, letter.group, letter.source) == ("responder", "responder.message.received.v1", "message.received.v1")
    assert (letter.partition, letter.offset, letter.key) == (2, 41, "facebook:1:2")
    assert letter.headers == {"traceparent": "00-abc-def-01"}
    if error_type == "parse_error":
        assert letter.payload_encoding == "base64"  # not UTF-8: kept byte for byte
    else:
        assert letter.payload == body.decode()


async def test_failing_processing_is_retried_then_dead_lettered() -> None:
    broker, attempts = Broker(), []

    async def process(event) -> None:
        attempts.append(event.id)
        raise RuntimeError("database unavailable")

    consumer = Consumer(broker, service="responder", backoff_seconds=(0, 0, 0))
    assert await consumer.handle(Message(valid_body()), InboundMessage, process) is None
    assert len(attempts) == 4
    [(letter, _)] = broker.published
    assert letter.error_type == "processing_error" and letter.attempts == 4 and "database unavailable" in letter.reason


async def test_a_transient_failure_succeeds_on_retry() -> None:
    broker, attempts = Broker(), []

    async def process(event) -> None:
        attempts.append(1)
        if len(attempts) < 2:
            raise TimeoutError("slow")

    consumer = Consumer(broker, service="triage", backoff_seconds=(0, 0))
    assert await consumer.handle(Message(valid_body()), InboundMessage, process) is not None
    assert len(attempts) == 2 and broker.published == []


async def test_failure_to_dead_letter_propagates_so_the_record_is_not_committed() -> None:
    consumer = Consumer(Broker(fail=True), service="triage")

    async def process(event) -> None:  # pragma: no cover - never reached
        raise AssertionError

    with pytest.raises(ConnectionError):
        await consumer.handle(Message(b"garbage"), InboundMessage, process)


def test_dead_letter_keeps_utf8_payload_as_text() -> None:
    letter = dead_letter(service="connectors", source="POST /webhooks/meta", payload='{"é": 1}'.encode(),
                         reason="bad", error_type="parse_error")
    assert letter.payload == '{"é": 1}' and letter.payload_encoding == "utf-8" and letter.group is None
