"""`message.revised.v1`: a platform reports that a citizen message it delivered before was edited or deleted.

Connectors publish one `MessageRevision` per reported change (verified and normalised like any inbound event,
with a stable id so a redelivery is harmless); responder keeps every earlier version of the message and marks a
deletion without destroying the record; triage classifies an edited message again. `MessageVersion` and
`MessageDeletion` are how the stored message (responder's `messages` collection) keeps them, read by the inbox.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from civic_contracts.common import Channel
from civic_contracts.inbound import InboundMessage
from civic_contracts.triage import PiiFinding


class RevisionKind(StrEnum):
    """What happened to the message."""

    EDITED = "edited"
    DELETED = "deleted"


class RevisedBy(StrEnum):
    """Who changed the message, as far as the platform says."""

    AUTHOR = "author"  # the citizen who wrote it
    ACCOUNT = "account"  # the organisation's own account (a moderator of the Page, for example)
    PLATFORM = "platform"  # the platform itself, or someone the payload does not name


class MessageRevision(BaseModel):
    """One edit (with the new text) or deletion of a citizen message, as a platform reported it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(
        description="Stable event id: the message id, the kind of change and what tells changes apart (the edit's "
        "text digest or edit number), so a redelivery of the same report carries the same id."
    )
    message_id: str = Field(description="`InboundMessage.id` of the message that changed.")
    channel: Channel = Field(description="The platform the message is on.")
    account_id: str = Field(description="The organisation's own account on that platform.")
    platform_message_id: str = Field(description="The platform's id of the message that changed.")
    conversation_key: str = Field(
        description="The conversation the message belongs to, as the connector knows it; also the Kafka key. "
        "Responder files the change under the conversation it stored the message in."
    )
    kind: RevisionKind = Field(description="Edited or deleted.")
    text: str | None = Field(
        default=None,
        description="For an edit: the message text as it reads now (untrusted: escape when shown). None for a deletion.",
    )
    by: RevisedBy = Field(description="Who made the change, as far as the payload says.")
    actor_id: str | None = Field(
        default=None,
        description="The platform id of whoever the payload says made the change (personal data: compared with the "
        "message's author, never stored).",
    )
    revised_at: datetime = Field(description="When the platform says the change happened (or sent the report), UTC.")
    received_at: datetime = Field(description="When Civic Inbox received the report (UTC).")
    message: InboundMessage | None = Field(
        default=None,
        description="For an edit, when the payload carries everything a message needs: the message as it reads now "
        "(same id as the original), so triage can classify it again.",
    )
    raw_payload: str = Field(description="The untouched platform payload (the verified request body), kept for replay.")
    trace_id: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{32}$",
        description="W3C trace id of the hop that received the report, when that hop was traced.",
    )

    @model_validator(mode="after")
    def _text_matches_kind(self) -> "MessageRevision":
        if self.kind is RevisionKind.EDITED and self.text is None:
            raise ValueError("an edit carries the new text")
        if self.kind is RevisionKind.DELETED and (self.text is not None or self.message is not None):
            raise ValueError("a deletion carries no text")
        if self.message is not None and self.message.id != self.message_id:
            raise ValueError("the edited message keeps the original's id")
        return self


class MessageVersion(BaseModel):
    """An earlier version of a stored message, kept when the platform reported an edit."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(description="The text as it read in this version (untrusted).")
    written_at: datetime = Field(description="When this version was written (the message's time for the first one).")
    replaced_at: datetime | None = Field(default=None, description="When the next version replaced it.")
    replaced_by: RevisedBy = Field(description="Who made the edit that replaced it.")
    revision_id: str = Field(description="`MessageRevision.id` of the edit that replaced it.")
    pii: list[PiiFinding] = Field(
        default_factory=list, description="Personal data triage found in this version's text (for redaction)."
    )


class MessageDeletion(BaseModel):
    """How a stored message was deleted on its platform; the record and its text are kept (retention and erasure
    decide when they go)."""

    model_config = ConfigDict(extra="ignore")

    at: datetime = Field(description="When the platform says it was deleted.")
    by: RevisedBy = Field(description="Who deleted it.")
    revision_id: str = Field(description="`MessageRevision.id` of the deletion.")
