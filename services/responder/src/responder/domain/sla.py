"""SLA clocks: first-response and resolution targets per urgency and department, on the business-hours
calendar (or the wall clock for critical), with a warning before the breach.

A conversation stores its clocks under `sla`:
`{start, target: {urgency, department, calendar}, first_response: {due, warn_at, met_at?, warned?, breached?},
  resolution: {due, warn_at, met_at?, warned?, breached?}}`."""

from dataclasses import dataclass
from datetime import datetime

from responder.domain.calendar import BusinessCalendar, WallClock
from responder.domain.policy import Policy, SlaTarget

CLOCKS = ("first_response", "resolution")


def target_for(policy: Policy, department: str | None, urgency: str | None) -> SlaTarget:
    urgency = urgency or "normal"
    specific = policy.sla.departments.get(department or "", {})
    return specific.get(urgency) or policy.sla.targets.get(urgency) or policy.sla.targets["normal"]


def calendar_for(target: SlaTarget, calendar: BusinessCalendar) -> BusinessCalendar | WallClock:
    return WallClock() if target.calendar == "24x7" else calendar


def plan(
    *, policy: Policy, calendar: BusinessCalendar, start: datetime, department: str | None, urgency: str | None,
    current: dict | None = None,
) -> dict:
    """The `sla` document for a conversation whose clocks started at `start`; clocks already met, warned or
    breached in `current` keep those marks (a re-route or a rise in urgency moves the due times only)."""
    target = target_for(policy, department, urgency)
    clock = calendar_for(target, calendar)
    current = current or {}
    doc: dict = {
        "start": start,
        "target": {"urgency": urgency or "normal", "department": department, "calendar": target.calendar},
    }
    for name, minutes in (("first_response", target.first_response_minutes), ("resolution", target.resolution_minutes)):
        kept = {k: v for k, v in (current.get(name) or {}).items() if k in ("met_at", "warned", "breached")}
        doc[name] = {
            **kept,
            "minutes": minutes,
            "due": clock.add(start, minutes),
            "warn_at": clock.add(start, minutes * policy.sla.warning_at_fraction),
        }
    return doc


@dataclass(frozen=True)
class SlaFinding:
    clock: str  # first_response | resolution
    kind: str  # warning | breach
    due: datetime


def findings(sla: dict | None, now: datetime) -> list[SlaFinding]:
    """Warnings and breaches due at `now` that have not been raised yet (met clocks raise nothing)."""
    out: list[SlaFinding] = []
    for name in CLOCKS:
        clock = (sla or {}).get(name)
        if not clock or clock.get("met_at") is not None:
            continue
        if not clock.get("breached") and clock["due"] <= now:
            out.append(SlaFinding(name, "breach", clock["due"]))
        elif not clock.get("warned") and not clock.get("breached") and clock["warn_at"] <= now:
            out.append(SlaFinding(name, "warning", clock["due"]))
    return out


def handover_due(*, policy: Policy, calendar: BusinessCalendar, opened_at: datetime) -> datetime:
    return calendar.add(opened_at, policy.sla.handover_minutes)
