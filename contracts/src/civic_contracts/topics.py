"""Topic names, each with its key and value model. Versioned: `<name>.v1`."""

from pydantic import BaseModel, ConfigDict

from civic_contracts.common import ConversationKey
from civic_contracts.deadletter import DeadLetter
from civic_contracts.inbound import InboundMessage
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

TOPICS: dict[str, TopicSpec] = {t.name: t for t in (MESSAGE_RECEIVED, MESSAGE_TRIAGED, DEAD_LETTER)}


def topic(name: str) -> TopicSpec:
    """The topic of that name; KeyError names the unknown topic."""
    return TOPICS[name]
