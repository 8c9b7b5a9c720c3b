"""Response and resolution reports: for conversations that started in a date range, first-reply and
resolution times and SLA attainment grouped by channel, department, account, agent, language or urgency.
Pure computation over conversation documents (no I/O); the page, the CSV and the API all use it."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from civic_contracts.conversation import FINISHED

from inbox.web.dashboard import SlaFigures, _clock_figures

# Dimension -> (conversation field, heading).
DIMENSIONS = {
    "channel": ("channel", "Channel"), "department": ("department", "Department"), "account": ("account_id", "Account"),
    "agent": ("assignee", "Agent"), "language": ("language", "Language"), "urgency": ("urgency", "Urgency"),
}
FIELDS = ("channel", "department", "account_id", "assignee", "language", "urgency", "status", "sla", "first_message_at")
CSV_HEADER = ("group", "conversations", "open", "first_reply_on_time", "first_reply_late", "first_reply_open_overdue",
              "first_reply_on_time_percent", "first_reply_median_minutes", "resolution_on_time", "resolution_late",
              "resolution_open_overdue", "resolution_on_time_percent", "resolution_median_minutes")


@dataclass
class ReportRow:
    group: str
    conversations: int = 0
    open: int = 0
    first_reply: SlaFigures = field(default_factory=SlaFigures)
    resolution: SlaFigures = field(default_factory=SlaFigures)


def compute(docs: list[dict], *, by: str, now: datetime) -> list[ReportRow]:
    """One row per value of the dimension `by` (most conversations first), then a total row."""
    name = DIMENSIONS[by][0]
    rows: dict[str, ReportRow] = {}
    total = ReportRow(group="All")
    for doc in docs:
        key = str(doc.get(name) or ("unassigned" if by == "agent" else "unknown"))
        for row in (rows.setdefault(key, ReportRow(group=key)), total):
            row.conversations += 1
            row.open += doc.get("status") not in FINISHED
            sla = doc.get("sla") or {}
            for clock, figures in (("first_response", row.first_reply), ("resolution", row.resolution)):
                if sla.get(clock):
                    _clock_figures(figures, sla, sla[clock], now)
    ordered = sorted(rows.values(), key=lambda r: (-r.conversations, r.group))
    return [*ordered, total] if ordered else []


def csv_rows(rows: list[ReportRow]) -> Iterator[tuple]:
    yield CSV_HEADER
    for r in rows:
        yield (r.group, r.conversations, r.open,
               r.first_reply.on_time, r.first_reply.late, r.first_reply.open_overdue,
               _blank(r.first_reply.on_time_percent), _blank(r.first_reply.median_minutes),
               r.resolution.on_time, r.resolution.late, r.resolution.open_overdue,
               _blank(r.resolution.on_time_percent), _blank(r.resolution.median_minutes))


def _blank(value) -> object:
    return "" if value is None else value
