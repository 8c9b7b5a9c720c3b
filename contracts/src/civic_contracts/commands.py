"""`inbox.command.v1`: what a member of staff asked the system to do, published by the inbox API.

The inbox API authenticates the person, checks their role and turns each action into one `InboxCommand`;
responder carries it out (it is the only writer of conversation state) and writes the audit entry. The
command `id` is the idempotency key: a command delivered twice is carried out once.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from civic_contracts.common import Channel
from civic_contracts.records import (
    ErasureCommand,
    FoiExportCommand,
    RecordsHoldCommand,
    RecordsReleaseHoldCommand,
    RetentionCommand,
    SubjectAccessCommand,
)
from civic_contracts.triage import Urgency


class StaffRole(StrEnum):
    """What a person may do (see the inbox README for the full matrix)."""

    AGENT = "agent"  # works the unified inbox: every department's conversations
    DEPARTMENT_STAFF = "department_staff"  # sees and acts on its own departments' conversations only
    SUPERVISOR = "supervisor"  # everything an agent does, plus approvals, assignment, bans, audit
    ADMIN = "admin"  # everything, plus staff accounts
    SYSTEM = "system"  # responder itself (automatic assignment, SLA jobs); never a person


class Actor(BaseModel):
    """Who issued the command, as the inbox API authenticated them at that moment."""

    model_config = ConfigDict(extra="forbid")

    user_id: str = Field(description="Staff user id (their username).")
    name: str = Field(description="Display name, for the audit log and the conversation history.")
    role: StaffRole = Field(description="Their role when they issued the command.")
    departments: list[str] = Field(default_factory=list, description="Department ids they belong to (`*` = every department).")
    accounts: list[str] = Field(default_factory=list, description="Official account ids they may reply from (`*` = every account).")
    languages: list[str] = Field(default_factory=lambda: ["en"], description="ISO 639-1 codes of the languages they answer in.")
    staff_since: date | None = Field(default=None, description="First working day, for the new-staff approval rule.")


class ReplyCommand(BaseModel):
    """Answer the citizen. Text is free, or a canned response filled with placeholders."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["reply"] = Field(default="reply", description="Discriminator.")
    text: str | None = Field(default=None, max_length=8000, description="Reply text; none when `canned_id` is given.")
    canned_id: str | None = Field(default=None, description="Id of a canned response to use instead of `text`.")
    language: str | None = Field(default=None, description="Language of a canned response (`en`, `cy`); default: the conversation's.")
    placeholders: dict[str, str] = Field(default_factory=dict, description="Values for the canned response's placeholders.")
    account_id: str | None = Field(default=None, description="Official account to reply from; default: the one the citizen wrote to.")
    private: bool = Field(default=False, description="Answer a public comment privately (private reply / DM) instead of in public.")
    await_citizen: bool = Field(default=False, description="After sending, wait for the citizen (status `waiting_on_citizen`).")
    seen_reply_count: int | None = Field(
        default=None, ge=0, description="Replies on the conversation when the agent started writing (collision guard)."
    )
    override_collision: bool = Field(default=False, description="Send although another person is replying or has replied since.")


class ApproveReplyCommand(BaseModel):
    """A supervisor approves a reply that waits for approval; it is sent."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["approve_reply"] = Field(default="approve_reply", description="Discriminator.")
    reply_id: str = Field(description="Id of the reply (the id of the command that requested it).")
    comment: str | None = Field(default=None, max_length=2000, description="Why, if the supervisor says.")


class RejectReplyCommand(BaseModel):
    """A supervisor rejects a reply that waits for approval; nothing is sent."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["reject_reply"] = Field(default="reject_reply", description="Discriminator.")
    reply_id: str = Field(description="Id of the reply (the id of the command that requested it).")
    reason: str = Field(min_length=1, max_length=2000, description="Why, for the agent who wrote it.")


class HandoverCommand(BaseModel):
    """Take the conversation offline: case reference, public holding reply, private thread."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["handover"] = Field(default="handover", description="Discriminator.")
    private_channel: Channel = Field(description="Where the private thread opens: messenger, instagram, x (DM), email, sms, whatsapp.")
    contact: str | None = Field(default=None, max_length=320, description="Email address or phone number, for email, SMS and WhatsApp.")
    holding_reply: Literal["private_message", "phone"] = Field(
        default="private_message", description="Which approved holding reply goes out in public."
    )
    placeholders: dict[str, str] = Field(default_factory=dict, description="Extra values for the holding reply and opening message.")
    reason: str | None = Field(default=None, max_length=2000, description="Why the case goes offline (for the audit log).")


class AssignCommand(BaseModel):
    """Assign to a person, or (no assignee) by the department's automatic policy."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["assign"] = Field(default="assign", description="Discriminator.")
    assignee: str | None = Field(default=None, description="User id; none = automatic (round robin or least loaded).")


class ClaimCommand(BaseModel):
    """The actor takes the conversation from the queue."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["claim"] = Field(default="claim", description="Discriminator.")


class ReleaseCommand(BaseModel):
    """The assignee gives the conversation back to the department queue."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["release"] = Field(default="release", description="Discriminator.")


class RerouteCommand(BaseModel):
    """Send the conversation to another department (and correct triage)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["reroute"] = Field(default="reroute", description="Discriminator.")
    department: str = Field(pattern=r"^[a-z0-9_]{1,64}$", description="Department id it belongs to.")
    urgency: Urgency | None = Field(default=None, description="Corrected urgency, if it was wrong.")
    reason: str | None = Field(default=None, max_length=2000, description="Why, for the audit log and triage.")


class HideCommentCommand(BaseModel):
    """Hide an abusive public comment on the platform and keep the evidence."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["hide_comment"] = Field(default="hide_comment", description="Discriminator.")
    message_id: str = Field(description="`InboundMessage.id` of the comment.")
    reason: str = Field(min_length=1, max_length=2000, description="Why it is hidden (kept with the evidence).")


class BanAuthorCommand(BaseModel):
    """Stop routing an author's messages to people (or lift that)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["ban_author"] = Field(default="ban_author", description="Discriminator.")
    banned: bool = Field(default=True, description="True to ban, false to lift the ban.")
    reason: str = Field(min_length=1, max_length=2000, description="Why (kept with the evidence).")


class NoteCommand(BaseModel):
    """A private note for colleagues; never sent to the citizen."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["note"] = Field(default="note", description="Discriminator.")
    text: str = Field(min_length=1, max_length=8000, description="The note.")


class ResolveCommand(BaseModel):
    """The citizen's matter is dealt with; a new message from them reopens it."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["resolve"] = Field(default="resolve", description="Discriminator.")
    note: str | None = Field(default=None, max_length=2000, description="Outcome, for the record.")


class CloseReason(StrEnum):
    """Why a conversation was closed, when it is one of the known reasons."""

    NO_REPLY_NEEDED = "no_reply_needed"


class CloseCommand(BaseModel):
    """Nothing more is done on the conversation."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["close"] = Field(default="close", description="Discriminator.")
    note: str | None = Field(default=None, max_length=2000, description="Why, for the record.")
    reason: CloseReason | None = Field(default=None, description="`no_reply_needed`: nothing to answer (thanks, "
                                       "news, a conversation between others); kept on the conversation (v1 additive).")


class ReplyingCommand(BaseModel):
    """The actor started (or stopped) writing a reply: others see it (collision guard)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["replying"] = Field(default="replying", description="Discriminator.")
    active: bool = Field(default=True, description="True when they start writing, false when they stop.")


class SetAbsenceCommand(BaseModel):
    """A person goes on leave (gets nothing new) or comes back; their open work can move in the same action."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["set_absence"] = Field(default="set_absence", description="Discriminator.")
    user_id: str = Field(description="Whose absence.")
    on_leave: bool = Field(description="True while away.")
    until: date | None = Field(default=None, description="Expected return, if known.")
    starts_at: datetime | None = Field(
        default=None, description="When the absence begins (UTC); none: now. A future start takes effect by itself."
    )
    ends_at: datetime | None = Field(
        default=None, description="When the absence ends by itself (UTC); none: at the start of `until`, or when someone says so."
    )
    move_open_work_to: str | None = Field(
        default=None, description="`queue` to return their open conversations to the queues, or a user id to move them to."
    )


class FreezeCommand(BaseModel):
    """Stop every send from one official account, or from all of them (a suspected compromise, an incident)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["freeze"] = Field(default="freeze", description="Discriminator.")
    account_id: str | None = Field(default=None, max_length=320, description="The account to freeze; none: every account.")
    reason: str = Field(min_length=1, max_length=2000, description="Why (shown to everyone while frozen, and audited).")


class UnfreezeCommand(BaseModel):
    """Ask to lift a freeze; it is lifted when a second admin (not the one who asked) asks too."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["unfreeze"] = Field(default="unfreeze", description="Discriminator.")
    account_id: str | None = Field(default=None, max_length=320, description="The frozen account; none: the freeze of every account.")
    reason: str = Field(min_length=1, max_length=2000, description="Why it is safe to send again.")
    holding_statement: str | None = Field(
        default=None, max_length=2000, description="A statement to publish from the account when it is lifted (a post, approved by both admins)."
    )


CommandBody = Annotated[
    ReplyCommand
    | ApproveReplyCommand
    | RejectReplyCommand
    | HandoverCommand
    | AssignCommand
    | ClaimCommand
    | ReleaseCommand
    | RerouteCommand
    | HideCommentCommand
    | BanAuthorCommand
    | NoteCommand
    | ResolveCommand
    | CloseCommand
    | ReplyingCommand
    | SetAbsenceCommand
    | FreezeCommand
    | UnfreezeCommand
    | RecordsHoldCommand
    | RecordsReleaseHoldCommand
    | SubjectAccessCommand
    | ErasureCommand
    | FoiExportCommand
    | RetentionCommand,
    Field(discriminator="action"),
]


class InboxCommand(BaseModel):
    """One action by a member of staff; keyed by conversation (or `user:<id>` for staff-wide actions)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Idempotency key: the same id is carried out once, however often delivered.")
    conversation_key: str | None = Field(
        default=None, description="Conversation acted on; none for staff-wide actions (absence)."
    )
    actor: Actor = Field(description="Who asked for it.")
    issued_at: datetime = Field(description="When the API accepted it (UTC).")
    body: CommandBody = Field(description="What to do; `body.action` names it.")

    def kafka_key(self) -> bytes:
        """The Kafka key: the conversation, so one conversation's commands are read in order."""
        if self.conversation_key is not None:
            return self.conversation_key.encode("utf-8")
        if self.body.action in ("freeze", "unfreeze"):
            return b"freeze"
        user = getattr(self.body, "user_id", None) or self.actor.user_id
        return f"user:{user}".encode()
