"""What responder publishes: outbound commands for the connectors, conversation events for live views,
duty alerts and triage corrections. Every record is keyed by conversation."""

from civic_contracts import ConversationEvent, DutyAlert
from civic_contracts.correction import TriageCorrection
from civic_contracts.outbound import OutboundCommand
from civic_contracts.topics import CONVERSATION_EVENT, DUTY_ALERT, OUTBOUND, TRIAGE_CORRECTION
from faststream.kafka import KafkaBroker


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

    async def duty_alert(self, alert: DutyAlert) -> None:
        await self.broker.publish(alert, topic=DUTY_ALERT.name, key=alert.conversation_key.encode())

    async def correction(self, correction: TriageCorrection) -> None:
        await self.broker.publish(correction, topic=TRIAGE_CORRECTION.name, key=correction.conversation_key.encode())
