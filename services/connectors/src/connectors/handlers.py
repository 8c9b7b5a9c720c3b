"""Kafka subscribers of the connectors; thin: the sender and the ledger do the work."""

from civic_contracts import ConversationEvent, InboundMessage
from civic_contracts.outbound import OutboundCommand
from civic_contracts.topics import CONVERSATION_EVENT, MESSAGE_RECEIVED, OUTBOUND
from civic_eventing import BatchConsumer, Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from connectors.adapters.ledger import Ledger
from connectors.config import Settings
from connectors.open311_status import StatusFollower
from connectors.outbound.sender import Sender


def register(broker: KafkaBroker, *, settings: Settings, sender: Sender, ledger: Ledger,
             requests: StatusFollower | None = None, tracer_provider=None, batch_size: int = 500) -> None:
    ledger_group, outbound_group = f"{settings.group_id}-ledger", f"{settings.group_id}-outbound"
    recorded = BatchConsumer(broker, service="connectors", group=ledger_group, tracer_provider=tracer_provider)
    outbound = Consumer(broker, service="connectors", group=outbound_group)

    # In batches: one bulk write per batch, then one commit of the offsets (record by record only if the
    # store refuses the bulk write).
    @broker.subscriber(MESSAGE_RECEIVED.name, title="record last inbound time and thread of each message",
                       group_id=ledger_group, auto_offset_reset="earliest", batch=True, max_records=batch_size,
                       batch_timeout_ms=100, ack_policy=AckPolicy.NACK_ON_ERROR)
    async def on_message_received(msg: KafkaMessage) -> None:
        await recorded.handle_bulk(msg, InboundMessage, ledger.record_inbound_many, ledger.record_inbound)

    topics = [OUTBOUND[c].name for c in settings.outbound_channels]
    if topics:
        @broker.subscriber(*topics, title="send replies and moderation actions", group_id=outbound_group,
                           auto_offset_reset=settings.outbound_offset_reset, ack_policy=AckPolicy.NACK_ON_ERROR)
        async def on_outbound(msg: KafkaMessage) -> None:
            await outbound.handle(msg, OutboundCommand, sender.handle)

    if requests is not None:
        status_group = f"{settings.group_id}-open311"
        followed = Consumer(broker, service="connectors", group=status_group)

        @broker.subscriber(CONVERSATION_EVENT.name, title="Open311 request status follows its conversation",
                           group_id=status_group, auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR)
        async def on_conversation_event(msg: KafkaMessage) -> None:
            if requests.wants(msg.raw_message.key):
                await followed.handle(msg, ConversationEvent, requests.on_event)
