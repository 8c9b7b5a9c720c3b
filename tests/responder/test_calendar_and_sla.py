"""Business-hours calendar with UK bank holidays, and SLA clocks on it, with an injected clock."""

from datetime import UTC, datetime, time

import pytest
from responder.config import load_policy
from responder.domain import sla
from responder.domain.calendar import BusinessCalendar, WallClock
from responder.domain.policy import BusinessHours, OpeningHours

NINE_TO_FIVE = BusinessHours(
    timezone="Europe/London", bank_holidays="ENG",
    week={d: OpeningHours(start=time(9), end=time(17)) for d in ("mon", "tue", "wed", "thu", "fri")},
)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_open_hours_follow_local_time_across_the_clock_change() -> None:
    cal = BusinessCalendar(NINE_TO_FIVE)
    assert cal.is_open(utc(2026, 1, 14, 9, 0))  # GMT: 09:00 local
    assert not cal.is_open(utc(2026, 1, 14, 8, 59))
    assert cal.is_open(utc(2026, 7, 15, 8, 0))  # BST: 09:00 local is 08:00 UTC
    assert not cal.is_open(utc(2026, 7, 15, 16, 0))  # 17:00 local
    assert not cal.is_open(utc(2026, 1, 17, 12, 0))  # Saturday


def test_bank_holidays_are_closed_per_nation() -> None:
    england = BusinessCalendar(NINE_TO_FIVE)
    scotland = BusinessCalendar(NINE_TO_FIVE.model_copy(update={"bank_holidays": "SCT"}))
    aug_31 = utc(2026, 8, 31, 11, 0)  # Summer bank holiday in England and Wales, not in Scotland
    assert not england.is_open(aug_31) and scotland.is_open(aug_31)
    aug_3 = utc(2026, 8, 3, 11, 0)  # Summer bank holiday in Scotland only
    assert england.is_open(aug_3) and not scotland.is_open(aug_3)
    jan_2 = utc(2026, 1, 2, 11, 0)  # 2 January: Scotland only
    assert england.is_open(jan_2) and not scotland.is_open(jan_2)


def test_adding_business_minutes_skips_nights_weekends_and_holidays() -> None:
    cal = BusinessCalendar(NINE_TO_FIVE)
    friday_4pm = utc(2026, 1, 16, 16, 0)
    assert cal.add(friday_4pm, 120) == utc(2026, 1, 19, 10, 0)  # 1h Friday, 1h Monday
    # Thursday before Easter, 16:00 BST: Good Friday and Easter Monday are closed.
    thursday = utc(2026, 4, 2, 15, 0)
    assert cal.add(thursday, 120) == utc(2026, 4, 7, 9, 0)  # 1h Thursday, then Tuesday 09:00-10:00 BST
    assert cal.add(utc(2026, 1, 17, 3, 0), 30) == utc(2026, 1, 19, 9, 30)  # from a Saturday night
    assert cal.minutes_between(friday_4pm, utc(2026, 1, 19, 10, 0)) == 120


def test_christmas_is_closed_and_the_substitute_boxing_day_too() -> None:
    cal = BusinessCalendar(NINE_TO_FIVE)
    # Christmas Eve 2026 is a Thursday; 25th Friday, 28th Monday is Boxing Day (substitute).
    assert cal.add(utc(2026, 12, 24, 16, 0), 120) == utc(2026, 12, 29, 10, 0)


def test_wall_clock_never_closes() -> None:
    assert WallClock().add(utc(2026, 12, 25, 3, 0), 30) == utc(2026, 12, 25, 3, 30)


def test_sla_plan_uses_department_and_urgency_targets() -> None:
    policy = load_policy()
    cal = BusinessCalendar(policy.business_hours)
    start = utc(2026, 1, 14, 10, 0)  # Wednesday
    normal = sla.plan(policy=policy, calendar=cal, start=start, department="waste", urgency="normal")
    assert normal["first_response"]["due"] == utc(2026, 1, 15, 10, 0)  # 8 business hours
    social = sla.plan(policy=policy, calendar=cal, start=start, department="social_care", urgency="normal")
    assert social["first_response"]["due"] == utc(2026, 1, 14, 14, 0)  # 4 business hours
    critical = sla.plan(policy=policy, calendar=cal, start=utc(2026, 1, 17, 2, 0), department="social_care",
                        urgency="critical")
    assert critical["first_response"]["due"] == utc(2026, 1, 17, 2, 30)  # 24x7, any hour
    assert critical["target"]["calendar"] == "24x7"


def test_warnings_then_breaches_with_an_injected_clock() -> None:
    policy = load_policy()
    cal = BusinessCalendar(policy.business_hours)
    plan = sla.plan(policy=policy, calendar=cal, start=utc(2026, 1, 16, 15, 0), department="highways", urgency="high")
    # High: 120 business minutes from Friday 15:00 with Friday closing at 16:30 -> Monday 09:30.
    assert plan["first_response"]["due"] == utc(2026, 1, 19, 9, 30)
    assert sla.findings(plan, utc(2026, 1, 16, 16, 0)) == []
    # 75% of the target (90 business minutes) has gone by at Friday's close.
    [warning] = sla.findings(plan, utc(2026, 1, 16, 16, 31))
    assert (warning.clock, warning.kind) == ("first_response", "warning")
    plan["first_response"]["warned"] = True
    assert sla.findings(plan, utc(2026, 1, 18, 23, 0)) == []  # the weekend does not count towards a breach
    [breach] = sla.findings(plan, utc(2026, 1, 19, 9, 31))
    assert (breach.clock, breach.kind) == ("first_response", "breach")
    plan["first_response"]["met_at"] = utc(2026, 1, 19, 9, 20)
    assert sla.findings(plan, utc(2026, 1, 19, 9, 31)) == []


def test_replanning_keeps_marks_already_raised() -> None:
    policy = load_policy()
    cal = BusinessCalendar(policy.business_hours)
    start = utc(2026, 1, 14, 10, 0)
    first = sla.plan(policy=policy, calendar=cal, start=start, department="waste", urgency="normal")
    first["first_response"]["warned"] = True
    again = sla.plan(policy=policy, calendar=cal, start=start, department="waste", urgency="high", current=first)
    assert again["first_response"]["warned"] is True
    assert again["first_response"]["due"] == utc(2026, 1, 14, 12, 0)


@pytest.mark.parametrize("region", ["ENG", "WLS", "SCT", "NIR"])
def test_every_uk_region_loads(region: str) -> None:
    cal = BusinessCalendar(NINE_TO_FIVE.model_copy(update={"bank_holidays": region}))
    assert not cal.is_open(utc(2026, 12, 25, 12, 0))
