"""Business-hours calendars: opening hours per weekday in a local time zone, closed on UK bank holidays
(the `holidays` package, for England and Wales, Scotland or Northern Ireland) and on extra closed dates.

Arithmetic is done in UTC, opening hours are read in local time, so clocks changing (BST) are handled."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from responder.domain.policy import WEEKDAYS, BusinessHours

_MAX_DAYS = 800  # a target never spans more than this many calendar days


@lru_cache(maxsize=8)
def _bank_holidays(region: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


class BusinessCalendar:
    """When the organisation is open, and business time between moments."""

    def __init__(self, hours: BusinessHours) -> None:
        self.hours = hours
        self.zone = ZoneInfo(hours.timezone)
        self._closed = {date.fromisoformat(d) for d in hours.closed_dates}

    def is_working_day(self, day: date) -> bool:
        if WEEKDAYS[day.weekday()] not in self.hours.week or day in self._closed:
            return False
        region = self.hours.bank_holidays
        return region is None or day not in _bank_holidays(region, day.year)

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """Opening and closing time of `day` in UTC, or None when closed."""
        if not self.is_working_day(day):
            return None
        h = self.hours.week[WEEKDAYS[day.weekday()]]
        start = datetime.combine(day, h.start, tzinfo=self.zone).astimezone(UTC)
        end = datetime.combine(day, h.end, tzinfo=self.zone).astimezone(UTC)
        return (start, end) if end > start else None

    def _windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Opening windows (UTC) that end after `moment`, in order, clipped to start no earlier than it."""
        moment = moment.astimezone(UTC)
        day = moment.astimezone(self.zone).date()
        for offset in range(_MAX_DAYS):
            window = self._window(day + timedelta(days=offset))
            if window is None or window[1] <= moment:
                continue
            yield max(window[0], moment), window[1]

    def is_open(self, moment: datetime) -> bool:
        first = next(self._windows_from(moment), None)
        return first is not None and first[0] <= moment.astimezone(UTC)

    def add(self, start: datetime, minutes: float) -> datetime:
        """The moment `minutes` of business time after `start` (UTC)."""
        remaining = timedelta(minutes=minutes)
        if remaining <= timedelta(0):
            return start.astimezone(UTC)
        for begin, end in self._windows_from(start):
            if end - begin >= remaining:
                return begin + remaining
            remaining -= end - begin
        raise ValueError(f"no business time within {_MAX_DAYS} days of {start.isoformat()}")

    def minutes_between(self, start: datetime, end: datetime) -> float:
        """Business minutes from `start` to `end` (0 when `end` is not after `start`)."""
        end = end.astimezone(UTC)
        total = timedelta(0)
        for begin, close in self._windows_from(start):
            if begin >= end:
                break
            total += min(close, end) - begin
        return total.total_seconds() / 60


class WallClock:
    """A calendar that never closes: every minute counts (critical targets)."""

    def add(self, start: datetime, minutes: float) -> datetime:
        return start.astimezone(UTC) + timedelta(minutes=minutes)

    def minutes_between(self, start: datetime, end: datetime) -> float:
        return max(0.0, (end - start).total_seconds() / 60)

    def is_open(self, moment: datetime) -> bool:
        return True
