"""Kafka subscribers and publishers of triage; thin: the use cases live in `triage.service`."""

from collections.abc import Callable

from civic_contracts import InboundMessage, MessageRevision, TriageCorrection
from civic_contracts.topics import INCIDENT, MESSAGE_RECEIVED, MESSAGE_REVISED, MESSAGE_TRIAGED, TRIAGE_CORRECTION
from civic_eventing import BatchConsumer, Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from triage.adapters import CorrectionStore
from triage.service import Surges, triage


def register(
    broker: KafkaBroker, *, group_id: str, classifier_ref: Callable, surges: Surges, corrections: CorrectionStore,
    tracer_provider=None, batch_size: int = 500,
) -> None:
    """Subscribe triage to inbound messages (in batches: classify, watch for surges) and to staff corrections."""
    results = broker.publisher(MESSAGE_TRIAGED.name, title="triage result", description=MESSAGE_TRIAGED.description)
    incidents = broker.publisher(INCIDENT.name, title="incident", description=INCIDENT.description)
    # Conversations of a batch are classified and published side by side (their sends in flight together);
    # the messages of one conversation keep their order.
    classify = BatchConsumer(broker, service="triage", group=group_id, tracer_provider=tracer_provider)
    learn = Consumer(broker, service="triage", group=f"{group_id}.{TRIAGE_CORRECTION.name}")

    async def process(message: InboundMessage) -> None:
        result = triage(message, classifier_ref())
        await results.publish(result, key=result.conversation_key.encode())
        if (incident := surges.observe(message, result)) is not None:
            await incidents.publish(incident, key=incident.incident_id.encode())

    @broker.subscriber(
        MESSAGE_RECEIVED.name, group_id=group_id, auto_offset_reset="earliest", batch=True, max_records=batch_size,
        batch_timeout_ms=100, ack_policy=AckPolicy.NACK_ON_ERROR, title="classify inbound messages",
    )
    async def on_message_received(msg: KafkaMessage) -> None:
        await classify.handle_batch(msg, InboundMessage, process)

    @broker.subscriber(
        TRIAGE_CORRECTION.name, group_id=f"{group_id}.{TRIAGE_CORRECTION.name}", auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR, title="keep a staff correction as a labelled example",
    )
    async def on_correction(msg: KafkaMessage) -> None:
        await learn.handle(msg, TriageCorrection, corrections.add)

    # An edited message is classified again (an edit can turn a complaint into a threat); not counted for surges.
    revised = Consumer(broker, service="triage", group=f"{group_id}.{MESSAGE_REVISED.name}")

    async def reclassify(revision: MessageRevision) -> None:
        if revision.message is not None:
            result = triage(revision.message, classifier_ref())
            await results.publish(result, key=result.conversation_key.encode())

    @broker.subscriber(
        MESSAGE_REVISED.name, group_id=f"{group_id}.{MESSAGE_REVISED.name}", auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR, title="classify an edited message again",
    )
    async def on_message_revised(msg: KafkaMessage) -> None:
        await revised.handle(msg, MessageRevision, reclassify)
