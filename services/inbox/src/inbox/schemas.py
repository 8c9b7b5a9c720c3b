"""What the inbox API returns: conversations with their messages and triage."""

from datetime import datetime

from civic_contracts import Attachment, Author, Channel, MessageKind, TriageResult
from pydantic import BaseModel, Field


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


class ConversationView(BaseModel):
    id: str = Field(description="Conversation key.")
    channel: Channel | None = None
    account_id: str | None = Field(default=None, description="The organisation's account the conversation is on.")
    kind: MessageKind | None = None
    status: str = Field(description="new, needs_review, assigned, waiting_on_citizen, replied, handed_over, resolved, closed.")
    department: str | None = None
    urgency: str | None = None
    sentiment: str | None = None
    abuse: str | None = None
    language: str | None = None
    needs_review: bool = False
    author: Author | None = None
    first_message_at: datetime | None = None
    last_message_at: datetime | None = None
    message_count: int = 0
    messages: list[MessageView] = Field(default_factory=list)


class ConversationPage(BaseModel):
    items: list[ConversationView]
    page: int
    page_size: int
    total: int = Field(description="Conversations matching the filters, on every page.")
