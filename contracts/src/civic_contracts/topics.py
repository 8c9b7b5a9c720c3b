"""Topic names, each with its key and value model. Versioned: `<name>.v1`."""

from pydantic import BaseModel, ConfigDict

from civic_contracts.common import ConversationKey
from civic_contracts.deadletter import DeadLetter
from civic_contracts.common import Channel
from civic_contracts.inbound import InboundMessage
from civic_contracts.outbound import ChannelHealth, OutboundCommand, ReplyStatus
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

TOPICS: dict[str, TopicSpec] = {
    t.name: t
    for t in (MESSAGE_RECEIVED, MESSAGE_TRIAGED, DEAD_LETTER, REPLY_STATUS, CHANNEL_HEALTH, *OUTBOUND.values())
}


def topic(name: str) -> TopicSpec:
    """The topic of that name; KeyError names the unknown topic."""
    return TOPICS[name]
