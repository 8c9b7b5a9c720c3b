"""`message.received.v1`: a citizen message, normalised from any platform."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from civic_contracts.common import Channel, MessageKind


class Author(BaseModel):
    """Who wrote the message, as the platform identifies them."""

    model_config = ConfigDict(extra="forbid")

    platform_id: str = Field(description="The author's id on the platform (PSID, user id, phone number, email address).")
    name: str | None = Field(default=None, description="Display name, when the platform gives one.")
    handle: str | None = Field(default=None, description="Username or handle (for example an X or Instagram username).")


class Attachment(BaseModel):
    """A file, image or link attached to the message; only its reference travels, never its bytes."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(description="Attachment type as the platform names it (image, video, audio, file, sticker, ...).")
    url: str | None = Field(default=None, description="Where the platform serves the attachment, if anywhere.")
    name: str | None = Field(default=None, description="File name, when known.")


class InboundMessage(BaseModel):
    """One message from a citizen to the organisation, on any channel."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(
        description="Stable event id derived from the channel, the organisation's account and the platform "
        "message id, so a duplicate delivery carries the same id."
    )
    channel: Channel = Field(description="The platform the message arrived on.")
    account_id: str = Field(description="The organisation's own account on that platform (Page id, IG account id, number, mailbox).")
    platform_message_id: str = Field(description="The platform's id of this message (comment id, mid, tweet id, MessageSid, Message-ID).")
    conversation_key: str = Field(description="Key that groups this message with the rest of its conversation; also the Kafka key.")
    kind: MessageKind = Field(description="Public comment, private message, email or form.")
    author: Author = Field(description="Who wrote it.")
    text: str = Field(description="The message text as written (untrusted: escape when shown, never build queries from it).")
    sent_at: datetime = Field(description="When the platform says the citizen sent it (UTC).")
    received_at: datetime = Field(description="When Civic Inbox received it (UTC).")
    permalink: str | None = Field(default=None, description="Public link to the message, where one exists.")
    in_reply_to: str | None = Field(default=None, description="Platform id of the message or post this one answers, if any.")
    attachments: list[Attachment] = Field(default_factory=list, description="Attachments, by reference.")
    raw_payload: str = Field(description="The untouched platform payload (the verified request body), kept for replay.")
    language: str | None = Field(
        default=None, pattern=r"^[a-z]{2,3}$",
        description="The language the citizen chose to write in (ISO 639-1, for example `cy` on the Welsh contact "
        "form), so the organisation answers in it; None when they chose none (triage detects the language).",
    )
    trace_id: str | None = Field(
        default=None, pattern=r"^[0-9a-f]{32}$",
        description="W3C trace id of the hop that received the message (the webhook request or the poll), so staff "
        "can open its trace from the conversation; set by the connectors when that hop was traced.",
    )
