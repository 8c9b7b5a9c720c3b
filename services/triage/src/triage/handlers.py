"""Kafka subscribers and publishers of triage; thin: the use cases live in `triage.service`."""

from collections.abc import Callable

from civic_contracts import InboundMessage, TriageCorrection
from civic_contracts.topics import INCIDENT, MESSAGE_RECEIVED, MESSAGE_TRIAGED, TRIAGE_CORRECTION
from civic_eventing import Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from triage.adapters import CorrectionStore
from triage.service import Surges, triage


def register(
    broker: KafkaBroker, *, group_id: str, classifier_ref: Callable, surges: Surges, corrections: CorrectionStore
) -> None:
    """Subscribe triage to inbound messages (classify, watch for surges) and to staff corrections."""
    results = broker.publisher(MESSAGE_TRIAGED.name, title="triage result", description=MESSAGE_TRIAGED.description)
    incidents = broker.publisher(INCIDENT.name, title="incident", description=INCIDENT.description)
    classify = Consumer(broker, service="triage", group=group_id)
    learn = Consumer(broker, service="triage", group=f"{group_id}.{TRIAGE_CORRECTION.name}")

    async def process(message: InboundMessage) -> None:
        result = triage(message, classifier_ref())
        await results.publish(result, key=result.conversation_key.encode())
        if (incident := surges.observe(message, result)) is not None:
            await incidents.publish(incident, key=incident.incident_id.encode())

    @broker.subscriber(
        MESSAGE_RECEIVED.name, group_id=group_id, auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR, title="classify inbound message",
    )
    async def on_message_received(msg: KafkaMessage) -> None:
        await classify.handle(msg, InboundMessage, process)

    @broker.subscriber(
        TRIAGE_CORRECTION.name, group_id=f"{group_id}.{TRIAGE_CORRECTION.name}", auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR, title="keep a staff correction as a labelled example",
    )
    async def on_correction(msg: KafkaMessage) -> None:
        await learn.handle(msg, TriageCorrection, corrections.add)
