"""`triage.correction.v1`: a person corrected triage's routing or urgency; triage learns from it."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from civic_contracts.triage import Urgency


class TriageCorrection(BaseModel):
    """A person's correction of one triage decision, kept as a labelled example for the next training run."""

    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(description="`InboundMessage.id` of the message whose triage was corrected.")
    conversation_key: str = Field(description="Conversation of that message; also the Kafka key.")
    text: str = Field(description="The message text that was classified (the training example; untrusted text).")
    previous_department: str = Field(description="Department id triage chose.")
    previous_urgency: Urgency = Field(description="Urgency triage chose.")
    corrected_department: str = Field(description="Department id the person says is right.")
    corrected_urgency: Urgency = Field(description="Urgency the person says is right.")
    corrected_by: str = Field(description="Id of the staff member who made the correction (for the audit log).")
    corrected_at: datetime = Field(description="When the correction was made (UTC).")
    reason: str | None = Field(default=None, description="Why the person corrected it, if they said.")
    classifier_version: str | None = Field(default=None, description="`TriageResult.classifier_version` that made the corrected decision, if known.")
