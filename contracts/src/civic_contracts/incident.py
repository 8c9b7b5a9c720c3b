"""`incident.v1`: a surge of messages about one subject, grouped so one owner can answer them together."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class IncidentStatus(StrEnum):
    """Where the incident stands."""

    OPEN = "open"
    UPDATED = "updated"
    CLOSED = "closed"


class IncidentSample(BaseModel):
    """One message of the surge, shown to whoever owns the incident."""

    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(description="`InboundMessage.id` of the message.")
    text: str = Field(description="The message text (untrusted: escape when shown).")


class Incident(BaseModel):
    """Many messages on one subject in a short window: raised by triage, updated as more arrive."""

    model_config = ConfigDict(extra="forbid")

    incident_id: str = Field(description="Stable id of the incident; every update carries the same id.")
    department: str = Field(description="Department id the messages were routed to.")
    subject: str = Field(description="Short human-readable subject, built from the top terms.")
    top_terms: list[str] = Field(default_factory=list, description="The salient terms the messages share, strongest first.")
    message_ids: list[str] = Field(default_factory=list, description="Ids of every message grouped so far, oldest first.")
    samples: list[IncidentSample] = Field(default_factory=list, description="A few representative messages.")
    count: int = Field(ge=1, description="How many messages are grouped in the incident.")
    first_seen: datetime = Field(description="When the first grouped message arrived (UTC).")
    last_seen: datetime = Field(description="When the latest grouped message arrived (UTC).")
    status: IncidentStatus = Field(description="open when raised, updated when more messages joined, closed when it went quiet.")
