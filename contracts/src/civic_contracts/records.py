"""Records management commands (administrators only): legal holds, subject access, erasure, FOI export
and the retention job, carried on `inbox.command.v1` like every staff action. A person is named by any of
their identifiers (phone number, email address, platform id, `@handle`, optionally `channel:`-prefixed)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Identifier = Annotated[str, Field(min_length=1, max_length=320)]
People = Annotated[list[Identifier], Field(max_length=20, description="The person's identifiers.")]
Text = Annotated[str, Field(min_length=1, max_length=500)]
# The collections of records management: responder writes them, the inbox reads them (admins only).
HOLDS_COLLECTION = "legal_holds"
EXPORTS_COLLECTION = "records_exports"
RUNS_COLLECTION = "records_runs"
# Fields holding a person's identifiers: never copied into the audit log (an erased person must not stay there).
PERSONAL_FIELDS = ("person",)


class RecordsHoldCommand(BaseModel):
    """Put a conversation, a person or a date range under legal hold."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["records_hold"] = Field(default="records_hold", description="Discriminator.")
    reason: Text = Field(description="Why (a claim, a complaint, an FOI request, an inquiry).")
    conversation_key: str | None = Field(default=None, max_length=400, description="One conversation.")
    person: People = Field(default_factory=list)
    since: datetime | None = Field(default=None, description="Start of a held date range.")
    until: datetime | None = Field(default=None, description="End of a held date range (exclusive).")

    @model_validator(mode="after")
    def _something_held(self) -> "RecordsHoldCommand":
        if not (self.conversation_key or self.person or self.since or self.until):
            raise ValueError("a hold needs a conversation, a person or a date range")
        return self


class RecordsReleaseHoldCommand(BaseModel):
    """Release a legal hold."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["records_release_hold"] = Field(default="records_release_hold", description="Discriminator.")
    hold_id: str = Field(max_length=100, description="The hold to release.")
    reason: Text = Field(description="Why it is released.")


class SubjectAccessCommand(BaseModel):
    """Export everything held about one person, other people's data redacted."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["subject_access"] = Field(default="subject_access", description="Discriminator.")
    person: People = Field(min_length=1)
    request: Text = Field(description="The request's reference.")


class ErasureCommand(BaseModel):
    """Erase one person's personal data everywhere (refused while on legal hold)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["erase_person"] = Field(default="erase_person", description="Discriminator.")
    person: People = Field(min_length=1)
    reason: Text = Field(description="The lawful basis.")
    request: Text = Field(description="The request's reference.")


class FoiExportCommand(BaseModel):
    """Export a period's correspondence for an FOI disclosure, personal data redacted."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["foi_export"] = Field(default="foi_export", description="Discriminator.")
    since: datetime = Field(description="From (inclusive).")
    until: datetime = Field(description="To (exclusive).")
    account: str | None = Field(default=None, max_length=200, description="Only this official account.")
    department: str | None = Field(default=None, max_length=100, description="Only this department.")
    request: Text = Field(description="The FOI request's reference.")


class RetentionCommand(BaseModel):
    """Apply the retention schedule now (or count what is due)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["retention_run"] = Field(default="retention_run", description="Discriminator.")
    dry_run: bool = Field(default=True, description="Count what is due; change nothing.")


RECORDS_ACTIONS = ("records_hold", "records_release_hold", "subject_access", "erase_person", "foi_export",
                   "retention_run")
