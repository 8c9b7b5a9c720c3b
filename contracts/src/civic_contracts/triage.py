"""`message.triaged.v1`: what triage decided about one message, and why."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Urgency(StrEnum):
    """How fast the organisation must act (see the taxonomy)."""

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"


class SentimentLabel(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class AbuseLabel(StrEnum):
    NONE = "none"
    OFFENSIVE = "offensive"
    HATE = "hate"
    THREAT = "threat"


class Sentiment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: SentimentLabel = Field(description="Overall tone of the message.")
    score: float = Field(ge=-1.0, le=1.0, description="From -1 (most negative) to 1 (most positive).")


class PiiFinding(BaseModel):
    """Personal data found in the text, by kind and character span (the value itself is not repeated)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="phone, email, postcode, national_insurance_number, card_number, date_of_birth, ...")
    start: int = Field(ge=0, description="Offset of the first character in the message text.")
    end: int = Field(ge=0, description="Offset just past the last character in the message text.")


class Explanation(BaseModel):
    """Why triage decided as it did."""

    model_config = ConfigDict(extra="forbid")

    summary: str = Field(description="One sentence a person can read.")
    rules_fired: list[str] = Field(default_factory=list, description="Ids of the rules that matched.")
    model: str | None = Field(default=None, description="Model name and version that scored the message, if any.")
    features: list[str] = Field(default_factory=list, description="The strongest features behind the department decision.")


class TriageResult(BaseModel):
    """The classification of one inbound message."""

    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(description="`InboundMessage.id` of the message classified.")
    conversation_key: str = Field(description="Conversation of that message; also the Kafka key.")
    department: str = Field(description="Department id from the organisation's taxonomy (for example `highways`).")
    urgency: Urgency = Field(description="critical, high or normal.")
    sentiment: Sentiment = Field(description="Tone of the message.")
    abuse: AbuseLabel = Field(description="Abusive content found: none, offensive, hate or threat.")
    language: str = Field(description="ISO 639-1 code of the message's language (`en`, `cy`, ...).")
    pii: list[PiiFinding] = Field(default_factory=list, description="Personal data found, with spans.")
    confidence: float = Field(ge=0.0, le=1.0, description="Confidence in the department decision.")
    needs_review: bool = Field(default=False, description="True when a person must confirm the routing (low confidence or conflict).")
    explanation: Explanation = Field(description="Why it was decided so.")
    classifier_version: str = Field(description="Version of the classifier that produced this result.")
    classified_at: datetime = Field(description="When triage classified it (UTC).")
