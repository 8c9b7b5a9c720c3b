"""Kafka subscribers of responder; thin: storage rules live in the adapter and the domain."""

from civic_contracts import InboundMessage, TriageResult
from civic_contracts.topics import MESSAGE_RECEIVED, MESSAGE_TRIAGED
from civic_eventing import Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from responder.adapters.mongo import ConversationStore


def register(broker: KafkaBroker, *, group_id: str, store: ConversationStore) -> None:
    consumer = Consumer(broker, service="responder")
    options = {"group_id": group_id, "auto_offset_reset": "earliest", "ack_policy": AckPolicy.NACK_ON_ERROR}

    @broker.subscriber(MESSAGE_RECEIVED.name, title="store inbound message", **options)
    async def on_message_received(msg: KafkaMessage) -> None:
        await consumer.handle(msg, InboundMessage, store.store_message)

    @broker.subscriber(MESSAGE_TRIAGED.name, title="apply triage result", **options)
    async def on_message_triaged(msg: KafkaMessage) -> None:
        await consumer.handle(msg, TriageResult, store.store_triage)
