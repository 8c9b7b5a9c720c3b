"""`conversation.event.v1` and `duty.alert.v1`: what happened to a conversation, published by responder.

Conversation events feed live views (the web app streams them) and anything else that follows the
lifecycle; they never carry citizen text. Duty alerts page the person on the duty rota.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from civic_contracts.triage import Urgency


class ConversationEventType(StrEnum):
    """The kinds of conversation event."""

    MESSAGE_RECEIVED = "message_received"
    MESSAGE_EDITED = "message_edited"  # the platform reported an edit; the earlier text is kept as a version
    MESSAGE_DELETED = "message_deleted"  # the platform reported a deletion; the record is kept
    REOPENED = "reopened"
    ROUTED = "routed"
    REROUTED = "rerouted"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    REPLYING = "replying"
    REPLY_REQUESTED = "reply_requested"
    REPLY_BLOCKED = "reply_blocked"
    REPLY_AWAITING_APPROVAL = "reply_awaiting_approval"
    REPLY_APPROVED = "reply_approved"
    REPLY_REJECTED = "reply_rejected"
    REPLY_SENDING = "reply_sending"
    REPLY_SENT = "reply_sent"
    REPLY_FAILED = "reply_failed"
    REPLY_WAITING = "reply_waiting"
    HANDOVER_OPENED = "handover_opened"
    HANDOVER_LINKED = "handover_linked"
    HANDOVER_ANSWERED = "handover_answered"
    NOTE_ADDED = "note_added"
    COMMENT_HIDDEN = "comment_hidden"
    AUTHOR_BANNED = "author_banned"
    AUTHOR_UNBANNED = "author_unbanned"
    STATUS_CHANGED = "status_changed"
    SLA_WARNING = "sla_warning"
    SLA_BREACHED = "sla_breached"
    DUTY_ALERT = "duty_alert"
    ABSENCE_CHANGED = "absence_changed"
    DUTY_ALERT_NOTIFIED = "duty_alert_notified"
    DUTY_ALERT_ESCALATED = "duty_alert_escalated"
    DUTY_ALERT_ACKNOWLEDGED = "duty_alert_acknowledged"
    DUTY_ALERT_EXHAUSTED = "duty_alert_exhausted"
    REPLY_HELD = "reply_held"
    OUTBOUND_FROZEN = "outbound_frozen"
    OUTBOUND_UNFREEZE_REQUESTED = "outbound_unfreeze_requested"
    OUTBOUND_UNFROZEN = "outbound_unfrozen"
    SECURITY_ALERT = "security_alert"
    COMMAND_REJECTED = "command_rejected"
    ERASED = "erased"  # a person's data was erased (records management); the key may have changed


Param = str | int | float | bool | None
WORDS = ("purpose", "close_reason", "clock", "reply_status")  # ids written as words in English (`holding_reply`)


class Phrase(BaseModel):
    """A text a service writes for people, as its English template and the values it names, so each reader sees
    it in their own language: the template is the key of every language's catalog (`%(name)s` placeholders), and
    a value whose name is a kind of label (`channel`, `department`, `status`, `urgency`, `by`, `purpose`, ...)
    is shown as that label in the reader's language. `english()` is the text as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    template: str = Field(max_length=500, description="English, with `%(name)s` placeholders; the catalog key.")
    params: dict[str, "Param | Phrase"] = Field(default_factory=dict, description="The values the template names "
                                                "(a value may be a phrase of its own, e.g. a refusal's reason).")

    @classmethod
    def of(cls, template: str, **params: "Param | Phrase") -> "Phrase":
        return cls(template=template, params=params)

    def english(self) -> str:
        def word(name: str, value: "Param | Phrase") -> object:
            if isinstance(value, Phrase):
                return value.english()
            return "" if value is None else str(value).replace("_", " ") if name in WORDS else value
        return self.template % {k: word(k, v) for k, v in self.params.items()}


class ConversationEvent(BaseModel):
    """One thing that happened; keyed by conversation (or `user:<id>` for staff-wide events)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Unique, stable id: the same event published twice carries the same id.")
    conversation_key: str | None = Field(description="Conversation it happened to; none for staff-wide events.")
    type: ConversationEventType = Field(description="What happened.")
    at: datetime = Field(description="When it happened (UTC).")
    actor_id: str | None = Field(default=None, description="Staff user who caused it; none for citizens and `system`.")
    command_id: str | None = Field(default=None, description="`InboxCommand.id` that caused it, if any (to follow a 202).")
    status: str | None = Field(default=None, description="Conversation status after the event, when it has one.")
    department: str | None = Field(default=None, description="Department of the conversation after the event (for filtering live views).")
    summary: str = Field(description="One line a person can read, in English; never citizen text.")
    phrase: Phrase | None = Field(default=None, description="The summary as a template and its values, for readers "
                                  "of other languages (absent on older events: show `summary`).")
    data: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="Details by name (reply id, reason, SLA target, case reference, ...)."
    )


class OnDuty(BaseModel):
    """A person on the duty rota."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Who is on duty.")
    contact: str = Field(description="How to reach them (pager id, phone number, email address).")
    phone: str | None = Field(default=None, description="Mobile number (E.164) for SMS alerts.")
    email: str | None = Field(default=None, description="Email address for email alerts.")


class DutyAlert(BaseModel):
    """A critical conversation: the person on duty must act now, any hour."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id: one alert per conversation and cause.")
    conversation_key: str = Field(description="Conversation to act on; also the Kafka key.")
    department: str | None = Field(default=None, description="Department triage routed it to.")
    urgency: Urgency = Field(description="Urgency (critical for a duty alert).")
    reason: str = Field(description="Why the alert was raised (`critical_message`, `sla_breach`, ...).")
    in_business_hours: bool = Field(description="Raised within business hours (else the out-of-hours rota).")
    on_duty: list[OnDuty] = Field(default_factory=list, description="Who is alerted, from the rota in force at `raised_at`.")
    escalation: list[OnDuty] = Field(
        default_factory=list, description="Who is alerted next, in order, when nobody acknowledges (the last is the fallback)."
    )
    raised_at: datetime = Field(description="When it was raised (UTC).")
