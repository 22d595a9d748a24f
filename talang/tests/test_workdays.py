import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talang.lib import workdays

D = dt.date
UTC = dt.UTC


@pytest.mark.parametrize(
    ("registered", "due"),
    [
        (D(2026, 11, 23), D(2026, 11, 30)),  # Monday → next Monday
        (D(2026, 11, 27), D(2026, 12, 4)),  # Friday → next Friday
        (D(2026, 11, 28), D(2026, 12, 4)),  # Saturday counts from Monday
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (D(2026, 4, 1), D(2026, 4, 10)),
        # Ascension Day, Thursday 14 May 2026.
        (D(2026, 5, 11), D(2026, 5, 19)),
        # Midsummer Eve, Friday 19 June 2026, is not a working day.
        (D(2026, 6, 15), D(2026, 6, 23)),
        # Christmas Eve to New Year: 24, 25, 26 (Sat), 31 Dec and 1 Jan are off.
        (D(2026, 12, 22), D(2027, 1, 4)),
        # Epiphany, Wednesday 6 January 2027.
        (D(2027, 1, 4), D(2027, 1, 12)),
        # National Day on a Saturday changes nothing.
        (D(2026, 6, 1), D(2026, 6, 8)),
    ],
)
def test_it_finds_the_fifth_working_day(registered, due):
    assert workdays.add_working_days(registered, 5) == due


def test_it_knows_the_de_facto_holidays():
    assert not workdays.is_working_day(D(2026, 6, 19))  # midsommarafton
    assert not workdays.is_working_day(D(2026, 12, 24))  # julafton
    assert not workdays.is_working_day(D(2026, 12, 31))  # nyårsafton
    assert workdays.is_working_day(D(2026, 12, 30))


def test_it_uses_the_date_in_stockholm_across_summer_time():
    # 22:30 UTC on Saturday 28 March 2026 is 23:30 in Stockholm (still winter time): Saturday.
    assert workdays.local_date(dt.datetime(2026, 3, 28, 22, 30, tzinfo=UTC)) == D(2026, 3, 28)
    # 22:30 UTC on Sunday 29 March is 00:30 on Monday in summer time.
    assert workdays.local_date(dt.datetime(2026, 3, 29, 22, 30, tzinfo=UTC)) == D(2026, 3, 30)
    # Back to winter time on 25 October 2026: 23:30 UTC is 00:30 on Monday the 26th.
    assert workdays.local_date(dt.datetime(2026, 10, 25, 23, 30, tzinfo=UTC)) == D(2026, 10, 26)
    late_friday = dt.datetime(2026, 11, 27, 23, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
    assert workdays.first_response_due(late_friday) == D(2026, 12, 4)


def test_it_refuses_naive_datetimes():
    with pytest.raises(ValueError, match="naive"):
        workdays.local_date(dt.datetime(2026, 1, 1, 12, 0))


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)), st.integers(0, 30))
def test_it_counts_back_what_it_added(day, count):
    due = workdays.add_working_days(day, count)
    assert workdays.is_working_day(due) or count == 0
    assert workdays.working_days_between(day, due) == count


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 1, 1)),
)
def test_it_counts_like_walking_day_by_day(start, end):
    low, high = sorted((start, end))
    high = min(high, low + dt.timedelta(days=1500))  # walking further only slows the test
    walked = sum(
        1
        for offset in range(1, (high - low).days + 1)
        if workdays.is_working_day(low + dt.timedelta(days=offset))
    )
    assert workdays.working_days_between(low, high) == walked
    assert workdays.working_days_between(high, low) == -walked
