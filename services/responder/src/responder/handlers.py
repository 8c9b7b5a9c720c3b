"""Kafka subscribers of responder; thin: the rules live in `service` and `domain`.

Messages and triage results are taken in batches (`BatchConsumer`): the conversations of a batch are
handled side by side, the records of one conversation in order, each batch one unit of work (its events,
timeline and audit entries, counters written together at its end: `service/unit.py`), and the offsets are
committed once, after that. Staff commands, send outcomes and duty alert steps, which
are few, are taken one at a time."""

from civic_contracts import DutyAlertProgress, InboundMessage, InboxCommand, MessageRevision, OpsAlert, TriageResult
from civic_contracts.outbound import ReplyStatus
from civic_contracts.topics import (
    DUTY_ALERT_PROGRESS,
    INBOX_COMMAND,
    MESSAGE_RECEIVED,
    MESSAGE_REVISED,
    MESSAGE_TRIAGED,
    OPS_ALERT,
    REPLY_STATUS,
)
from civic_eventing import BatchConsumer, Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from responder.service import commands, duty_progress, intake, replies, revisions, security_alerts
from responder.service.context import Responder
from responder.service.unit import Unit


def register(broker: KafkaBroker, *, group_id: str, responder: Responder, tracer_provider=None,
             batch_size: int = 500, concurrency: int = 16) -> None:
    def options(topic: str) -> dict:
        # One consumer group per subscription: the four consumers join and rebalance independently, so a
        # new member on one topic never stalls the commits of another.
        return {"group_id": f"{group_id}.{topic}", "auto_offset_reset": "earliest", "ack_policy": AckPolicy.NACK_ON_ERROR}

    def batches(topic: str) -> dict:
        return {**options(topic), "batch": True, "max_records": batch_size, "batch_timeout_ms": 100}

    def batch_consumer(topic: str) -> BatchConsumer:
        return BatchConsumer(broker, service="responder", group=f"{group_id}.{topic}",
                             tracer_provider=tracer_provider, concurrency=concurrency)

    def consumer(topic: str) -> Consumer:
        return Consumer(broker, service="responder", group=f"{group_id}.{topic}")

    received, triaged = batch_consumer(MESSAGE_RECEIVED.name), batch_consumer(MESSAGE_TRIAGED.name)
    inbox, status = consumer(INBOX_COMMAND.name), consumer(REPLY_STATUS.name)

    async def flush_counters(_processed: list | None = None) -> None:
        await responder.conversations.counters.flush()

    @broker.subscriber(MESSAGE_RECEIVED.name, **batches(MESSAGE_RECEIVED.name), title="store inbound messages")
    async def on_message_received(msg: KafkaMessage) -> None:
        await in_unit(received, msg, InboundMessage, lambda m: intake.on_message(responder, m), responder)

    @broker.subscriber(MESSAGE_TRIAGED.name, **batches(MESSAGE_TRIAGED.name), title="apply triage results")
    async def on_message_triaged(msg: KafkaMessage) -> None:
        await in_unit(triaged, msg, TriageResult, lambda t: intake.on_triage(responder, t), responder)

    async def command(c: InboxCommand) -> None:
        await commands.execute(responder, c)
        await flush_counters()

    async def outcome(s: ReplyStatus) -> None:
        await replies.on_status(responder, s)
        await flush_counters()

    @broker.subscriber(INBOX_COMMAND.name, **options(INBOX_COMMAND.name), title="carry out a staff command")
    async def on_inbox_command(msg: KafkaMessage) -> None:
        await inbox.handle(msg, InboxCommand, command)

    @broker.subscriber(REPLY_STATUS.name, **options(REPLY_STATUS.name), title="record a send's outcome")
    async def on_reply_status(msg: KafkaMessage) -> None:
        await status.handle(msg, ReplyStatus, outcome)

    progress = consumer(DUTY_ALERT_PROGRESS.name)

    async def progress_step(p: DutyAlertProgress) -> None:
        await duty_progress.on_progress(responder, p)
        await flush_counters()

    @broker.subscriber(DUTY_ALERT_PROGRESS.name, **options(DUTY_ALERT_PROGRESS.name), title="record a duty alert's step")
    async def on_duty_alert_progress(msg: KafkaMessage) -> None:
        await progress.handle(msg, DutyAlertProgress, progress_step)

    accounts = consumer(OPS_ALERT.name)

    async def account_alert(a: OpsAlert) -> None:
        await security_alerts.on_ops_alert(responder, a)
        await flush_counters()

    @broker.subscriber(OPS_ALERT.name, **options(OPS_ALERT.name), title="record an account alert; page the rota for a security one")
    async def on_ops_alert(msg: KafkaMessage) -> None:
        await accounts.handle(msg, OpsAlert, account_alert)

    # Edits and deletions are rare; one that names a message not stored yet (its intake still under way) is
    # retried for some seconds, then dead-lettered with the reason.
    revised = Consumer(broker, service="responder", group=f"{group_id}.{MESSAGE_REVISED.name}",
                       backoff_seconds=(0.5, 2.0, 5.0, 10.0))

    async def revision(m: MessageRevision) -> None:
        await revisions.on_revision(responder, m)
        await flush_counters()

    @broker.subscriber(MESSAGE_REVISED.name, **options(MESSAGE_REVISED.name), title="keep an edit or deletion as a version")
    async def on_message_revised(msg: KafkaMessage) -> None:
        await revised.handle(msg, MessageRevision, revision)

async def in_unit(consumer: BatchConsumer, msg: KafkaMessage, model, process, responder: Responder) -> None:
    """One batch as one unit of work: its records processed by `consumer`, then what they gathered written at
    the end (retried, then the batch is read again), before FastStream commits the offsets."""
    with Unit().active() as batch:
        await consumer.handle_batch(msg, model, process, after=lambda _done: batch.finish(responder))
