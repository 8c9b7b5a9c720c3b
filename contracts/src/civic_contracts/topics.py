"""Topic names, each with its key and value model. Versioned: `<name>.v1`."""

from pydantic import BaseModel, ConfigDict

from civic_contracts.alerts import DutyAlertProgress, OpsAlert
from civic_contracts.commands import InboxCommand
from civic_contracts.common import Channel, ConversationKey
from civic_contracts.conversation_events import ConversationEvent, DutyAlert
from civic_contracts.correction import TriageCorrection
from civic_contracts.deadletter import DeadLetter
from civic_contracts.inbound import InboundMessage
from civic_contracts.incident import Incident
from civic_contracts.outbound import ChannelHealth, OutboundCommand, ReplyStatus
from civic_contracts.records import PersonErased, RetentionApplied
from civic_contracts.revision import MessageRevision
from civic_contracts.triage import TriageResult


class TopicSpec(BaseModel):
    """A Kafka topic: its name, what its key is and what its values are."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    key: type[BaseModel] | None
    value: type[BaseModel]
    description: str


MESSAGE_RECEIVED = TopicSpec(
    name="message.received.v1",
    key=ConversationKey,
    value=InboundMessage,
    description="Every citizen message from every channel, normalised; published by connectors.",
)
MESSAGE_REVISED = TopicSpec(
    name="message.revised.v1",
    key=ConversationKey,
    value=MessageRevision,
    description="Edits and deletions of citizen messages that platforms report; published by connectors, kept as "
    "versions by responder, edits classified again by triage.",
)
MESSAGE_TRIAGED = TopicSpec(
    name="message.triaged.v1",
    key=ConversationKey,
    value=TriageResult,
    description="Triage's decision for each message; published by triage, read by responder.",
)
DEAD_LETTER = TopicSpec(
    name="deadletter.v1",
    key=None,
    value=DeadLetter,
    description="Events any service could not process, with the reason and the original bytes.",
)

REPLY_STATUS = TopicSpec(
    name="reply.status.v1",
    key=ConversationKey,
    value=ReplyStatus,
    description="The outcome of every outbound command (sent, failed, waiting); published by connectors.",
)
CHANNEL_HEALTH = TopicSpec(
    name="channel.health.v1",
    key=None,
    value=ChannelHealth,
    description="Health of each connector account; published by connectors, read by ops views.",
)
OUTBOUND: dict[Channel, TopicSpec] = {
    channel: TopicSpec(
        name=f"reply.outbound.{channel.value}.v1",
        key=ConversationKey,
        value=OutboundCommand,
        description=f"Replies and moderation actions to carry out on {channel.value}; read by its connector.",
    )
    for channel in Channel
}

INBOX_COMMAND = TopicSpec(
    name="inbox.command.v1",
    key=ConversationKey,
    value=InboxCommand,
    description="Every staff action from the inbox API (reply, approve, handover, assign, ...); read by responder.",
)
CONVERSATION_EVENT = TopicSpec(
    name="conversation.event.v1",
    key=ConversationKey,
    value=ConversationEvent,
    description="What happened to each conversation (no citizen text); published by responder for live views.",
)
DUTY_ALERT = TopicSpec(
    name="duty.alert.v1",
    key=ConversationKey,
    value=DutyAlert,
    description="Critical conversations for the person on the duty rota, any hour; published by responder.",
)
DUTY_ALERT_PROGRESS = TopicSpec(
    name="duty.alert.progress.v1",
    key=ConversationKey,
    value=DutyAlertProgress,
    description="Each step of a duty alert (notified, escalated, acknowledged); published by notifier, recorded by responder.",
)
OPS_ALERT = TopicSpec(
    name="ops.alert.v1",
    key=None,
    value=OpsAlert,
    description="Alerts about official accounts (a post we did not send, outbound bursts, silence); published by "
    "connectors, sent to people by notifier, recorded by responder.",
)
TRIAGE_CORRECTION = TopicSpec(
    name="triage.correction.v1",
    key=ConversationKey,
    value=TriageCorrection,
    description="A person's correction of triage's routing or urgency; published by responder, read by triage.",
)

INCIDENT = TopicSpec(
    name="incident.v1",
    key=None,
    value=Incident,
    description="Surges of messages on one subject (opened, updated, closed), keyed by incident id; published by triage.",
)
RECORDS_ERASED = TopicSpec(
    name="records.erased.v1",
    key=None,
    value=PersonErased,
    description="A person's personal data was erased (keyed by request); published by responder, connectors erase "
    "their copy. Carries personal data: short retention from the records schedule.",
)
RECORDS_RETENTION = TopicSpec(
    name="records.retention.v1",
    key=None,
    value=RetentionApplied,
    description="The retention schedule was applied (cutoffs and the holds in force); published by responder, "
    "connectors apply it to their own records. Short retention from the records schedule.",
)
# Topics that carry a person's identifiers for records management: their retention is the schedule's shortest.
RECORDS_TOPICS = (RECORDS_ERASED.name, RECORDS_RETENTION.name)

TOPICS: dict[str, TopicSpec] = {
    t.name: t
    for t in (
        MESSAGE_RECEIVED, MESSAGE_REVISED, MESSAGE_TRIAGED, DEAD_LETTER, REPLY_STATUS, CHANNEL_HEALTH, *OUTBOUND.values(),
        INBOX_COMMAND, CONVERSATION_EVENT, DUTY_ALERT, DUTY_ALERT_PROGRESS, OPS_ALERT, TRIAGE_CORRECTION, INCIDENT,
        RECORDS_ERASED, RECORDS_RETENTION,
    )
}


def topic(name: str) -> TopicSpec:
    """The topic of that name; KeyError names the unknown topic."""
    return TOPICS[name]
