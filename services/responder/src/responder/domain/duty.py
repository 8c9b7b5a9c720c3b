"""Who is on duty at a moment: the in-hours contacts when the organisation is open, else the out-of-hours
shift covering the moment (shifts may run past midnight), else the fallback."""

from datetime import datetime, timedelta

from civic_contracts.conversation_events import OnDuty

from responder.domain.calendar import BusinessCalendar
from responder.domain.policy import WEEKDAYS, DutyRota


def on_duty(rota: DutyRota, at: datetime, calendar: BusinessCalendar) -> tuple[bool, list[OnDuty]]:
    """(in business hours?, who to alert)."""
    is_open = calendar.is_open(at)
    if is_open and rota.in_hours:
        return True, [OnDuty(name=p.name, contact=p.contact) for p in rota.in_hours]
    local = at.astimezone(calendar.zone)
    covering = []
    for shift in rota.out_of_hours:
        for start_day in (local.date(), local.date() - timedelta(days=1)):
            if WEEKDAYS[start_day.weekday()] not in shift.days:
                continue
            begin = datetime.combine(start_day, shift.start, tzinfo=calendar.zone)
            end_day = start_day if shift.end > shift.start else start_day + timedelta(days=1)
            end = datetime.combine(end_day, shift.end, tzinfo=calendar.zone)
            if begin <= local < end:
                covering.append(OnDuty(name=shift.name, contact=shift.contact))
                break
    if not covering:
        covering = [OnDuty(name=rota.fallback.name, contact=rota.fallback.contact)]
    return is_open, covering
