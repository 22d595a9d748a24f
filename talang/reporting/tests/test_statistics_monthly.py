"""The monthly table: kept equal to the ledger by ``stat_record``, rebuilt from it, checked
against it, and the figures read through it equal the figures counted from raw ledger rows."""

import datetime as dt
import importlib
import io
from collections import Counter
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talang.reporting.ledger import stat_record
from talang.reporting.models import Goal, GoalKind, StatEvent, StatKind, StatMonth
from talang.reporting.monthly import KEY, monthly_differences, monthly_keys, monthly_rebuild
from talang.reporting.statistics import figures, figures_from_ledger

pytestmark = pytest.mark.django_db
D = dt.date
FIRST, LAST = D(2024, 11, 1), D(2026, 2, 28)

event = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([kind.value for kind in StatKind]),
        "date": st.dates(FIRST, LAST),
        "municipality_code": st.sampled_from(["2380", "2321", ""]),
        "channel": st.sampled_from(["", "region", "api", "2380"]),
        "campaign": st.sampled_from(["", "winter"]),
        "origin": st.sampled_from(["", "SE-AB", "NO"]),
        "size": st.none() | st.integers(1, 6),
        "days": st.none() | st.integers(0, 400),
        "cohort": st.none() | st.dates(D(2024, 6, 1), LAST),
        "undone": st.booleans(),
    }
)
# Periods that start and end inside months, last one day, span years, or whole months.
period = st.tuples(st.dates(FIRST, LAST), st.integers(0, 500)).map(
    lambda pair: (pair[0], min(pair[0] + dt.timedelta(days=pair[1]), LAST))
)
EDGES = [
    (D(2025, 1, 1), D(2025, 12, 31)),
    (D(2025, 1, 15), D(2025, 1, 15)),
    (D(2025, 1, 31), D(2025, 2, 1)),
    (D(2024, 12, 10), D(2025, 3, 20)),
    (D(2025, 2, 1), D(2025, 2, 28)),
    (D(2025, 11, 30), D(2026, 1, 2)),
    (FIRST, LAST),
]
HYPOTHESIS = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def write(region, events: list[dict]) -> None:
    for data in events:
        kind = data["kind"]
        extra = {}
        if kind in (StatKind.REGISTRATION, StatKind.MOVE):
            extra = {name: data[name] for name in ("channel", "campaign", "origin", "size")}
        if kind == StatKind.MOVE:
            extra.update(cohort=data["cohort"], days=data["days"])
            extra["detail"] = "undone" if data["undone"] else ""
        elif kind == StatKind.STATUS_CHANGE:
            extra["detail"] = "in_dialogue"
        stat_record(
            kind=kind,
            date=data["date"],
            region_code=region.code,
            municipality_code=data["municipality_code"],
            **extra,
        )


def table() -> dict:
    return {row[:-1]: row[-1] for row in StatMonth.objects.values_list(*KEY, "count")}


def recount() -> dict:
    """The monthly table counted here, in Python, from the ledger's rows."""
    return dict(Counter(key for event in StatEvent.objects.all() for key in monthly_keys(event)))


def assert_same_figures(region, start, end):
    for municipality in (None, region.municipalities.get(code="2380")):
        arguments = {"region": region, "start": start, "end": end, "municipality": municipality}
        expected = figures_from_ledger(**arguments).as_dict()
        assert figures(**arguments).as_dict() == expected, (start, end, municipality)


@pytest.fixture
def goals(personas):
    region = personas.region
    Goal.objects.create(
        region=region,
        kind=GoalKind.HOUSEHOLDS_MOVED,
        target=10,
        starts_on=D(2024, 12, 12),
        ends_on=D(2025, 10, 17),
    )
    Goal.objects.create(
        region=region,
        kind=GoalKind.HOUSEHOLDS_REGISTERED,
        target=20,
        starts_on=D(2025, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    return region


@HYPOTHESIS
@given(events=st.lists(event, max_size=40), periods=st.lists(period, min_size=1, max_size=3))
def test_the_table_equals_the_ledger_and_gives_the_same_figures(goals, events, periods):
    StatEvent.objects.all().delete()
    StatMonth.objects.all().delete()
    write(goals, events)
    assert table() == recount()
    assert monthly_differences(region_code=goals.code) == []
    for start, end in periods:
        assert_same_figures(goals, start, end)


def test_edge_periods_give_the_same_figures(goals):
    # Rows on the first and last days of months, and inside them, so every edge matters.
    events = []
    for day in (D(2024, 12, 1), D(2025, 1, 15), D(2025, 1, 31), D(2025, 2, 1), D(2026, 1, 2)):
        for kind in (StatKind.REGISTRATION, StatKind.MOVE, StatKind.SUBSCRIPTION):
            events.append(
                {
                    "kind": kind,
                    "date": day,
                    "municipality_code": "2380",
                    "channel": "api",
                    "campaign": "winter",
                    "origin": "NO",
                    "size": 2,
                    "days": day.day,
                    "cohort": day.replace(day=1),
                    "undone": False,
                }
            )
    events.append({**events[4], "undone": True})  # a move taken back
    write(goals, events)
    assert table() == recount()
    for start, end in EDGES:
        assert_same_figures(goals, start, end)


def test_a_period_ending_today_reads_no_ledger_rows_when_none_lie_after_it(personas):
    region = personas.region
    for day in (D(2025, 1, 5), D(2025, 3, 2), D(2025, 3, 10)):
        stat_record(kind=StatKind.REGISTRATION, date=day, region_code=region.code)
    with CaptureQueriesContext(connection) as captured:
        result = figures(region=region, start=D(2025, 1, 1), end=D(2025, 3, 10))
    assert result.registered_households == 3
    on_ledger = [q["sql"] for q in captured if "reporting_statevent" in q["sql"]]
    # Only the probes whether a row lies after the end in its month and in its year; nothing
    # is counted there.
    assert len(on_ledger) == 2
    assert all("GROUP BY" not in sql.upper() and "LIMIT 1" in sql for sql in on_ledger)
    # A row after the end in its month: March is then counted from the ledger.
    stat_record(kind=StatKind.REGISTRATION, date=D(2025, 3, 20), region_code=region.code)
    with CaptureQueriesContext(connection) as captured:
        result = figures(region=region, start=D(2025, 1, 1), end=D(2025, 3, 10))
    assert result.registered_households == 3
    assert [row.values["registered_households"] for row in result.by_month] == [1, 0, 2]
    assert any("GROUP BY" in q["sql"].upper() for q in captured if "statevent" in q["sql"])


def test_figures_make_the_same_number_of_queries_for_any_ledger(personas, goals):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures(region=personas.region, start=D(2025, 1, 1), end=D(2025, 6, 30))
        return len(captured)

    stat_record(kind=StatKind.REGISTRATION, date=D(2025, 2, 2), region_code="23")
    few = count()
    for day in range(1, 28):
        for kind in (StatKind.REGISTRATION, StatKind.MOVE, StatKind.MAGAZINE_ORDER):
            stat_record(kind=kind, date=D(2025, 3, day), region_code="23", days=day)
    assert count() == few <= 10


def test_a_ledger_row_costs_one_statement_more(personas):
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        stat_record(
            kind=StatKind.MOVE,
            date=D(2025, 3, 1),
            region_code="23",
            channel="api",
            size=3,
            days=10,
            cohort=D(2025, 1, 1),
        )
    assert len(captured) == 2
    assert table()[("23", "cohort", "move", 1, D(2025, 3, 1), "", "", "2025-01")] == 1
    assert table()[("23", "cohort", "move", 12, D(2025, 1, 1), "", "", "2025-01")] == 1
    assert table()[("23", "size_band", "move", 1, D(2025, 3, 1), "", "", "3-4")] == 1


def run(command: str, *arguments) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command(command, *arguments, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_the_check_finds_a_wrong_table_and_the_rebuild_mends_it(personas):
    for day in (D(2025, 1, 5), D(2025, 2, 5)):
        stat_record(kind=StatKind.REGISTRATION, date=day, region_code="23", channel="api")
    stat_record(kind=StatKind.REGISTRATION, date=D(2025, 1, 5), region_code="21")
    before = table()
    code, output = run("talang_ledger_check", "--region", "23")
    assert code == 0 and "Monthly table: equal to the ledger." in output
    month = StatMonth.objects.filter(region_code="23", span=1)
    month.filter(month=D(2025, 1, 1), dimension="").update(count=5)
    month.filter(month=D(2025, 2, 1), dimension="channel").delete()
    differences = monthly_differences(region_code="23")
    assert [(d.key[1], d.table, d.ledger) for d in differences] == [("", 5, 1), ("channel", 0, 1)]
    code, output = run("talang_ledger_check", "--region", "23")
    assert code == 1
    assert "NOT EQUAL to the ledger in 2 rows" in output
    assert "2025-02, registration, channel=api: table 0, ledger 1" in output
    code, output = run("talang_statistics_rebuild", "--region", "23")
    assert code == 0 and "rows" in output
    assert table() == before
    code, output = run("talang_ledger_check", "--region", "23")
    assert code == 0, output


def test_the_rebuild_of_one_region_leaves_the_others(personas):
    stat_record(kind=StatKind.REGISTRATION, date=D(2025, 1, 5), region_code="23")
    StatMonth.objects.create(
        region_code="21", dimension="", kind="registration", month=D(2025, 1, 1), count=7
    )
    monthly_rebuild(region_code="23")
    assert StatMonth.objects.get(region_code="21").count == 7
    assert StatMonth.objects.filter(region_code="23", span=12, dimension="").get().count == 1
    assert run("talang_statistics_rebuild", "--region", "99")[0] == 2


def test_the_migration_fills_the_table_from_a_ledger_written_without_it(personas):
    """As the ledger was before the table existed (and as a bulk load writes it)."""
    rows = [
        StatEvent(
            kind=StatKind.MOVE,
            date=D(2025, month, 3 * month),
            region_code="23",
            municipality_code="2380",
            origin="NO",
            size_band="2",
            detail="undone" if month == 4 else "",
            cohort=D(2025, 1, 1),
            days=month * 10,
        )
        for month in range(1, 7)
    ]
    rows += [
        StatEvent(kind=StatKind.STATUS_CHANGE, date=D(2024, 12, 31), region_code="23"),
        StatEvent(kind=StatKind.SUBSCRIPTION, date=D(2025, 3, 1), region_code="23"),
    ]
    StatEvent.objects.bulk_create(rows)
    assert not StatMonth.objects.exists()
    assert len(monthly_differences(region_code="23")) > 0
    migration = importlib.import_module("talang.reporting.migrations.0004_statmonth")
    migration.fill(None, SimpleNamespace(connection=connection))
    assert table() == recount()
    assert monthly_differences(region_code="23") == []
    for start, end in EDGES:
        assert_same_figures(personas.region, start, end)
    assert figures(
        region=personas.region, start=D(2025, 1, 1), end=D(2025, 12, 31)
    ).moved_households == (5 - 1)


@pytest.mark.parametrize(
    ("moves", "undone", "median"),
    [
        ([], [], None),
        ([7], [], 7),
        ([3, 10], [], 6.5),
        ([5, 1, 400, 9], [], 7),
        ([5, 5, 5, 200], [200], 5),
        # More taken back than moved for a day count: that day is dropped, not negative.
        ([2, 30, 31], [30, 30, 99], 16.5),
        ([4], [4], None),
    ],
)
def test_the_median_found_in_the_database_equals_the_histograms(personas, moves, undone, median):
    """From the table (January, a whole month) and the ledger (a partial February) together."""
    region = personas.region
    for i, days in enumerate(moves):
        day = D(2025, 1 + i % 2, 10)
        stat_record(kind=StatKind.MOVE, date=day, region_code=region.code, days=days)
    for i, days in enumerate(undone):
        day = D(2025, 1 + i % 2, 10)
        stat_record(
            kind=StatKind.MOVE, date=day, region_code=region.code, days=days, detail="undone"
        )
    stat_record(kind=StatKind.MOVE, date=D(2025, 2, 25), region_code=region.code, days=1000)
    arguments = {"region": region, "start": D(2025, 1, 1), "end": D(2025, 2, 20)}
    assert figures(**arguments).median_days_to_move == median
    assert figures_from_ledger(**arguments).median_days_to_move == median
