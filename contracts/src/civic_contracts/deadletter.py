"""`deadletter.v1`: an event that could not be processed, kept with the reason so nothing is lost."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class DeadLetter(BaseModel):
    """An event a service gave up on: unparseable, invalid, or failing after its retries."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Unique id of this dead letter.")
    service: str = Field(description="The service that gave up (connectors, triage, responder, ...).")
    group: str | None = Field(default=None, description="Kafka consumer group that gave up, when it came from Kafka.")
    source: str = Field(description="Where the event came from: a Kafka topic, or an HTTP route such as `POST /webhooks/meta`.")
    partition: int | None = Field(default=None, description="Kafka partition of the original record, if it came from Kafka.")
    offset: int | None = Field(default=None, description="Kafka offset of the original record, if it came from Kafka.")
    key: str | None = Field(default=None, description="Kafka key of the original record, decoded as UTF-8 where possible.")
    reason: str = Field(description="Why it was dead-lettered, for a person to read.")
    error_type: str = Field(description="The kind of failure: `parse_error`, `validation_error`, `processing_error`.")
    attempts: int = Field(default=1, ge=1, description="How many times processing was tried.")
    payload: str = Field(description="The original bytes: UTF-8 text, or base64 when `payload_encoding` says so.")
    payload_encoding: str = Field(default="utf-8", description="`utf-8` or `base64`.")
    headers: dict[str, str] = Field(default_factory=dict, description="Original headers (Kafka or HTTP), decoded as text.")
    failed_at: datetime = Field(description="When it was dead-lettered (UTC).")
