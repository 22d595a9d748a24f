"""Swedish working days: Monday to Friday, not a public holiday, and not midsommarafton,
julafton or nyårsafton (the de facto holidays). The only place that decides this."""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[dt.date]:
    days = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``day`` (``day`` itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    current = day
    while count:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``; negative if ``end`` is before."""
    if end < start:
        return -working_days_between(end, start)
    # Whole weeks hold five weekdays each; then the days left over; then the holidays that
    # fall on a weekday in between. A queue page asks this for every row, also for cases
    # overdue for years, so it must not walk day by day.
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    for year in range(start.year, end.year + 1):
        count -= sum(1 for day in _holidays(year) if start < day <= end and day.weekday() < 5)
    return count


def local_date(moment: dt.datetime) -> dt.date:
    """The calendar date in Stockholm of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(STOCKHOLM).date()


def first_response_due(registered_at: dt.datetime, *, working_days: int = 5) -> dt.date:
    """The day a first response is due: the fifth working day after the registration date."""
    return add_working_days(local_date(registered_at), working_days)
