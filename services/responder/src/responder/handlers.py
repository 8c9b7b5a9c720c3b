"""Kafka subscribers of responder; thin: the rules live in `service` and `domain`."""

from civic_contracts import DutyAlertProgress, InboundMessage, InboxCommand, OpsAlert, TriageResult
from civic_contracts.outbound import ReplyStatus
from civic_contracts.topics import (
    DUTY_ALERT_PROGRESS,
    INBOX_COMMAND,
    MESSAGE_RECEIVED,
    MESSAGE_TRIAGED,
    OPS_ALERT,
    REPLY_STATUS,
)
from civic_eventing import Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from responder.service import commands, duty_progress, intake, replies, security_alerts
from responder.service.context import Responder


def register(broker: KafkaBroker, *, group_id: str, responder: Responder) -> None:
    def options(topic: str) -> dict:
        # One consumer group per subscription: the four consumers join and rebalance independently, so a
        # new member on one topic never stalls the commits of another.
        return {"group_id": f"{group_id}.{topic}", "auto_offset_reset": "earliest", "ack_policy": AckPolicy.NACK_ON_ERROR}

    def consumer(topic: str) -> Consumer:
        return Consumer(broker, service="responder", group=f"{group_id}.{topic}")

    received, triaged, inbox, status = (consumer(t.name) for t in (MESSAGE_RECEIVED, MESSAGE_TRIAGED, INBOX_COMMAND, REPLY_STATUS))

    @broker.subscriber(MESSAGE_RECEIVED.name, **options(MESSAGE_RECEIVED.name), title="store inbound message")
    async def on_message_received(msg: KafkaMessage) -> None:
        await received.handle(msg, InboundMessage, lambda m: intake.on_message(responder, m))

    @broker.subscriber(MESSAGE_TRIAGED.name, **options(MESSAGE_TRIAGED.name), title="apply triage result")
    async def on_message_triaged(msg: KafkaMessage) -> None:
        await triaged.handle(msg, TriageResult, lambda t: intake.on_triage(responder, t))

    @broker.subscriber(INBOX_COMMAND.name, **options(INBOX_COMMAND.name), title="carry out a staff command")
    async def on_inbox_command(msg: KafkaMessage) -> None:
        await inbox.handle(msg, InboxCommand, lambda c: commands.execute(responder, c))

    @broker.subscriber(REPLY_STATUS.name, **options(REPLY_STATUS.name), title="record a send's outcome")
    async def on_reply_status(msg: KafkaMessage) -> None:
        await status.handle(msg, ReplyStatus, lambda s: replies.on_status(responder, s))

    progress = consumer(DUTY_ALERT_PROGRESS.name)

    @broker.subscriber(DUTY_ALERT_PROGRESS.name, **options(DUTY_ALERT_PROGRESS.name), title="record a duty alert's step")
    async def on_duty_alert_progress(msg: KafkaMessage) -> None:
        await progress.handle(msg, DutyAlertProgress, lambda p: duty_progress.on_progress(responder, p))

    accounts = consumer(OPS_ALERT.name)

    @broker.subscriber(OPS_ALERT.name, **options(OPS_ALERT.name), title="record an account alert; page the rota for a security one")
    async def on_ops_alert(msg: KafkaMessage) -> None:
        await accounts.handle(msg, OpsAlert, lambda a: security_alerts.on_ops_alert(responder, a))
