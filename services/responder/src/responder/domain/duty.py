"""Who is on duty at a moment: the in-hours contacts when the organisation is open, else the out-of-hours
shift covering the moment (shifts may run past midnight), else the fallback."""

from datetime import datetime, timedelta

from civic_contracts.conversation_events import OnDuty

from responder.domain.calendar import BusinessCalendar
from responder.domain.policy import WEEKDAYS, DutyRota, DutyShift, Person


def on_duty(rota: DutyRota, at: datetime, calendar: BusinessCalendar) -> tuple[bool, list[OnDuty]]:
    """(in business hours?, who to alert)."""
    is_open = calendar.is_open(at)
    if is_open and rota.in_hours:
        return True, [_on_duty(p) for p in rota.in_hours]
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
                covering.append(_on_duty(shift))
                break
    if not covering:
        covering = [_on_duty(rota.fallback)]
    return is_open, covering


def _on_duty(person: Person | DutyShift) -> OnDuty:
    return OnDuty(name=person.name, contact=person.contact, phone=person.phone, email=person.email)


def escalation_chain(rota: DutyRota, alerted: list[OnDuty]) -> list[OnDuty]:
    """Who is alerted next, in order, when nobody acknowledges: the rota's escalation list, then the fallback
    (nobody twice, and nobody already alerted)."""
    names = {p.name for p in alerted}
    chain = []
    for person in (*rota.escalation, rota.fallback):
        if person.name not in names:
            names.add(person.name)
            chain.append(_on_duty(person))
    return chain
