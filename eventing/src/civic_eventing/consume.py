"""Consuming one event safely: parse into the contract model, process with retries, dead-letter on failure.

A poison record never stops a consumer: what does not parse is dead-lettered at once with the reason; what
fails to process is retried with backoff, then dead-lettered. Only a failure to write the dead letter
itself propagates, so the record is not committed and is read again.

A failure of the infrastructure rather than of the record (the store unreachable: any record would fail the
same way) is not the record's fault: it is retried until the store answers again, never dead-lettered (the
fault suite found a 30 s store outage dead-lettering every message and triage result in flight).
"""

import asyncio
import base64
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from civic_contracts import DeadLetter
from civic_contracts.topics import DEAD_LETTER
from faststream.kafka import KafkaBroker
from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)
Event = TypeVar("Event", bound=BaseModel)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def dead_letter(
    *,
    service: str,
    source: str,
    payload: bytes,
    group: str | None = None,
    reason: str,
    error_type: str,
    attempts: int = 1,
    headers: Mapping[str, Any] | None = None,
    key: bytes | str | None = None,
    partition: int | None = None,
    offset: int | None = None,
) -> DeadLetter:
    """A dead letter keeping the original bytes (as text when they are UTF-8, else base64)."""
    try:
        text, encoding = payload.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(payload).decode("ascii"), "base64"
    return DeadLetter(
        id=str(uuid.uuid4()),
        service=service,
        group=group,
        source=source,
        partition=partition,
        offset=offset,
        key=None if key is None else _text(key),
        reason=reason[:2000],
        error_type=error_type,
        attempts=attempts,
        payload=text,
        payload_encoding=encoding,
        headers={str(k): _text(v) for k, v in (headers or {}).items()},
        failed_at=datetime.now(UTC),
    )


def _unavailable_types() -> tuple[type[BaseException], ...]:
    try:  # every service that keeps state uses PyMongo; eventing itself does not depend on it
        from pymongo.errors import ConnectionFailure  # AutoReconnect, NetworkTimeout, ServerSelectionTimeoutError
    except ImportError:  # pragma: no cover - a service without PyMongo
        return (ConnectionError,)
    return (ConnectionFailure, ConnectionError)


UNAVAILABLE = _unavailable_types()


def unavailable(exc: BaseException) -> bool:
    """Whether the failure is the infrastructure's (the store or a peer unreachable), not the record's."""
    return isinstance(exc, UNAVAILABLE)


def describe(exc: ValidationError) -> tuple[str, str]:
    """(error_type, reason) for a model that failed to validate, naming the fields at fault."""
    errors = exc.errors(include_url=False, include_input=False)
    if any(e["type"] == "json_invalid" for e in errors):
        return "parse_error", "not valid JSON: " + "; ".join(e["msg"] for e in errors)
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in errors[:10]]
    return "validation_error", f"{exc.title} did not validate: " + "; ".join(parts)


class Consumer:
    """Runs a service's handling of one Kafka record with the project's rules for bad input."""

    def __init__(
        self,
        broker: KafkaBroker,
        *,
        service: str,
        group: str | None = None,
        backoff_seconds: Sequence[float] = (0.2, 1.0, 3.0),
    ) -> None:
        self.broker = broker
        self.service = service
        self.group = group
        self.backoff_seconds = tuple(backoff_seconds)

    async def handle(
        self,
        message: Any,
        model: type[Event],
        process: Callable[[Event], Awaitable[None]],
    ) -> Event | None:
        """Parse `message` (a FastStream `KafkaMessage`) into `model` and `process` it.

        Returns the event when processed, None when it was dead-lettered."""
        record = message.raw_message
        try:
            event = model.model_validate_json(message.body)
        except ValidationError as exc:
            error_type, reason = describe(exc)
            await self._dead_letter(record, message, reason=reason, error_type=error_type, attempts=1)
            return None
        attempts, attempt, outage = len(self.backoff_seconds) + 1, 1, None
        while True:
            try:
                await process(event)
                return event
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is retried, then dead-lettered
                if unavailable(exc):
                    outage = await self.wait_out(record, exc, outage)
                    continue
                if attempt == attempts:
                    reason = f"failed after {attempts} attempts: {type(exc).__name__}: {exc}"
                    log.exception("%s: giving up on %s@%s", self.service, record.topic, record.offset)
                    await self._dead_letter(
                        record, message, reason=reason, error_type="processing_error", attempts=attempts
                    )
                    return None
                log.warning("%s: attempt %d failed (%s); retrying", self.service, attempt, exc)
                await asyncio.sleep(self.backoff_seconds[attempt - 1])
                attempt += 1

    async def wait_out(self, record: Any, exc: BaseException, outage: list[float] | None) -> list[float]:
        """One pause while the infrastructure is unavailable (said in the log when it starts, then every 30 s);
        the attempt does not count towards dead-lettering. Returns [start, last said] of the outage."""
        now = time.monotonic()
        if outage is None or now - outage[1] >= 30:
            since = 0.0 if outage is None else now - outage[0]
            log.warning("%s: %s@%s waits for the infrastructure (%s: %.200s) for %.0fs; retried until it answers, "
                        "not dead-lettered", self.service, record.topic, record.offset, type(exc).__name__, exc, since)
            outage = [now if outage is None else outage[0], now]
        await asyncio.sleep(max(self.backoff_seconds, default=1.0))
        return outage

    async def _dead_letter(self, record: Any, message: Any, **details: Any) -> None:
        letter = dead_letter(
            service=self.service,
            group=self.group,
            source=record.topic,
            payload=message.body,
            headers=dict(record.headers or ()),
            key=record.key,
            partition=record.partition,
            offset=record.offset,
            **details,
        )
        log.warning("%s: dead-lettered %s@%s: %s", self.service, record.topic, record.offset, letter.reason)
        await self.broker.publish(letter, topic=DEAD_LETTER.name, key=letter.id.encode())
