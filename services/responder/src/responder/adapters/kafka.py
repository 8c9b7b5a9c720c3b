"""What responder publishes: outbound commands for the connectors, conversation events for live views,
duty alerts and triage corrections. Every record is keyed by conversation.

`Publisher` sends to Kafka; `OutboxPublisher` (what the service runs with) writes each record to the
outbox first, then sends it, then marks it sent; `relay` sends what a failed or interrupted send left. The
events of a batch (`hold_events` then `send_events`) take one outbox write, one shared producer batch and
one removal, whatever their number."""

import logging
from datetime import UTC, datetime, timedelta

from civic_contracts import ConversationEvent, DutyAlert
from civic_contracts.correction import TriageCorrection
from civic_contracts.outbound import OutboundCommand
from civic_contracts.records import PersonErased, RetentionApplied
from civic_contracts.topics import (
    CONVERSATION_EVENT,
    DUTY_ALERT,
    OUTBOUND,
    RECORDS_ERASED,
    RECORDS_RETENTION,
    TRIAGE_CORRECTION,
)
from faststream.kafka import KafkaBroker
from pydantic import BaseModel

from responder.adapters.mongo_outbox import Outbox

log = logging.getLogger(__name__)
KINDS: dict[str, type[BaseModel]] = {
    "outbound": OutboundCommand, "event": ConversationEvent, "duty_alert": DutyAlert, "correction": TriageCorrection,
    "erased": PersonErased, "retention": RetentionApplied,
}


def record_id(record: BaseModel) -> str:
    """The record's stable id (a correction has none of its own: its message and when it was made)."""
    if isinstance(record, TriageCorrection):
        return f"{record.message_id}:{record.corrected_at.isoformat()}"
    return record.id


class Publisher:
    def __init__(self, broker: KafkaBroker) -> None:
        self.broker = broker
        self.outbound_topics = {channel.value: spec.name for channel, spec in OUTBOUND.items()}

    async def outbound(self, command: OutboundCommand) -> None:
        await self.broker.publish(
            command, topic=self.outbound_topics[command.channel.value], key=command.conversation_key.encode()
        )

    async def event(self, event: ConversationEvent) -> None:
        key = event.conversation_key or "staff"
        await self.broker.publish(event, topic=CONVERSATION_EVENT.name, key=key.encode())

    async def send_events(self, events: list[ConversationEvent]) -> None:
        """`publish_events`; nothing keeps an event Kafka did not take, so the first failure is raised."""
        if failed := next((e for e in await self.publish_events(events) if e is not None), None):
            raise failed

    async def publish_events(self, events: list[ConversationEvent]) -> list[Exception | None]:
        """Hand every event to the producer in order, then await each acknowledgement (so they travel in shared
        batches, not one round trip each); returns, per event, None when Kafka took it or the error."""
        handed: list = []
        for event in events:
            key = (event.conversation_key or "staff").encode()
            try:
                handed.append(await self.broker.publish(event, topic=CONVERSATION_EVENT.name, key=key,
                                                        correlation_id=event.id, no_confirm=True))
            except Exception as exc:  # noqa: BLE001 - reported per event
                handed.append(exc)
        outcomes: list[Exception | None] = []
        for ack in handed:
            if isinstance(ack, Exception):
                outcomes.append(ack)
                continue
            try:
                await ack
                outcomes.append(None)
            except Exception as exc:  # noqa: BLE001 - reported per event
                outcomes.append(exc)
        return outcomes

    async def duty_alert(self, alert: DutyAlert) -> None:
        await self.broker.publish(alert, topic=DUTY_ALERT.name, key=alert.conversation_key.encode())

    async def correction(self, correction: TriageCorrection) -> None:
        await self.broker.publish(correction, topic=TRIAGE_CORRECTION.name, key=correction.conversation_key.encode())

    async def erased(self, erased: PersonErased) -> None:
        await self.broker.publish(erased, topic=RECORDS_ERASED.name, key=erased.id.encode())

    async def retention(self, applied: RetentionApplied) -> None:
        await self.broker.publish(applied, topic=RECORDS_RETENTION.name, key=applied.id.encode())


class OutboxPublisher:
    """The publisher's interface, through the outbox: nothing responder decided to publish is lost when Kafka
    does not acknowledge it (it stays in the outbox and `relay` sends it later)."""

    def __init__(self, publisher, outbox: Outbox) -> None:
        self.publisher = publisher
        self.outbox = outbox

    async def outbound(self, command: OutboundCommand) -> None:
        await self._send("outbound", command)

    async def event(self, event: ConversationEvent) -> None:
        await self._send("event", event)

    async def duty_alert(self, alert: DutyAlert) -> None:
        await self._send("duty_alert", alert)

    async def correction(self, correction: TriageCorrection) -> None:
        await self._send("correction", correction)

    async def erased(self, erased: PersonErased) -> None:
        await self._send("erased", erased)

    async def retention(self, applied: RetentionApplied) -> None:
        await self._send("retention", applied)

    async def hold_events(self, events: list[ConversationEvent]) -> None:
        """Write the events to the outbox in one write: from here none of them is lost (a failure propagates)."""
        await self.outbox.put_many([(f"event:{e.id}", "event", e.model_dump(mode="json")) for e in events])

    async def send_events(self, events: list[ConversationEvent]) -> None:
        """Publish events already held in the outbox and remove those Kafka took in one write; the others stay
        for the relay."""
        publish = getattr(self.publisher, "publish_events", None)
        outcomes = await publish(events) if publish is not None else [await self._one(e) for e in events]
        sent = []
        for event, error in zip(events, outcomes, strict=True):
            if error is None:
                sent.append(f"event:{event.id}")
            else:
                log.warning("publishing event:%s failed (%s: %s); the outbox relay will send it", event.id,
                            type(error).__name__, error)
        if sent:
            await self.outbox.sent_many(sent)

    async def _one(self, event: ConversationEvent) -> Exception | None:
        try:
            await self.publisher.event(event)
        except Exception as exc:  # noqa: BLE001 - reported, kept in the outbox
            return exc
        return None

    async def _send(self, kind: str, record: BaseModel) -> None:
        entry_id = f"{kind}:{record_id(record)}"
        await self.outbox.put(entry_id, kind, record.model_dump(mode="json"))  # a failure here propagates
        try:
            await getattr(self.publisher, kind)(record)
        except Exception as exc:  # noqa: BLE001 - kept in the outbox; the relay sends it
            log.warning("publishing %s failed (%s: %s); the outbox relay will send it", entry_id, type(exc).__name__, exc)
            return
        await self.outbox.sent(entry_id)

    async def relay(self, *, older_than: timedelta = timedelta(seconds=10)) -> int:
        """Send every entry left unsent for longer than `older_than`; returns how many went. Stops at the first
        failure (Kafka is still unavailable): the next run tries again."""
        sent = 0
        for entry in await self.outbox.due(before=datetime.now(UTC) - older_than):
            record = KINDS[entry["kind"]].model_validate(entry["payload"])
            try:
                await getattr(self.publisher, entry["kind"])(record)
            except Exception as exc:
                await self.outbox.failed(entry["_id"], f"{type(exc).__name__}: {exc}")
                raise
            await self.outbox.sent(entry["_id"])
            sent += 1
        return sent
