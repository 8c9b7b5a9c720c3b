"""Kafka subscribers of the notifier; thin: the rules live in `service` and `domain`."""

from civic_contracts import DutyAlert, OpsAlert
from civic_contracts.topics import DUTY_ALERT, OPS_ALERT
from civic_eventing import Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from notifier.service import duty, ops
from notifier.service.context import Notifier


def register(broker: KafkaBroker, *, group_id: str, notifier: Notifier) -> None:
    def options(topic: str) -> dict:
        return {"group_id": f"{group_id}.{topic}", "auto_offset_reset": "earliest", "ack_policy": AckPolicy.NACK_ON_ERROR}

    alerts = Consumer(broker, service="notifier", group=f"{group_id}.{DUTY_ALERT.name}")
    accounts = Consumer(broker, service="notifier", group=f"{group_id}.{OPS_ALERT.name}")

    @broker.subscriber(DUTY_ALERT.name, **options(DUTY_ALERT.name), title="alert the person on duty")
    async def on_duty_alert(msg: KafkaMessage) -> None:
        await alerts.handle(msg, DutyAlert, lambda a: duty.on_alert(notifier, a))

    @broker.subscriber(OPS_ALERT.name, **options(OPS_ALERT.name), title="alert admins and ops about an account")
    async def on_ops_alert(msg: KafkaMessage) -> None:
        await accounts.handle(msg, OpsAlert, lambda a: ops.on_ops_alert(notifier, a))
