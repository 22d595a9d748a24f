"""The monthly table (``StatMonth``): the ledger counted by month and by year, derived from it
and kept in step by ``stat_record`` in the same transaction, with one statement per ledger row.

The ledger stays the only source: ``monthly_rebuild`` recounts the table from it (the data
migration, ``manage.py talang_statistics_rebuild``, bulk loads), and ``monthly_differences``
compares the two (``manage.py talang_ledger_check``). See docs/statistics.md.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear

from talang.reporting.models import StatEvent, StatKind, StatMonth

# The ledger columns every counted row is broken down by; moves also by days and cohort.
DIMENSIONS = ("channel", "campaign", "origin", "size_band")
DAYS, COHORT = "days", "cohort"
# Kinds counted only as a whole (per month, municipality and detail): the figures never break
# them down, and status changes are the largest kind.
PLAIN_ONLY = (StatKind.STATUS_CHANGE,)
KEY = (
    "region_code",
    "dimension",
    "kind",
    "span",
    "month",
    "municipality_code",
    "detail",
    "value",
)
SPANS = (1, 12)  # a month, a year
TABLE = StatMonth._meta.db_table
LEDGER = StatEvent._meta.db_table

Key = tuple[str, str, str, int, dt.date, str, str, str]


def cohort_value(cohort: dt.date) -> str:
    """A registration month as the table stores it: "YYYY-MM" (sorts like the dates)."""
    return cohort.isoformat()[:7]


def monthly_keys(event: StatEvent) -> list[Key]:
    """The keys of the monthly table that ``event`` adds one to: its month's and its year's."""
    values = [("", "")]
    if event.kind not in PLAIN_ONLY:
        values += [(dimension, getattr(event, dimension)) for dimension in DIMENSIONS]
    if event.kind == StatKind.MOVE:
        if event.days is not None:
            values.append((DAYS, str(event.days)))
        if event.cohort is not None:
            values.append((COHORT, cohort_value(event.cohort)))
    periods = [(1, event.date.replace(day=1)), (12, event.date.replace(month=1, day=1))]
    return [
        (
            str(event.region_code),
            dimension,
            str(event.kind),
            span,
            start,
            str(event.municipality_code),
            str(event.detail),
            str(value),
        )
        for span, start in periods
        for dimension, value in values
    ]


def monthly_add(*, event: StatEvent, using: str = DEFAULT_DB_ALIAS) -> None:
    """Count ``event`` in the monthly table: one upsert of all its keys (at most 14), which
    SQLite (≥ 3.24) and PostgreSQL both understand. The keys of one row are distinct, so no
    row is touched twice by the statement. Call it in the transaction that wrote ``event``."""
    connection = connections[using]
    quote = connection.ops.quote_name
    keys = monthly_keys(event)
    columns = ", ".join(quote(name) for name in (*KEY, "count"))
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, 1)"] * len(keys))
    params = []
    for region_code, dimension, kind, span, month, municipality, detail, value in keys:
        month = connection.ops.adapt_datefield_value(month)
        params += [region_code, dimension, kind, span, month, municipality, detail, value]
    count = quote("count")
    sql = (
        f"INSERT INTO {quote(TABLE)} ({columns}) VALUES {rows}"  # noqa: S608 - names are ours
        f" ON CONFLICT ({', '.join(quote(name) for name in KEY)})"
        f" DO UPDATE SET {count} = {quote(TABLE)}.{count} + EXCLUDED.{count}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _recount_sql(vendor: str, where: str) -> tuple[str, int]:
    """SELECT of the monthly table's rows (KEY columns and count) recounted from the ledger
    rows matching ``where``; returns the SQL and how many times ``where``'s parameters repeat."""
    if vendor == "postgresql":
        truncated = "CAST(DATE_TRUNC('{unit}', CAST(date AS timestamp)) AS date)"
        cohort = "TO_CHAR(cohort, 'YYYY-MM')"
    elif vendor == "sqlite":
        truncated = "DATE(date, 'start of {unit}')"
        cohort = "SUBSTR(cohort, 1, 7)"
    else:  # pragma: no cover - Talang runs on PostgreSQL and SQLite only
        raise NotImplementedError(vendor)
    plain_only = ", ".join(f"'{kind}'" for kind in PLAIN_ONLY)
    branches = [("''", "''", "TRUE")]
    branches += [(f"'{name}'", name, f"kind NOT IN ({plain_only})") for name in DIMENSIONS]
    branches += [
        (f"'{DAYS}'", "CAST(days AS VARCHAR(10))", "kind = 'move' AND days IS NOT NULL"),
        (f"'{COHORT}'", cohort, "kind = 'move' AND cohort IS NOT NULL"),
    ]
    selects = []
    for span, unit in ((1, "month"), (12, "year")):
        start = truncated.format(unit=unit)
        for dimension, value, condition in branches:
            grouped = "" if value == "''" else f", {value}"
            selects.append(
                f"SELECT region_code, {dimension}, kind, {span}, {start}, municipality_code,"  # noqa: S608
                f" detail, {value}, COUNT(*) FROM {LEDGER} WHERE ({where}) AND {condition}"
                f" GROUP BY region_code, kind, {start}, municipality_code, detail{grouped}"
            )
    return " UNION ALL ".join(selects), len(selects)


def _recount_where(region_code: str | None, year: int | None) -> tuple[str, list]:
    where, params = ["TRUE"], []
    if region_code is not None:
        where.append("region_code = %s")
        params.append(region_code)
    if year is not None:
        where.append("date >= %s AND date < %s")
        params += [dt.date(year, 1, 1), dt.date(year + 1, 1, 1)]
    return " AND ".join(where), params


def _adapt(connection, params: list) -> list:
    return [
        connection.ops.adapt_datefield_value(p) if isinstance(p, dt.date) else p for p in params
    ]


def monthly_rebuild(
    *,
    region_code: str | None = None,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recount the monthly table of ``region_code`` (None: every region) from the ledger, a
    year of ledger rows at a time, in one transaction. ``progress(done, total)`` is called in
    ledger rows after each year. Returns the number of monthly rows written."""
    connection = connections[using]
    quote = connection.ops.quote_name
    ledger = StatEvent.objects.using(using)
    if region_code is not None:
        ledger = ledger.filter(region_code=region_code)
    chunks = list(
        ledger.annotate(year=ExtractYear("date"))
        .values_list("region_code", "year")
        .annotate(rows=Count("pk"))
        .order_by("region_code", "year")
    )
    total, done, written = sum(rows for *_key, rows in chunks), 0, 0
    columns = ", ".join(quote(name) for name in (*KEY, "count"))
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if region_code is None:
            cursor.execute(f"DELETE FROM {quote(TABLE)}")  # noqa: S608
        else:
            cursor.execute(f"DELETE FROM {quote(TABLE)} WHERE region_code = %s", [region_code])  # noqa: S608
        for code, year, rows in chunks:
            where, params = _recount_where(code, year)
            select, repeat = _recount_sql(connection.vendor, where)
            cursor.execute(
                f"INSERT INTO {quote(TABLE)} ({columns}) {select}",
                _adapt(connection, params * repeat),
            )
            written += max(cursor.rowcount, 0)
            done += rows
            if progress:
                progress(done, total)
    if progress and not chunks:
        progress(0, 0)
    return written


@dataclass(frozen=True)
class MonthlyDifference:
    key: Key
    table: int  # the monthly table's count (0: no row)
    ledger: int  # the count recounted from the ledger


def _month(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def monthly_differences(
    *, region_code: str, using: str = DEFAULT_DB_ALIAS
) -> list[MonthlyDifference]:
    """Every key where the monthly table of ``region_code`` differs from a recount of the
    ledger (empty when they agree), in key order."""
    connection = connections[using]
    where, params = _recount_where(region_code, None)
    select, repeat = _recount_sql(connection.vendor, where)
    with connection.cursor() as cursor:
        cursor.execute(select, _adapt(connection, params * repeat))
        recount = {(*row[:4], _month(row[4]), *row[5:8]): row[8] for row in cursor.fetchall()}
    table = {
        tuple(row[:8]): row[8]
        for row in StatMonth.objects.using(using)
        .filter(region_code=region_code)
        .values_list(*KEY, "count")
    }
    return [
        MonthlyDifference(key, table.get(key, 0), recount.get(key, 0))
        for key in sorted(set(recount) | set(table))
        if table.get(key, 0) != recount.get(key, 0)
    ]
