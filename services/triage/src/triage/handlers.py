"""Kafka subscribers and publishers of triage; thin: the use case lives in `triage.service`."""

from civic_contracts import InboundMessage
from civic_contracts.topics import MESSAGE_RECEIVED, MESSAGE_TRIAGED
from civic_eventing import Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from triage.service import triage


def register(broker: KafkaBroker, *, group_id: str, classifier_ref) -> None:
    """Subscribe triage to `message.received.v1`; `classifier_ref()` returns the classifier in force."""
    consumer = Consumer(broker, service="triage", group=group_id)
    results = broker.publisher(MESSAGE_TRIAGED.name, title="triage result", description=MESSAGE_TRIAGED.description)

    async def process(message: InboundMessage) -> None:
        result = triage(message, classifier_ref())
        await results.publish(result, key=result.conversation_key.encode())

    @broker.subscriber(
        MESSAGE_RECEIVED.name,
        group_id=group_id,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title="classify inbound message",
    )
    async def on_message_received(msg: KafkaMessage) -> None:
        await consumer.handle(msg, InboundMessage, process)
