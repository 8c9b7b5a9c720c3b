"""Records management, as plain data and rules: the retention schedule, legal holds, who a person is across
channels, and redaction of personal data by the spans triage found. No I/O here."""

from datetime import datetime, timedelta

from civic_contracts.people import CONTACT_KINDS, Hold, Person
from civic_contracts.topics import RECORDS_TOPICS
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CONTACT_KINDS", "Hold", "Person", "RetentionSchedule", "redact"]  # who a person is: in contracts


class RetentionSchedule(BaseModel):
    """How long each kind of record is kept (days), as the organisation's retention schedule says. A record
    under legal hold is kept whatever its age."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    conversations_days: int = Field(default=730, gt=0, description="A closed or resolved conversation, with its "
                                    "messages, notes, replies, timeline and handovers, after its last message.")
    messages_days: int = Field(default=730, gt=0, description="A message after it was sent, whatever its conversation.")
    raw_payload_days: int = Field(default=30, gt=0, description="The untouched platform payload, kept only for replay.")
    attachments_days: int = Field(default=365, gt=0, description="Attachment references on a message.")
    evidence_days: int = Field(default=2190, gt=0, description="Evidence of abuse (6 years: limitation period).")
    audit_days: int = Field(default=2555, gt=0, description="Audit log entries (7 years).")
    exports_days: int = Field(default=90, gt=0, description="Subject access and FOI bundles made by the product.")
    kafka_topic_hours: int = Field(default=168, gt=0, description="Kafka topics' retention (they carry citizen text).")
    records_topic_hours: int = Field(default=72, gt=0, description="Retention of the topics that tell other services "
                                     "of an erasure or a retention run (they carry a person's identifiers): long "
                                     "enough for a consumer down over a weekend to catch up, no longer.")

    def topic_hours(self, topics: list[str]) -> dict[str, int]:
        """Each topic's retention in hours: the records topics' own, every other topic's from `kafka_topic_hours`."""
        return {t: min(self.records_topic_hours, self.kafka_topic_hours) if t in RECORDS_TOPICS else self.kafka_topic_hours
                for t in topics}

    def cutoffs(self, now: datetime) -> dict[str, datetime]:
        """The oldest moment still kept, per record kind."""
        return {kind: now - timedelta(days=getattr(self, f"{kind}_days"))
                for kind in ("conversations", "messages", "raw_payload", "attachments", "evidence", "audit", "exports")}


def redact(text: str, spans: list[dict], *, keep=lambda value, kind: False) -> tuple[str, list[dict]]:
    """`text` with each personal data span (triage's `pii`: kind, start, end) replaced by `[kind redacted]`,
    except those `keep(value, kind)` accepts; returns the text and a log of what was redacted (kind and position,
    never the value)."""
    log: list[dict] = []
    out: list[str] = []
    at = 0
    for span in sorted(spans or [], key=lambda s: s["start"]):
        start, end = int(span["start"]), int(span["end"])
        if start < at or end > len(text) or start >= end:
            continue
        value = text[start:end]
        if keep(value, span["kind"]):
            continue
        out.append(text[at:start])
        out.append(f"[{span['kind']} redacted]")
        log.append({"kind": span["kind"], "start": start, "end": end})
        at = end
    out.append(text[at:])
    return "".join(out), log
