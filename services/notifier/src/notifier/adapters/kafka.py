"""What the notifier publishes: each step of a duty alert, keyed by conversation."""

from civic_contracts import DutyAlertProgress
from civic_contracts.topics import DUTY_ALERT_PROGRESS
from faststream.kafka import KafkaBroker


class Publisher:
    def __init__(self, broker: KafkaBroker) -> None:
        self.broker = broker

    async def progress(self, step: DutyAlertProgress) -> None:
        await self.broker.publish(step, topic=DUTY_ALERT_PROGRESS.name, key=step.conversation_key.encode())
