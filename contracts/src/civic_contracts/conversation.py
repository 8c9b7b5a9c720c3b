"""The stored conversation: the document responder (its only writer) keeps in the `conversations` collection,
read by the inbox and every other service that shows or counts conversations; its status and the states of
its replies. Who may do what from which state is in `civic_contracts.permissions`.

Stored with `_id` = the conversation key. Every field but the key is optional (an absent flag is false, an
absent count 0): a conversation is created by its first message and filled in as triage, people and
platforms act on it. Readers keep fields they do not
know (`extra="allow"`), so a writer adding an optional field never breaks a reader."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from civic_contracts.common import Channel, MessageKind
from civic_contracts.inbound import Author
from civic_contracts.triage import AbuseLabel, IntentKind, SentimentLabel, Urgency


class ConversationStatus(StrEnum):
    """Where a conversation stands."""

    NEW = "new"  # routed to a department's queue, nobody has it yet
    NEEDS_REVIEW = "needs_review"  # triage was unsure: a person checks the routing
    ASSIGNED = "assigned"  # someone has it
    WAITING_ON_CITIZEN = "waiting_on_citizen"  # answered, and the answer asked the citizen something
    REPLIED = "replied"  # answered
    HANDED_OVER = "handed_over"  # taken offline with a case reference
    RESOLVED = "resolved"  # done; the citizen writing again reopens it
    CLOSED = "closed"  # done and closed to further action


S = ConversationStatus
STATUSES: tuple[ConversationStatus, ...] = tuple(ConversationStatus)
# Done with: no longer in anyone's queue.
FINISHED: tuple[ConversationStatus, ...] = (S.RESOLVED, S.CLOSED)
OPEN: tuple[ConversationStatus, ...] = tuple(s for s in STATUSES if s not in FINISHED)
# A triage result may still move these: once a person has the conversation, routing is theirs.
UNTOUCHED: tuple[ConversationStatus, ...] = (S.NEW, S.NEEDS_REVIEW)
# A citizen writing again puts these back in front of a person.
ANSWERED: tuple[ConversationStatus, ...] = (S.REPLIED, S.WAITING_ON_CITIZEN, S.RESOLVED, S.CLOSED)


class ReplyState(StrEnum):
    """Where one reply (or holding reply, private opening, moderation action) stands."""

    BLOCKED = "blocked"  # held back by the checks; never sent
    AWAITING_APPROVAL = "awaiting_approval"  # waits for a supervisor
    APPROVED = "approved"  # may be sent; not yet handed to a connector
    SENDING = "sending"  # handed to a connector
    SENT = "sent"  # the platform accepted it
    FAILED = "failed"  # the platform refused it
    WAITING = "waiting"  # rate-limited or outside a messaging window: retried later
    REJECTED = "rejected"  # a supervisor refused it


# States a connector's answer may move a reply from (a sent reply stays sent).
DELIVERY_FROM: tuple[ReplyState, ...] = (ReplyState.APPROVED, ReplyState.SENDING, ReplyState.WAITING, ReplyState.FAILED)


class HandoverRole(StrEnum):
    """Which side of an offline handover a conversation is."""

    PUBLIC = "public"  # the public comment the holding reply answered
    PRIVATE = "private"  # the private thread the citizen is answered on


URGENCY_RANK: dict[str, int] = {Urgency.NORMAL: 0, Urgency.HIGH: 1, Urgency.CRITICAL: 2}


class Stored(BaseModel):
    """A part of a stored document: unknown fields are kept, enum values are stored as plain strings."""

    model_config = ConfigDict(extra="allow", use_enum_values=True, populate_by_name=True)


class StaffRef(Stored):
    """A person, as named on the conversation."""

    user_id: str = Field(description="Staff user id.")
    name: str | None = Field(default=None, description="Display name at the time.")


class Replying(Stored):
    """Someone said they are writing a reply (the collision guard)."""

    user_id: str = Field(description="Who is writing.")
    name: str | None = Field(default=None, description="Their display name.")
    since: datetime = Field(description="When they said so; it counts for a few minutes (`replying_seconds`).")


class SlaTarget(Stored):
    """What the clocks were planned for."""

    urgency: str | None = Field(default=None, description="Urgency the targets are for.")
    department: str | None = Field(default=None, description="Department whose targets apply.")
    calendar: str | None = Field(default=None, description="`business` (business hours and bank holidays) or `24x7`.")


class SlaClock(Stored):
    """One SLA clock: first response or resolution."""

    minutes: int | None = Field(default=None, description="Target, in minutes of the calendar.")
    due: datetime | None = Field(default=None, description="When it breaches.")
    warn_at: datetime | None = Field(default=None, description="When a warning is raised.")
    met_at: datetime | None = Field(default=None, description="When it was met (the clock stops).")
    warned: bool = Field(default=False, description="A warning was raised.")
    breached: bool = Field(default=False, description="It breached and that was raised.")


class SlaClocks(Stored):
    """The conversation's SLA clocks, planned when it is routed and again when its routing changes."""

    start: datetime | None = Field(default=None, description="When the clocks started (first or reopening message).")
    target: SlaTarget | None = Field(default=None, description="What the clocks were planned for.")
    first_response: SlaClock | None = Field(default=None, description="Until the first reply (or holding reply) is sent.")
    resolution: SlaClock | None = Field(default=None, description="Until it is resolved or closed.")


class StoredConversation(Stored):
    """One conversation as stored: the thread of a citizen's messages on one channel and account, its routing,
    who has it, its replies and handover, its SLA clocks. Written by responder only."""

    id: str = Field(validation_alias=AliasChoices("_id", "id"), description="Conversation key (`_id` when stored).")
    rev: int | None = Field(default=None, description="Incremented by every write: staff actions compare-and-set on it.")
    status: ConversationStatus = Field(default=ConversationStatus.NEW, description="Where the conversation stands.")
    channel: Channel | None = Field(default=None, description="The platform.")
    account_id: str | None = Field(default=None, description="The organisation's account the conversation is on.")
    kind: MessageKind | None = Field(default=None, description="Public comment, private message, email or form.")
    author: Author | None = Field(default=None, description="Whoever wrote first.")
    first_message_at: datetime | None = Field(default=None, description="When the first message was sent.")
    last_message_at: datetime | None = Field(default=None, description="When the newest message was sent.")
    last_inbound_id: str | None = Field(default=None, description="`_id` of the newest message the citizen sent "
                                        "(replies read it by `_id`, never by querying messages).")
    last_inbound_at: datetime | None = Field(default=None, description="When that newest citizen message was sent.")
    message_count: int = Field(default=0, description="Citizen messages threaded into it.")
    department: str | None = Field(default=None, description="Department it is routed to (taxonomy id).")
    urgency: Urgency | None = Field(default=None, description="Highest urgency seen (only ever rises, unless re-routed).")
    urgency_rank: int | None = Field(default=None, description="Urgency as a number for sorting: normal 0, high 1, critical 2.")
    sentiment: SentimentLabel | None = Field(default=None, description="Tone of the newest triaged message.")
    language: str | None = Field(default=None, description="ISO 639-1 code of the newest triaged message.")
    triage_confidence: float | None = Field(default=None, description="Confidence of the newest triage decision.")
    needs_review: bool = Field(default=False, description="Triage asked for a person to check the routing.")
    abuse: AbuseLabel | None = Field(default=None, description="Abuse label (remembered once seen).")
    intent: IntentKind | None = Field(default=None, description="What the conversation asks of the organisation, from "
                                      "its triaged messages: request, question, emergency or not_actionable.")
    not_a_request: str | None = Field(default=None, description="Set while nothing in it asks for action: triage's "
                                      "reason (thanks, praise, greeting, opinion, news, conversation, spam, empty). Such a "
                                      "conversation is in no department's queue, has no SLA clocks and is never "
                                      "assigned automatically; a later message that is a request clears it.")
    work_since: datetime | None = Field(default=None, description="When it became work after being not a request "
                                        "(its SLA clocks start there).")
    rerouted: bool = Field(default=False, description="A person re-routed it: triage no longer moves it.")
    rerouted_by: StaffRef | None = Field(default=None, description="Who re-routed it.")
    rerouted_at: datetime | None = Field(default=None, description="When it was re-routed.")
    assignee: str | None = Field(default=None, description="User id of the person who has it; none while in the queue.")
    assignee_name: str | None = Field(default=None, description="Their display name.")
    assigned_at: datetime | None = Field(default=None, description="When it was last assigned.")
    replying: Replying | None = Field(default=None, description="Someone writing a reply now (collision guard).")
    reply_ids: list[str] = Field(default_factory=list, description="Ids of the replies requested on it.")
    reply_count: int = Field(default=0, description="Replies requested so far (the collision guard's count).")
    last_reply_requested_at: datetime | None = Field(default=None, description="When the newest reply was requested.")
    last_reply_at: datetime | None = Field(default=None, description="When a reply to the citizen was last sent.")
    answered_at: datetime | None = Field(default=None, description="When the citizen was last answered.")
    reopened_at: datetime | None = Field(default=None, description="When the citizen last wrote again after an answer.")
    reopen_count: int = Field(default=0, description="Times it was reopened.")
    reopened_by: str | None = Field(default=None, description="Id of the citizen message that last reopened it.")
    reopened_from: ConversationStatus | None = Field(default=None, description="The status it was reopened from.")
    resolved_at: datetime | None = Field(default=None, description="When it was resolved.")
    closed_at: datetime | None = Field(default=None, description="When it was closed.")
    closed_reason: str | None = Field(default=None, description="Why it was closed, when the person said "
                                      "(`no_reply_needed`); cleared when it is closed again without one.")
    routing_blocked: bool = Field(default=False, description="The author is banned: not routed to people.")
    author_abuse_count: int = Field(default=0, description="Abusive messages by this author on this channel.")
    duty_alerts: dict[str, datetime] = Field(default_factory=dict, description="Duty alerts raised, by reason, and when.")
    sla: SlaClocks | None = Field(default=None, description="SLA clocks.")
    case_reference: str | None = Field(default=None, description="Case reference of an offline handover.")
    handover_id: str | None = Field(default=None, description="Id of the handover (its command id).")
    handover_role: HandoverRole | None = Field(default=None, description="Which side of the handover this is.")
    handed_over_at: datetime | None = Field(default=None, description="When it was handed over.")
    linked_conversations: list[str] = Field(default_factory=list, description="The other side of a handover.")

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> "StoredConversation":
        return cls.model_validate(doc)

    def to_document(self) -> dict[str, Any]:
        """The document as stored: the fields that were set, with `_id`."""
        doc = self.model_dump(mode="python", exclude_unset=True)
        doc["_id"] = doc.pop("id")
        return doc


def stored_models() -> tuple[type[BaseModel], ...]:
    """The stored models with a JSON Schema snapshot."""
    from civic_contracts.revision import MessageDeletion, MessageVersion

    return (StoredConversation, MessageVersion, MessageDeletion)
