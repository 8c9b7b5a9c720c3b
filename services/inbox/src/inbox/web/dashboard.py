"""The dashboard's figures, computed from conversation documents (no I/O here): volume by channel,
department and hour, first-response and resolution against SLA, sentiment per day."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from civic_contracts.conversation import FINISHED

LONDON = ZoneInfo("Europe/London")
URGENCIES = ("critical", "high", "normal")
CLOCKS = (("first_response", "First reply"), ("resolution", "Resolution"))


@dataclass
class SlaFigures:
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0
    open_in_time: int = 0
    elapsed_minutes: list[float] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_percent(self) -> float | None:
        done = self.finished + self.open_overdue
        return round(100 * self.on_time / done, 1) if done else None

    @property
    def median_minutes(self) -> float | None:
        return round(median(self.elapsed_minutes), 1) if self.elapsed_minutes else None


@dataclass
class Figures:
    since: datetime
    total: int = 0
    by_channel: Counter = field(default_factory=Counter)
    by_department: Counter = field(default_factory=Counter)
    by_hour: list[int] = field(default_factory=lambda: [0] * 24)
    sla: dict[tuple[str, str], SlaFigures] = field(default_factory=dict)
    sentiment_days: list[str] = field(default_factory=list)
    sentiment: dict[str, list[int]] = field(default_factory=dict)
    open_now: int = 0


def _clock_figures(figures: SlaFigures, sla: dict, clock: dict, now: datetime) -> None:
    due, met = clock.get("due"), clock.get("met_at")
    if met is not None:
        if due is None or met <= due:
            figures.on_time += 1
        else:
            figures.late += 1
        if sla.get("start"):
            figures.elapsed_minutes.append((met - sla["start"]).total_seconds() / 60)
    elif due is not None:
        if due < now:
            figures.open_overdue += 1
        else:
            figures.open_in_time += 1


def compute(docs: list[dict], *, since: datetime, now: datetime | None = None) -> Figures:
    now = now or datetime.now(UTC)
    days = max(1, (now.date() - since.date()).days + 1)
    day_labels = [(since + timedelta(days=i)).astimezone(LONDON).strftime("%d %b") for i in range(days)]
    figures = Figures(since=since, sentiment_days=day_labels,
                      sentiment={s: [0] * days for s in ("negative", "neutral", "positive")})
    figures.sla = {(u, c): SlaFigures() for u in URGENCIES for c, _ in CLOCKS}
    for doc in docs:
        first = doc.get("first_message_at")
        figures.total += 1
        figures.by_channel[doc.get("channel") or "unknown"] += 1
        figures.by_department[doc.get("department") or "not triaged"] += 1
        if doc.get("status") not in FINISHED:
            figures.open_now += 1
        if first is not None:
            local = first.astimezone(LONDON)
            figures.by_hour[local.hour] += 1
            index = (local.date() - since.astimezone(LONDON).date()).days
            if 0 <= index < days and doc.get("sentiment") in figures.sentiment:
                figures.sentiment[doc["sentiment"]][index] += 1
        sla = doc.get("sla") or {}
        urgency = doc.get("urgency") if doc.get("urgency") in URGENCIES else "normal"
        for clock, _ in CLOCKS:
            if sla.get(clock):
                _clock_figures(figures.sla[(urgency, clock)], sla, sla[clock], now)
    return figures
