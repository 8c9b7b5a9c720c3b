"""Consuming records in batches: parse each into its contract model, process different Kafka keys (for
Civic Inbox: conversations) concurrently while keeping the order within one key, retry and dead-letter each
record as `Consumer.handle` does, and let the subscriber commit the offsets once, after the whole batch.

Use it from a FastStream batch subscriber (`@broker.subscriber(topic, batch=True, max_records=...,
ack_policy=AckPolicy.NACK_ON_ERROR)` taking `msg: KafkaMessage`): `msg.raw_message` is then the tuple of
aiokafka records and `msg.body` their values. When `handle_batch` returns, FastStream acks the batch (one
commit of the consumed positions); when it raises (only a failure to dead-letter does), the batch is
nacked: every partition is rewound to its earliest record of the batch and the batch is read again, so
processing must be idempotent, as it must be for any at-least-once consumer.

`handle_bulk` is for a consumer whose whole work is one bulk write per batch (the connectors' ledger): one write
for every record of the batch, falling back to one record at a time (with the same dead-lettering) only when
the store refuses the bulk write.

Each record is processed inside its own consumer span whose parent is the producer span carried in the
record's W3C `traceparent` header (FastStream's own span covers the batch and only links to the records),
so a trace still runs from a webhook through every service that handles its message.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic

from faststream.kafka import KafkaBroker
from opentelemetry import trace
from opentelemetry.trace import Link, SpanKind, Status, StatusCode, TracerProvider
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from pydantic import ValidationError

from civic_eventing.consume import Consumer, Event, describe, unavailable

log = logging.getLogger(__name__)
_PROPAGATOR = TraceContextTextMapPropagator()


@dataclass(frozen=True)
class Record(Generic[Event]):
    """One parsed record of a batch: the contract model, its Kafka key (text), and the raw record."""

    event: Event
    key: str | None
    raw: Any
    body: bytes


def _headers(raw: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in raw.headers or ():
        out[str(name)] = value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)
    return out


class _RawMessage:
    """What `Consumer._dead_letter` needs of one record of a batch."""

    def __init__(self, raw: Any, body: bytes) -> None:
        self.raw_message = raw
        self.body = body


class BatchConsumer(Consumer):
    """`Consumer`'s rules for bad input, applied to a batch with concurrency across keys."""

    def __init__(
        self,
        broker: KafkaBroker,
        *,
        service: str,
        group: str | None = None,
        backoff_seconds: Sequence[float] = (0.2, 1.0, 3.0),
        tracer_provider: TracerProvider | None = None,
        concurrency: int = 64,
    ) -> None:
        super().__init__(broker, service=service, group=group, backoff_seconds=backoff_seconds)
        self.tracer = trace.get_tracer("civic_eventing.batch", tracer_provider=tracer_provider)
        self.concurrency = concurrency

    def parse(self, message: Any, model: type[Event]) -> tuple[list[Record[Event]], list[tuple[Any, bytes, ValidationError]]]:
        """(records that parse, in batch order; records that do not, with their error)."""
        raws = message.raw_message if isinstance(message.raw_message, tuple | list) else (message.raw_message,)
        bodies = message.body if isinstance(message.body, list) else [message.body]
        good: list[Record[Event]] = []
        bad: list[tuple[Any, bytes, ValidationError]] = []
        for raw, body in zip(raws, bodies, strict=True):
            body = body or b""
            try:
                event = model.model_validate_json(body)
            except ValidationError as exc:
                bad.append((raw, body, exc))
                continue
            key = raw.key.decode("utf-8", errors="replace") if isinstance(raw.key, bytes) else raw.key
            good.append(Record(event=event, key=key, raw=raw, body=body))
        return good, bad

    async def handle_batch(
        self,
        message: Any,
        model: type[Event],
        process: Callable[[Event], Awaitable[None]],
        *,
        before: Callable[[list[Event]], Awaitable[None]] | None = None,
        after: Callable[[list[Event]], Awaitable[None]] | None = None,
    ) -> list[Event]:
        """Parse every record of the batch `message` into `model` (dead-lettering what does not parse, with
        the reason), then `process` each event: records with different keys concurrently (up to
        `concurrency` keys at once), records with one key one after the other in offset order, each retried
        with backoff and dead-lettered after the last attempt.

        `before(events)` runs once before processing (e.g. to read in bulk what the batch needs) and
        `after(processed events)` once after it, whenever a record parsed (e.g. to write in bulk, or publish what
        the batch produced);
        a failure of either is retried like a record and then propagates, so the batch is read again.
        Returns the events processed (not dead-lettered)."""
        records, bad = self.parse(message, model)
        for raw, body, exc in bad:
            error_type, reason = describe(exc)
            await self._dead_letter(raw, _RawMessage(raw, body), reason=reason, error_type=error_type, attempts=1)
        if before is not None and records:
            await self._retrying("before the batch", lambda: before([r.event for r in records]))
        done = await self._each(records, process)
        if after is not None and records:  # also when every record was dead-lettered: what they began is written
            await self._retrying("after the batch", lambda: after(done))
        return done

    async def handle_bulk(
        self,
        message: Any,
        model: type[Event],
        write: Callable[[list[Event]], Awaitable[None]],
        write_one: Callable[[Event], Awaitable[None]],
    ) -> list[Event]:
        """For a batch whose whole work is one bulk write: parse the records (dead-lettering what does not parse,
        with the reason), then `write(events)` once for all of them, in batch order. While the store is
        unreachable the write waits for it (never dead-lettered); if it fails otherwise (a record the store
        refuses), the batch falls back to `write_one` per record, with `handle_batch`'s rules (order within a
        key, retries, then a dead letter for the record that still fails), so one bad record holds up no other.
        Both writes must be idempotent: a batch is read again after a crash. Returns the events written."""
        records, bad = self.parse(message, model)
        for raw, body, exc in bad:
            error_type, reason = describe(exc)
            await self._dead_letter(raw, _RawMessage(raw, body), reason=reason, error_type=error_type, attempts=1)
        if not records:
            return []
        events = [r.event for r in records]
        first = records[0].raw
        # One span for the bulk write, linked to every record's producer span (per-record spans would cost more
        # than the write they describe).
        contexts = (trace.get_current_span(_PROPAGATOR.extract(_headers(r.raw))).get_span_context() for r in records)
        links = [Link(c) for c in contexts if c.is_valid]
        attributes = {"messaging.system": "kafka", "messaging.destination.name": first.topic,
                      "messaging.operation": "process", "messaging.batch.message_count": len(records)}
        with self.tracer.start_as_current_span(f"{first.topic} process", kind=SpanKind.CONSUMER, links=links,
                                               attributes=attributes) as span:
            outage = None
            while True:
                try:
                    await write(events)
                    return events
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - the store down waits; anything else goes record by record
                    if unavailable(exc):
                        outage = await self.wait_out(first, exc, outage)
                        continue
                    span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                    log.warning("%s: the bulk write of %d records from %s failed (%s); writing them one by one",
                                self.service, len(records), first.topic, type(exc).__name__)
                    break
        return await self._each(records, write_one)

    async def _each(self, records: list[Record[Event]], process: Callable[[Event], Awaitable[None]]) -> list[Event]:
        """Process the records: different keys concurrently (up to `concurrency` at once), one key's records in
        offset order. Returns the events processed (not dead-lettered)."""
        by_key: dict[str | None, list[Record[Event]]] = {}
        for record in records:
            by_key.setdefault(record.key, []).append(record)
        gate = asyncio.Semaphore(self.concurrency)
        done: list[Event] = []

        async def run_key(group: list[Record[Event]]) -> None:
            async with gate:
                for record in group:
                    if await self.process_record(record, process):
                        done.append(record.event)

        await asyncio.gather(*(run_key(group) for group in by_key.values()))
        return done

    async def process_record(self, record: Record[Event], process: Callable[[Event], Awaitable[None]]) -> bool:
        """Process one record in its own consumer span (child of its producer's span), with retries; True
        when processed, False when dead-lettered. Only a failure to dead-letter propagates."""
        raw = record.raw
        parent = _PROPAGATOR.extract(_headers(raw))
        attributes = {"messaging.system": "kafka", "messaging.destination.name": raw.topic,
                      "messaging.kafka.destination.partition": raw.partition,
                      "messaging.kafka.message.offset": raw.offset, "messaging.operation": "process"}
        if raw.key is not None:
            attributes["messaging.kafka.message.key"] = raw.key
        with self.tracer.start_as_current_span(f"{raw.topic} process", context=parent, kind=SpanKind.CONSUMER,
                                               attributes=attributes) as span:
            attempts, attempt, outage = len(self.backoff_seconds) + 1, 1, None
            while True:
                try:
                    await process(record.event)
                    return True
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # noqa: BLE001 - every failure is retried, then dead-lettered
                    if unavailable(exc):  # the store, not the record: wait for it, never dead-letter
                        outage = await self.wait_out(raw, exc, outage)
                        continue
                    if attempt == attempts:
                        span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                        reason = f"failed after {attempts} attempts: {type(exc).__name__}: {exc}"
                        log.exception("%s: giving up on %s@%s", self.service, raw.topic, raw.offset)
                        await self._dead_letter(raw, _RawMessage(raw, record.body), reason=reason,
                                                error_type="processing_error", attempts=attempts)
                        return False
                    log.warning("%s: attempt %d failed (%s); retrying", self.service, attempt, exc)
                    await asyncio.sleep(self.backoff_seconds[attempt - 1])
                    attempt += 1

    async def _retrying(self, what: str, step: Callable[[], Awaitable[None]]) -> None:
        for attempt, pause in enumerate((*self.backoff_seconds, None), start=1):
            try:
                await step()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - retried, then propagated so the batch is read again
                if pause is None:
                    raise
                log.warning("%s: %s failed (attempt %d: %s); retrying", self.service, what, attempt, exc)
                await asyncio.sleep(pause)
