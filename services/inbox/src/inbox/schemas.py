"""What the inbox API returns: conversations with their messages and triage."""

from datetime import datetime
from typing import Annotated

from civic_contracts import (
    Attachment,
    Author,
    MessageDeletion,
    MessageKind,
    MessageVersion,
    ReplyState,
    StoredConversation,
    TriageResult,
)
from civic_contracts.commands import CloseReason
from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class MessageView(BaseModel):
    id: str = Field(description="Message id (`InboundMessage.id`).")
    platform_message_id: str = Field(description="The platform's id of the message.")
    kind: MessageKind
    author: Author
    text: str = Field(description="Citizen text: untrusted, render as text only.")
    sent_at: datetime
    received_at: datetime | None = None
    permalink: str | None = None
    in_reply_to: str | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    triage: TriageResult | None = Field(default=None, description="Triage's decision, once made.")
    trace_id: str | None = Field(default=None, description="Trace id of the hop that received it (open it in the trace UI).")
    edited_at: datetime | None = Field(default=None, description="When the platform last reported an edit of it.")
    versions: list[MessageVersion] = Field(default_factory=list, description="Its earlier versions (edits the platform "
                                           "reported), each with when it was written and who replaced it.")
    deleted: MessageDeletion | None = Field(default=None, description="Set when the platform reported it deleted; "
                                            "`text` is then the archived copy.")


class ConversationView(StoredConversation):
    """A conversation as the API returns it: the stored record (`civic_contracts.StoredConversation`, the one
    definition responder writes) with its citizen messages."""

    model_config = ConfigDict(extra="ignore")

    messages: list[MessageView] = Field(default_factory=list, description="Citizen messages, oldest first.")


class ConversationPage(BaseModel):
    items: list[ConversationView]
    page: int
    page_size: int
    total: int = Field(description="Conversations matching the filters, on every page.")


class Accepted(BaseModel):
    """The action was queued as a command; follow it at `follow`."""

    command_id: str = Field(description="Id of the command; also the reply id for a reply.")
    status: str = Field(default="accepted")
    follow: str = Field(description="Where to follow it: `GET /api/commands/{command_id}`.")


class CommandState(BaseModel):
    command_id: str
    action: str | None = None
    conversation_key: str | None = None
    status: str = Field(description="pending (not yet carried out), processing, done or rejected.")
    reason: str | None = Field(default=None, description="Why it was rejected.")
    result: dict = Field(default_factory=dict, description="What it produced (reply id and status, case reference, ...).")


class ReplyView(BaseModel):
    id: str
    purpose: str = Field(description="reply, holding, private_opening or hide_comment.")
    status: ReplyState = Field(description="Where the reply stands.")
    text: str | None = None
    language: str | None = None
    channel: str
    account_id: str
    action: str
    public: bool = False
    requested_by: dict
    requested_at: datetime
    checks: list[dict] = Field(default_factory=list, description="Why it was held back, if it was.")
    approval: dict = Field(default_factory=dict)
    case_reference: str | None = None
    platform_message_id: str | None = None
    error_message: str | None = None
    history: list[dict] = Field(default_factory=list)


class NoteView(BaseModel):
    id: str
    text: str = Field(description="Staff text: render as text only.")
    at: datetime
    by: dict


class EventView(BaseModel):
    id: str
    type: str
    at: datetime
    summary: str = Field(description="In English, as written.")
    phrase: dict | None = Field(default=None, description="The summary as a template and its values (`Phrase`), "
                                "for showing it in another language; absent on older events.")
    actor_id: str | None = None
    command_id: str | None = None
    status: str | None = None
    data: dict = Field(default_factory=dict)


class ConversationDetail(BaseModel):
    conversation: ConversationView
    replies: list[ReplyView]
    notes: list[NoteView]
    timeline: list[EventView]


class QueueCount(BaseModel):
    department: str | None
    waiting: int = Field(description="Open and unassigned.")
    assigned: int = Field(description="Open and with someone.")


class AuditEntry(BaseModel):
    id: str
    at: datetime
    actor: dict = Field(description="user_id, name, role (and departments, accounts) of who did it; `system` for responder.")
    action: str
    conversation_key: str | None = None
    account_id: str | None = Field(default=None, description="The official account acted from.")
    outcome: str = Field(description="done or rejected.")
    reason: str | None = None
    before: dict = Field(default_factory=dict)
    after: dict = Field(default_factory=dict)
    command_id: str | None = None
    details: dict = Field(default_factory=dict)


class AuditPage(BaseModel):
    items: list[AuditEntry]
    page: int
    page_size: int
    total: int


class HandoverView(BaseModel):
    id: str
    case_reference: str
    conversation_key: str
    department: str | None = None
    status: str = Field(description="open, citizen_replied (the citizen answered privately) or answered.")
    opened_by: dict
    opened_at: datetime
    age_minutes: int = Field(description="Minutes since it was opened.")
    due_at: datetime | None = None
    breached: bool = False
    private_channel: str | None = None
    private_conversation_key: str | None = None
    answered_at: datetime | None = None


class EvidenceView(BaseModel):
    id: str
    message_id: str
    conversation_key: str
    channel: str
    account_id: str | None = None
    author: dict | None = None
    author_key: str
    text: str | None = Field(default=None, description="The abusive text as written: render as text only.")
    sent_at: datetime | None = None
    permalink: str | None = None
    abuse: str | None = None
    source: str = Field(description="triage (labelled abusive) or hidden (a person hid it).")
    captured_by: str | None = None
    reason: str | None = None
    captured_at: datetime


class AuthorAbuse(BaseModel):
    author_key: str = Field(description="`<channel>:<platform id>`.")
    channel: str | None = None
    name: str | None = None
    count: int
    banned: bool = False
    last_at: datetime | None = None


class BulkClose(BaseModel):
    """Close these conversations (the bulk "no reply needed" of the inbox's "Not a request" view)."""

    model_config = ConfigDict(extra="forbid")

    keys: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = Field(
        min_length=1, max_length=100, description="Conversation keys.")
    reason: CloseReason | None = Field(default=CloseReason.NO_REPLY_NEEDED, description="Why (kept on each).")
    note: str | None = Field(default=None, max_length=2000, description="Why, for the record.")


class BulkQueued(BaseModel):
    key: str
    command_id: str
    follow: str


class BulkRefused(BaseModel):
    key: str
    status: int = Field(description="What closing it alone would have been answered: 403, 404, 409 or 503.")
    detail: str


class BulkResult(BaseModel):
    queued: list[BulkQueued] = Field(description="Queued: one command each, to follow.")
    refused: list[BulkRefused] = Field(description="Not queued, with the reason.")
