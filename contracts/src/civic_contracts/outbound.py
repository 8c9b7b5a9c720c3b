"""`reply.outbound.<channel>.v1` and `reply.status.v1`: what the organisation sends, and how it went."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from civic_contracts.common import Channel


class OutboundAction(StrEnum):
    """What a connector is asked to do on the platform."""

    PUBLIC_REPLY = "public_reply"  # answer a public comment / mention in public
    PRIVATE_REPLY = "private_reply"  # open a private thread from a public comment (Messenger/IG private reply, X DM)
    DIRECT_MESSAGE = "direct_message"  # a message in an existing private conversation (Messenger, DM, SMS, WhatsApp, email)
    HIDE_COMMENT = "hide_comment"
    UNHIDE_COMMENT = "unhide_comment"
    POST = "post"  # a new post from the account itself (a Page post, a post on X): a holding statement


class OutboundCommand(BaseModel):
    """One send or moderation action for a connector. Its `id` is the idempotency key: a command delivered
    twice is carried out once."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Idempotency key of this command; the same id is never sent twice.")
    conversation_key: str = Field(description="Conversation the command belongs to; also the Kafka key.")
    channel: Channel = Field(description="Platform to act on.")
    account_id: str = Field(description="The organisation's official account to act from.")
    action: OutboundAction = Field(description="What to do.")
    target_id: str | None = Field(default=None, description="Platform id of the message acted on or answered (comment id, mid, tweet id, Message-ID).")
    recipient_id: str | None = Field(default=None, description="Recipient on the platform for private sends (PSID, user id, phone number, email address).")
    text: str | None = Field(default=None, description="Text to send; none for moderation actions.")
    subject: str | None = Field(default=None, description="Email subject, for email replies.")
    template: str | None = Field(default=None, description="Approved template name, for sends outside a messaging window (WhatsApp).")
    human_agent: bool = Field(default=True, description="Sent by a person (allows Meta's HUMAN_AGENT tag within 7 days).")
    case_reference: str | None = Field(default=None, description="Case reference of an offline handover, if any.")
    requested_by: str = Field(description="Staff user who asked for it; every send is traceable to a person.")
    requested_at: datetime = Field(description="When it was requested (UTC).")


class SendStatus(StrEnum):
    SENT = "sent"
    FAILED = "failed"
    WAITING = "waiting"  # rate-limited or outside a messaging window: will be retried, or needs a template


class ReplyStatus(BaseModel):
    """The outcome of an `OutboundCommand`; every command ends in one."""

    model_config = ConfigDict(extra="forbid")

    command_id: str = Field(description="`OutboundCommand.id` this status is for.")
    conversation_key: str = Field(description="Conversation of the command; also the Kafka key.")
    channel: Channel = Field(description="Platform acted on.")
    status: SendStatus = Field(description="sent, failed or waiting.")
    platform_message_id: str | None = Field(default=None, description="The platform's id of what was sent, when sent.")
    error_code: str | None = Field(default=None, description="The platform's error code, when failed or waiting.")
    error_message: str | None = Field(default=None, description="The platform's error message or the refusal reason.")
    retry_at: datetime | None = Field(default=None, description="When a waiting send will be tried again.")
    at: datetime = Field(description="When this status was reached (UTC).")


class ChannelHealth(BaseModel):
    """`channel.health.v1`: one connector account's health, published periodically and on change."""

    model_config = ConfigDict(extra="forbid")

    channel: Channel = Field(description="Platform.")
    account_id: str = Field(description="The organisation's account on it.")
    last_event_at: datetime | None = Field(default=None, description="Last inbound event received.")
    last_success_at: datetime | None = Field(default=None, description="Last successful poll or send.")
    consecutive_failures: int = Field(default=0, ge=0, description="Failures since the last success.")
    credentials_rejected: bool = Field(default=False, description="The platform refused the token (e.g. Meta code 190, HTTP 401).")
    reconnect_required: bool = Field(
        default=False, description="The account's token expired and cannot be renewed: an admin must connect it again "
        "(its sends wait meanwhile).")
    rate_limited_until: datetime | None = Field(default=None, description="Sends paused until then.")
    detail: str | None = Field(default=None, description="Last error, for ops.")
    signature_failures: int = Field(default=0, ge=0, description="Webhook deliveries refused for a bad signature since the process started.")
    credentials_rejections: int = Field(default=0, ge=0, description="Times the platform refused the account's token since the process started.")
    silent: bool = Field(default=False, description="Inbound in the last full hour far below the account's usual level for that hour of the week.")
    inbound_last_hour: int | None = Field(default=None, ge=0, description="Inbound messages in the last full hour, when measured.")
    inbound_usual: float | None = Field(default=None, ge=0, description="Usual inbound for that hour of the week, when known.")
    at: datetime = Field(description="When this was measured (UTC).")
