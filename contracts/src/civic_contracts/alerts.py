"""`duty.alert.progress.v1` and `ops.alert.v1`: what became of a duty alert, and alerts about the accounts.

A duty alert (`duty.alert.v1`) is delivered to a person by the notifier; every step (notified, escalated,
acknowledged) comes back as a `DutyAlertProgress`, which responder records on the conversation's timeline
and in the audit log. An `OpsAlert` is about an official account rather than a conversation: a post the
organisation did not send (a hijacked account), a burst of outbound, a channel gone silent. Neither ever
carries citizen text or personal data.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from civic_contracts.common import Channel


class DutyAlertStep(StrEnum):
    """One step of a duty alert's life."""

    NOTIFIED = "notified"  # the people at `level` were sent the alert
    ESCALATED = "escalated"  # nobody acknowledged in time: the next level was alerted
    ACKNOWLEDGED = "acknowledged"  # a person took it; escalation stops
    EXHAUSTED = "exhausted"  # the fallback was alerted and nobody acknowledged


class DutyAlertProgress(BaseModel):
    """A step of one duty alert, published by the notifier; keyed by conversation."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id of the step (`<alert id>:<step>:<level>`): published twice, recorded once.")
    alert_id: str = Field(description="`DutyAlert.id` it belongs to.")
    conversation_key: str = Field(description="Conversation the alert is about; also the Kafka key.")
    step: DutyAlertStep = Field(description="What happened.")
    level: int = Field(ge=0, description="Escalation level: 0 the people on duty, then the next on the rota, last the fallback.")
    people: list[str] = Field(default_factory=list, description="Names of the people alerted at this step (or who acknowledged).")
    channels: list[str] = Field(default_factory=list, description="How they were reached (`sms`, `email`, `chat`).")
    by: str | None = Field(default=None, description="Who acknowledged (a name from the rota), for `acknowledged`.")
    via: str | None = Field(default=None, description="How they acknowledged (`link`, `sms`).")
    at: datetime = Field(description="When it happened (UTC).")


class OpsAlertKind(StrEnum):
    """What is wrong with an official account."""

    UNSENT_POST = "unsent_post"  # the account posted, commented or messaged and Civic Inbox did not send it
    OUTBOUND_BURST = "outbound_burst"  # far more sends than the account's usual rate
    CHANNEL_SILENT = "channel_silent"  # inbound far below the account's usual level for the hour of the week
    SIGNATURE_FAILURES = "signature_failures"  # webhooks arriving with bad signatures
    CREDENTIALS_REJECTED = "credentials_rejected"  # the platform refused the account's token


class OpsAlert(BaseModel):
    """An alert about an official account, for the duty rota, the admins and ops."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id: the same finding raised twice carries the same id.")
    kind: OpsAlertKind = Field(description="What was found.")
    security: bool = Field(description="A possible compromise of the account (goes to the duty rota and admins at once).")
    channel: Channel = Field(description="Platform of the account.")
    account_id: str = Field(description="The organisation's account.")
    summary: str = Field(description="One line a person can read, e.g. \"@council posted something we did not send\"; never citizen text.")
    platform_item_id: str | None = Field(default=None, description="The platform's id of the post or message concerned.")
    link: str | None = Field(default=None, description="Where to see it on the platform, when known.")
    data: dict[str, str | int | float | bool | None] = Field(default_factory=dict, description="Figures (rate, usual rate, ...).")
    raised_at: datetime = Field(description="When it was raised (UTC).")
