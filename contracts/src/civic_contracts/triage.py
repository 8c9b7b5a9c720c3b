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


class IntentKind(StrEnum):
    """What the message asks of the organisation, decided before the department."""

    REQUEST = "request"
    QUESTION = "question"
    EMERGENCY = "emergency"
    NOT_ACTIONABLE = "not_actionable"


class Intent(BaseModel):
    """The first decision: a service request, a question, an emergency, or nothing to act on (and why)."""

    model_config = ConfigDict(extra="forbid")

    kind: IntentKind = Field(description="request, question, emergency or not_actionable.")
    reason: str | None = Field(
        default=None,
        description="For not_actionable: thanks, praise, greeting (good wishes, condolences, home safe), opinion, "
        "news, conversation (between other people), spam or empty. A not-actionable message goes to the default department (`general`), never a queue.",
    )


class MatchedPlace(BaseModel):
    """The place from the taxonomy's `places:` list that the message is about."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Place id in the taxonomy.")
    name: str = Field(description="Place name, as staff read it.")
    kind: str = Field(description="motorway, road, road_number, junction, area, park, estate or asset.")
    owner: str = Field(description="Name of the body that owns the place.")
    department: str | None = Field(default=None, description="Department the place routes to, if any.")
    matched_by: str = Field(description="text or coordinates.")
    on_place: bool = Field(description="True when the message is about the place itself, not something next to it.")
    signpost: str | None = Field(default=None, description="For another body's place: where the citizen should report it.")


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
    intent: Intent | None = Field(default=None, description="Request, question, emergency or not actionable (v1 additive).")
    place: MatchedPlace | None = Field(default=None, description="The place the message is about, when one matched (v1 additive).")
    classified_at: datetime = Field(description="When triage classified it (UTC).")
