"""Records management commands (administrators only): legal holds, subject access, erasure, FOI export
and the retention job, carried on `inbox.command.v1` like every staff action. A person is named by any of
their identifiers (phone number, email address, platform id, `@handle`, optionally `channel:`-prefixed)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from civic_contracts.people import Hold

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


class KeyChange(BaseModel):
    """A conversation's key before and after an erasure (the same when the key did not name the person)."""

    model_config = ConfigDict(extra="forbid")

    old: str = Field(max_length=400, description="The key before.")
    new: str = Field(max_length=400, description="The key after.")


class PersonErased(BaseModel):
    """`records.erased.v1`: responder is erasing a person's personal data (announced once no legal hold stands
    in the way, never when the erasure is refused). Every other service that keeps data about people (connectors: web-form service requests, email
    threads, the conversation ledger, outbound commands) erases theirs. Carries personal data (the identifiers,
    old conversation keys), so the topic's retention is short (`records_topic_hours` of the schedule)."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=600, description="Stable per request: `erase:<request>` (a redelivery is harmless).")
    request: Text = Field(description="The erasure request's reference.")
    at: datetime = Field(description="When responder erased the person.")
    person: People = Field(min_length=1)
    stand_in: str = Field(max_length=100, description="What replaces the person's identifiers (`erased:<digest>`).")
    tombstone: str = Field(max_length=500, description="What replaces their erased text (\"Message erased on ... "
                           "under request ...\").")
    conversations: list[KeyChange] = Field(
        default_factory=list, max_length=10_000, description="Each conversation of the person's messages.")


class RetentionApplied(BaseModel):
    """`records.retention.v1`: responder applied the retention schedule (not a dry run). Services that keep
    records of their own apply the same cutoffs, never to what a legal hold in force covers. Carries the holds
    (a person's identifiers), so the topic's retention is short like `records.erased.v1`."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(max_length=200, description="The retention run's id.")
    at: datetime = Field(description="When the run started (the cutoffs are counted from it).")
    cutoffs: dict[str, datetime] = Field(description="Per record kind (`messages`, `conversations`, `raw_payload`, "
                                         "...), the oldest moment still kept.")
    holds: list[Hold] = Field(default_factory=list, description="The legal holds in force.")
