"""Civic Inbox contracts: the models every event on Kafka is written and read with.

Only pydantic and the standard library are imported here: no Kafka, MongoDB, HTTP or FastStream code.
Inside a topic version only optional fields are added; a breaking change is a new model on a new topic.
"""

from civic_contracts.alerts import DutyAlertProgress, DutyAlertStep, OpsAlert, OpsAlertKind
from civic_contracts.commands import Actor, InboxCommand, StaffRole
from civic_contracts.common import Channel, ConversationKey, MessageKind
from civic_contracts.conversation import (
    ConversationStatus,
    HandoverRole,
    ReplyState,
    StoredConversation,
)
from civic_contracts.conversation_events import ConversationEvent, ConversationEventType, DutyAlert, Phrase
from civic_contracts.correction import TriageCorrection
from civic_contracts.deadletter import DeadLetter
from civic_contracts.inbound import Attachment, Author, InboundMessage
from civic_contracts.incident import Incident, IncidentSample, IncidentStatus
from civic_contracts.permissions import ACTIONS, ActionRule, StaffAction
from civic_contracts.revision import MessageDeletion, MessageRevision, MessageVersion, RevisedBy, RevisionKind
from civic_contracts.topics import TOPICS, TopicSpec, topic
from civic_contracts.triage import (
    AbuseLabel,
    Explanation,
    Intent,
    IntentKind,
    MatchedPlace,
    PiiFinding,
    Sentiment,
    SentimentLabel,
    TriageResult,
    Urgency,
)

__all__ = [
    "MessageDeletion",
    "MessageRevision",
    "MessageVersion",
    "RevisedBy",
    "RevisionKind",
    "DutyAlertProgress",
    "DutyAlertStep",
    "OpsAlert",
    "OpsAlertKind",
    "ACTIONS",
    "ActionRule",
    "ConversationStatus",
    "HandoverRole",
    "ReplyState",
    "StaffAction",
    "StoredConversation",
    "Incident",
    "IncidentSample",
    "IncidentStatus",
    "TriageCorrection",
    "Actor",
    "ConversationEvent",
    "ConversationEventType",
    "DutyAlert",
    "Phrase",
    "InboxCommand",
    "StaffRole",
    "TOPICS",
    "AbuseLabel",
    "Attachment",
    "Author",
    "Channel",
    "ConversationKey",
    "DeadLetter",
    "Explanation",
    "InboundMessage",
    "Intent",
    "IntentKind",
    "MatchedPlace",
    "MessageKind",
    "PiiFinding",
    "Sentiment",
    "SentimentLabel",
    "TopicSpec",
    "TriageResult",
    "Urgency",
    "topic",
]
