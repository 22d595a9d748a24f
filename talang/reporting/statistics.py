"""The figures of the dashboard, the statistics API and the reports, from the ledger alone.

Whole months are read from the monthly table derived from the ledger (``StatMonth``), partial
months at the edges of a period from the ledger's rows over the (region_code, kind, date)
index; every count is a GROUP BY in the database, and Python only folds the few grouped rows
into figures. See docs/statistics.md.
"""

import datetime as dt
import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext

from talang.accounts.models import Municipality, Region
from talang.contacts.channels import channel_labels
from talang.lib.countries import SWEDISH_COUNTIES, countries
from talang.reporting.models import Goal, GoalKind, SizeBand, StatEvent, StatKind, StatMonth
from talang.reporting.monthly import COHORT, DAYS, DIMENSIONS, cohort_value

UNDONE = "undone"

# (kind, detail) → (figure, sign). Detail None matches any detail. Status changes are not
# counted here: they describe the workflow, the figures count households and events.
MEASURES: dict[tuple[str, str | None], tuple[str, int]] = {
    (StatKind.REGISTRATION, None): ("registered_households", 1),
    (StatKind.FIRST_RESPONSE_ON_TIME, None): ("first_responses_on_time", 1),
    (StatKind.FIRST_RESPONSE_LATE, None): ("first_responses_late", 1),
    (StatKind.MOVE, ""): ("moved_households", 1),
    (StatKind.MOVE, UNDONE): ("moved_households", -1),
    (StatKind.MAGAZINE_ORDER, None): ("magazine_orders", 1),
    (StatKind.SUBSCRIPTION, None): ("newsletter_subscriptions", 1),
    (StatKind.UNSUBSCRIPTION, None): ("newsletter_unsubscriptions", 1),
    (StatKind.EVENT_ATTENDANCE, None): ("event_attendance", 1),
    (StatKind.EVENT_ATTENDANCE, UNDONE): ("event_attendance", -1),
    (StatKind.EMPLOYER_FOUND_STAFF, None): ("employers_found_staff", 1),
    (StatKind.EMPLOYER_FOUND_STAFF, UNDONE): ("employers_found_staff", -1),
}
COUNTS = list(dict.fromkeys(name for name, _sign in MEASURES.values()))
COUNTED_KINDS = sorted({kind for kind, _detail in MEASURES})
# The newsletter and the magazine belong to the region: their rows have no municipality, so a
# municipality's figures show the region's numbers for them.
REGION_WIDE_KINDS = [StatKind.SUBSCRIPTION, StatKind.UNSUBSCRIPTION, StatKind.MAGAZINE_ORDER]
SHARE = "first_response_on_time_share"
GOAL_KINDS = {
    GoalKind.HOUSEHOLDS_MOVED: "moved_households",
    GoalKind.EMPLOYERS_FOUND_STAFF: "employers_found_staff",
    GoalKind.HOUSEHOLDS_REGISTERED: "registered_households",
}
SUPPRESSED = "<5"
# A share or a median hidden from a viewer: not a number, so that it cannot be read as one
# (the symbol Statistics Sweden uses for a figure too uncertain to publish).
NOT_SHOWN = ".."


def _measure(kind: str, detail: str) -> tuple[str, int] | None:
    return MEASURES.get((kind, detail)) or MEASURES.get((kind, None))


# The exact (kind, detail) pairs already looked up, so that folding many rows is a dict lookup.
_MEASURES: dict[tuple[str, str], tuple[str, int] | None] = {}


def _share(on_time: int, late: int) -> float | None:
    return on_time / (on_time + late) if on_time + late else None


def _empty() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: dict[str, int | float | None]


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    achieved: int
    share: float | None


@dataclass(frozen=True)
class Figures:
    region: Region
    start: dt.date
    end: dt.date
    municipality: Municipality | None
    registered_households: int
    first_responses_on_time: int
    first_responses_late: int
    first_response_on_time_share: float | None
    moved_households: int
    magazine_orders: int
    newsletter_subscriptions: int
    newsletter_unsubscriptions: int
    newsletter_subscribers: int
    employers_found_staff: int
    event_attendance: int
    median_days_to_move: float | None
    conversion: float | None
    # The moves of the households that registered in the period (the numerator of conversion).
    moves_of_registered: int
    by_municipality: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    by_quarter: list[Row] = field(default_factory=list)
    by_year: list[Row] = field(default_factory=list)
    by_channel: list[Row] = field(default_factory=list)
    by_campaign: list[Row] = field(default_factory=list)
    by_origin: list[Row] = field(default_factory=list)
    by_size_band: list[Row] = field(default_factory=list)
    goals: list[GoalProgress] = field(default_factory=list)

    BREAKDOWNS = (
        "by_municipality",
        "by_month",
        "by_quarter",
        "by_year",
        "by_channel",
        "by_campaign",
        "by_origin",
        "by_size_band",
    )

    def as_dict(self, *, suppress: bool = False) -> dict:
        """Every figure as JSON-ready data. ``suppress`` (viewers) hides breakdown counts from
        1 to 4 as "<5", and shares and medians that would give a hidden count away as "..";
        with a municipality chosen, its totals are a breakdown cell too and are hidden the same
        way. The one place where suppression is decided: see ``_hidden`` and ``_ratio``."""
        hide_totals = suppress and self.municipality is not None
        totals = {name: getattr(self, name) for name in [*COUNTS, "newsletter_subscribers"]}
        on_time, late = self.first_responses_on_time, self.first_responses_late
        data: dict = {
            "region": self.region.code,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "municipality": self.municipality.code if self.municipality else None,
            **{
                name: _hidden(value) if hide_totals and name not in REGION_WIDE else value
                for name, value in totals.items()
            },
            SHARE: _ratio(
                self.first_response_on_time_share, on_time + late, on_time, suppress=hide_totals
            ),
            "median_days_to_move": _ratio(
                self.median_days_to_move, self.moved_households, suppress=hide_totals
            ),
            "conversion": _ratio(
                self.conversion,
                self.registered_households,
                self.moves_of_registered,
                suppress=hide_totals,
            ),
            "moves_of_registered": _hidden(self.moves_of_registered)
            if hide_totals
            else self.moves_of_registered,
        }
        for name in self.BREAKDOWNS:
            data[name] = [
                {"key": row.key, "label": row.label, "values": _row_dict(row, suppress)}
                for row in getattr(self, name)
            ]
        data["goals"] = [
            {
                "kind": progress.goal.kind,
                "target": progress.goal.target,
                "from": progress.goal.starts_on.isoformat(),
                "until": progress.goal.ends_on.isoformat(),
                "source": progress.goal.source,
                "achieved": progress.achieved,
                "share": progress.share,
            }
            for progress in self.goals
        ]
        return data


# The figures of the newsletter and the magazine: the region's even with a municipality chosen.
REGION_WIDE = {
    "magazine_orders",
    "newsletter_subscriptions",
    "newsletter_unsubscriptions",
    "newsletter_subscribers",
}


def _small(count) -> bool:
    return isinstance(count, int) and 1 <= abs(count) <= 4


def _hidden(value):
    """A count from 1 to 4 (or -1 to -4) as "<5"."""
    return SUPPRESSED if _small(value) else value


def _ratio(value: float | None, base: int, part: int | None = None, *, suppress: bool):
    """A share (``part`` of ``base``) or a median (of ``base`` moves), as NOT_SHOWN when it
    rests on fewer than 5 households or would give away a hidden count: the part, or the
    base minus the part, from 1 to 4 ("93 %" of 14 on time tells that 1 was late)."""
    if not suppress or value is None:
        return value
    if _small(base) or (part is not None and (_small(part) or _small(base - part))):
        return NOT_SHOWN
    return value


def _row_dict(row: Row, suppress: bool) -> dict:
    values = dict(row.values)
    if not suppress:
        return values
    on_time = values.get("first_responses_on_time") or 0
    late = values.get("first_responses_late") or 0
    hidden = {name: _hidden(value) for name, value in values.items() if name != SHARE}
    if SHARE in values:
        hidden[SHARE] = _ratio(values[SHARE], on_time + late, on_time, suppress=True)
    return hidden


def _fold(rows: Iterable[dict], key: str) -> dict[object, dict[str, int]]:
    """Grouped (key, kind, detail, n) rows → {key: {figure: count}}."""
    return _fold_by(rows, key)[0]


def _fold_by(rows: Iterable[dict], *keys: str) -> list[dict[object, dict[str, int]]]:
    """Grouped rows → {row[key]: {figure: count}} for each of ``keys``, in one pass."""
    folded: list[dict[object, dict[str, int]]] = [{} for _key in keys]
    for row in rows:
        pair = (row["kind"], row["detail"])
        if pair in _MEASURES:
            measure = _MEASURES[pair]
        else:
            measure = _MEASURES[pair] = _measure(*pair)
        if measure is None:
            continue
        name, sign = measure
        n = sign * row["n"]
        for by, key in zip(folded, keys, strict=True):
            value = row[key]
            counts = by.get(value)
            if counts is None:
                counts = by[value] = _empty()
            counts[name] += n
    return folded


def _grouped(events: QuerySet, key: str) -> dict[object, dict[str, int]]:
    return _fold(events.values(key, "kind", "detail").annotate(n=Count("id")).order_by(), key)


def _with_share(counts: dict[str, int]) -> dict[str, int | float | None]:
    return {
        **counts,
        SHARE: _share(counts["first_responses_on_time"], counts["first_responses_late"]),
    }


def _rows(folded: dict, labels: dict[str, str], keep: Iterable[str] = ()) -> list[Row]:
    """Rows for every key in ``keep`` (in that order, zero when absent), then the others by
    label."""
    keep = list(keep)
    rows = [Row(key, labels.get(key, key), _with_share(folded.get(key, _empty()))) for key in keep]
    others = sorted(
        (key for key in folded if key not in keep), key=lambda key: labels.get(key, key).casefold()
    )
    rows += [Row(key, labels.get(key, key), _with_share(folded[key])) for key in others]
    return rows


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _sum(rows: Iterable[dict[str, int]]) -> dict[str, int]:
    total = _empty()
    for counts in rows:
        for name in COUNTS:
            total[name] += counts[name]
    return total


def _periods(by_month: dict[dt.date, dict[str, int]], months: list[dt.date], unit: str):
    def key(month: dt.date) -> str:
        if unit == "quarter":
            return f"{month.year}-Q{(month.month - 1) // 3 + 1}"
        return str(month.year)

    keys = list(dict.fromkeys(key(month) for month in months))
    groups: dict[str, list] = {k: [] for k in keys}
    for month in months:
        groups[key(month)].append(by_month.get(month, _empty()))
    return [Row(k, k, _with_share(_sum(groups[k]))) for k in keys]


def _median(histogram: dict[int, int]) -> float | None:
    """The median of a {value: count} histogram (counts may have been reduced by undone
    moves; values with no count left are ignored)."""
    items = sorted((value, count) for value, count in histogram.items() if count > 0)
    total = sum(count for _value, count in items)
    if not total:
        return None
    low, high = (total - 1) // 2, total // 2
    seen, found = 0, {}
    for value, count in items:
        for position in (low, high):
            if position not in found and seen <= position < seen + count:
                found[position] = value
        seen += count
    return (found[low] + found[high]) / 2


# Country and county names by language: the same for every request in that language.
_ORIGIN_LABELS: dict[str, dict[str, str]] = {}


def _labels_origin() -> dict[str, str]:
    language = get_language() or "en"
    labels = _ORIGIN_LABELS.get(language)
    if labels is None:
        labels = dict(countries(language))
        labels.update(dict(SWEDISH_COUNTIES))
        labels[""] = gettext("Unknown")
        _ORIGIN_LABELS[language] = labels
    return labels


def _labels_size_band() -> dict[str, str]:
    return {
        SizeBand.ONE: gettext("1 person"),
        SizeBand.TWO: gettext("2 people"),
        SizeBand.THREE_FOUR: gettext("3–4 people"),
        SizeBand.FIVE_PLUS: gettext("5 or more people"),
        "": gettext("Unknown"),
    }


DAY = dt.timedelta(days=1)
Range = tuple[dt.date | None, dt.date]


def _month_end(month: dt.date) -> dt.date:
    return _next_month(month) - DAY


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _dates(ranges: list[Range]) -> Q:
    """Ledger rows dated in any of ``ranges`` (inclusive; a start of None: the beginning)."""
    return functools.reduce(
        operator.or_,
        [Q(date__lte=high, **({"date__gte": low} if low else {})) for low, high in ranges],
    )


def _between(low: dt.date | None, high: dt.date) -> dict:
    return {"month__lte": high, **({"month__gte": low} if low else {})}


class _Source:
    """Where the counts of one ``figures()`` call come from. With ``monthly``: whole months
    from the monthly table (``StatMonth``), and only the partial months at the edges of a
    period from the ledger; a partial month counts as whole (and comes from the table) when
    no ledger row of that month lies outside the period, which one index probe decides. The
    probes are remembered for the call. Without ``monthly``: everything from the ledger."""

    def __init__(self, region_code: str, *, monthly: bool = True):
        self.region_code = region_code
        self.monthly = monthly
        self._quiet: dict[tuple[dt.date, dt.date], bool] = {}

    def ledger(self) -> QuerySet:
        return StatEvent.objects.filter(region_code=self.region_code)

    def table(self) -> QuerySet:
        return StatMonth.objects.filter(region_code=self.region_code)

    def quiet(self, low: dt.date, high: dt.date) -> bool:
        """No ledger row of a counted kind from ``low`` to ``high``."""
        if (low, high) not in self._quiet:
            self._quiet[low, high] = not (
                self.ledger().filter(kind__in=COUNTED_KINDS, date__gte=low, date__lte=high).exists()
            )
        return self._quiet[low, high]

    def split(
        self, start: dt.date | None, end: dt.date, *, years: bool = True
    ) -> tuple[Q | None, list[Range]]:
        """The rows of the table (a condition on span and month; None: none) and the date
        ranges of the ledger that together count ``start`` (None: the beginning) to ``end``.
        Whole years come from the year rows (unless ``years`` is False), whole months from
        the month rows, the rest from the ledger."""
        if start is not None and start > end:
            return None, []
        if not self.monthly:
            return None, [(start, end)]
        start, end = self._widen(start, end, years=years)
        edges: list[Range] = []
        if start is not None and start.day != 1:
            head_end = min(_month_end(start), end)
            edges.append((start, head_end))
            start = head_end + DAY
            if start > end:
                return None, edges
        if end != _month_end(end):
            tail_start = end.replace(day=1)
            edges.append((tail_start, end))
            end = tail_start - DAY
            if start is not None and start > end:
                return None, edges
        # Now start is a month's first day (or None) and end a month's last day.
        parts, months = [], [(start, end.replace(day=1))]
        first_year = None if start is None else start.year + (start.month != 1)
        last_year = end.year - (end.month != 12)
        if years and (first_year is None or first_year <= last_year):
            parts.append(
                Q(
                    span=12,
                    **_between(first_year and dt.date(first_year, 1, 1), dt.date(last_year, 1, 1)),
                )
            )
            months = []
            if start is not None and start.month != 1:
                months.append((start, dt.date(start.year, 12, 1)))
            if end.month != 12:
                months.append((dt.date(end.year, 1, 1), end.replace(day=1)))
        parts += [Q(span=1, **_between(low, high)) for low, high in months]
        return functools.reduce(operator.or_, parts), edges

    def _widen(self, start, end, *, years: bool) -> tuple[dt.date | None, dt.date]:
        """Move ``start`` back and ``end`` on to the edge of their year (if ``years``) or month
        when no ledger row of a counted kind lies in between: the counts stay the same."""
        if start is not None and start != start.replace(month=1 if years else start.month, day=1):
            year_start = start.replace(month=1, day=1)
            if years and self.quiet(year_start, start - DAY):
                start = year_start
            elif start.day != 1 and self.quiet(start.replace(day=1), start - DAY):
                start = start.replace(day=1)
        year_end = dt.date(end.year, 12, 31)
        if end != year_end:
            if years and self.quiet(end + DAY, year_end):
                end = year_end
            elif end != _month_end(end) and self.quiet(end + DAY, _month_end(end)):
                end = _month_end(end)
        return start, end

    def plain(self, start: dt.date, end: dt.date, where: Q) -> list[dict]:
        """(month, municipality_code, kind, detail, n) of the counted kinds."""
        rows_of_table, edges = self.split(start, end, years=False)
        rows: list[dict] = []
        if rows_of_table:
            rows += (
                self.table()
                .filter(rows_of_table, where, dimension="", kind__in=COUNTED_KINDS)
                .values("month", "municipality_code", "kind", "detail")
                .annotate(n=Sum("count"))
                .order_by()
            )
        if edges:
            rows += (
                self.ledger()
                .filter(_dates(edges), where, kind__in=COUNTED_KINDS)
                .annotate(month=TruncMonth("date"))
                .values("month", "municipality_code", "kind", "detail")
                .annotate(n=Count("id"))
                .order_by()
            )
        return rows

    def breakdowns(self, start: dt.date, end: dt.date, where: Q, *, days: bool) -> list[dict]:
        """(dimension, value, kind, detail, n) for channel, campaign, origin, size band, and
        (if ``days``) the days of moves."""
        rows_of_table, edges = self.split(start, end)
        rows: list[dict] = []
        if rows_of_table:
            rows += (
                self.table()
                .filter(
                    rows_of_table,
                    where,
                    dimension__in=[*DIMENSIONS, DAYS] if days else DIMENSIONS,
                    kind__in=COUNTED_KINDS,
                )
                .values("dimension", "value", "kind", "detail")
                .annotate(n=Sum("count"))
                .order_by()
            )
        if edges:
            events = self.ledger().filter(_dates(edges), where, kind__in=COUNTED_KINDS)
            columns = [(name, F(name), events) for name in DIMENSIONS]
            if days:
                moves = events.filter(kind=StatKind.MOVE, days__isnull=False)
                columns.append((DAYS, Cast("days", CharField()), moves))
            parts = [
                queryset.annotate(dimension=Value(name), value=value)
                .values("dimension", "value", "kind", "detail")
                .annotate(n=Count("id"))
                .order_by()
                for name, value, queryset in columns
            ]
            rows += parts[0].union(*parts[1:], all=True)
        return rows

    def median_days(self, start: dt.date, end: dt.date, where: Q) -> float | None:
        """The median of the days of the net moves from ``start`` to ``end``, found in the
        database: the days histogram (the table's "days" rows and the edges' ledger rows,
        undone moves subtracted, days with no count left dropped) with a running sum, of
        which only the one or two days at the middle come back. Equal to ``_median`` of the
        histogram, without sending thousands of histogram rows to Python."""
        rows_of_table, edges = self.split(start, end)
        sign = Case(When(detail=UNDONE, then=Value(-1)), default=Value(1))
        parts = []
        if rows_of_table:
            parts.append(
                self.table()
                .filter(rows_of_table, where, dimension=DAYS, kind=StatKind.MOVE)
                .annotate(v=Cast("value", IntegerField()), n=sign * F("count"))
                .values("v", "n")
            )
        if edges:
            parts.append(
                self.ledger()
                .filter(_dates(edges), where, kind=StatKind.MOVE, days__isnull=False)
                .annotate(v=F("days"), n=sign)
                .values("v", "n")
            )
        if not parts:
            return None
        compiled = [part.order_by().query.sql_with_params() for part in parts]
        union = " UNION ALL ".join(
            f"SELECT v, n FROM ({sql}) AS part{i}"  # noqa: S608 - compiled querysets
            for i, (sql, _p) in enumerate(compiled)
        )
        # Rows whose running sum reaches half the total: the first holds the lower middle
        # position, the first or the second the upper one.
        query = (
            "WITH histogram AS ("  # noqa: S608 - the parts are compiled querysets
            f"SELECT v, SUM(n) AS n FROM ({union}) AS parts GROUP BY v HAVING SUM(n) > 0),"
            " running AS (SELECT v, SUM(n) OVER (ORDER BY v) AS up_to,"
            " SUM(n) OVER () AS total FROM histogram)"
            " SELECT v, up_to, total FROM running WHERE 2 * up_to >= total ORDER BY v LIMIT 2"
        )
        params = [param for _sql, part_params in compiled for param in part_params]
        with connections[StatMonth.objects.db].cursor() as cursor:
            cursor.execute(query, params)
            found = cursor.fetchall()
        if not found:
            return None
        (low_value, up_to, total), *rest = found
        high = int(total) // 2
        high_value = low_value if int(up_to) > high else rest[0][0]
        return (low_value + high_value) / 2

    def cohort_moves(self, start: dt.date, end: dt.date, municipality: str | None) -> int:
        """Net moves (any date) of the households registered from ``start``'s month to
        ``end``. The year rows hold every ledger row, so no edge is read from the ledger."""
        if self.monthly:
            moves = self.table().filter(
                dimension=COHORT,
                kind=StatKind.MOVE,
                span=12,
                value__gte=cohort_value(start),
                value__lte=cohort_value(end),
            )
            n = Sum("count")
        else:
            moves = self.ledger().filter(
                kind=StatKind.MOVE, cohort__gte=start.replace(day=1), cohort__lte=end
            )
            n = Count("id")
        if municipality is not None:
            moves = moves.filter(municipality_code=municipality)
        counted = moves.aggregate(
            moved=Coalesce(_filtered(n, Q(detail="")), 0),
            undone=Coalesce(_filtered(n, Q(detail=UNDONE)), 0),
        )
        return counted["moved"] - counted["undone"]

    def sums(self, specs: dict[str, tuple[Range, list[str], str | None]]) -> dict[str, int]:
        """Counts of the region's rows: name → ((start, end), kinds, detail or None for any),
        in one query on the table and at most one on the ledger."""
        on_table, on_ledger, kinds = {}, {}, set()
        for name, ((start, end), names, detail) in specs.items():
            rows_of_table, edges = self.split(start, end)
            condition = Q(kind__in=names) & (Q(detail=detail) if detail is not None else Q())
            kinds.update(names)
            if rows_of_table:
                on_table[name] = Sum("count", filter=condition & rows_of_table)
            if edges:
                on_ledger[name] = Count("id", filter=condition & _dates(edges))
        counted = dict.fromkeys(specs, 0)
        for queryset, aggregates in (
            (self.table().filter(dimension=""), on_table),
            (self.ledger(), on_ledger),
        ):
            if aggregates:
                found = queryset.filter(kind__in=sorted(kinds)).aggregate(**aggregates)
                for name, value in found.items():
                    counted[name] += value or 0
        return counted


def _filtered(aggregate, condition: Q):
    return type(aggregate)(*aggregate.source_expressions, filter=condition)


def figures(
    *,
    region: Region,
    start: dt.date,
    end: dt.date,
    municipality: Municipality | None = None,
    municipalities: Iterable[Municipality] | None = None,
) -> Figures:
    """The figures of ``region`` from ``start`` to ``end`` (inclusive local dates), for one
    municipality if given, counted from the ledger alone: whole months through the monthly
    table derived from it, partial months from its rows. ``municipalities``: the region's
    municipalities if the caller has them already (the filter form), saving a query."""
    return _figures(
        _Source(region.code),
        region=region,
        start=start,
        end=end,
        municipality=municipality,
        municipalities=municipalities,
    )


def figures_from_ledger(
    *, region: Region, start: dt.date, end: dt.date, municipality: Municipality | None = None
) -> Figures:
    """The same figures counted from the ledger's rows only, without the monthly table: the
    reference the tests hold ``figures`` to."""
    source = _Source(region.code, monthly=False)
    return _figures(source, region=region, start=start, end=end, municipality=municipality)


def _figures(
    source: _Source,
    *,
    region: Region,
    start: dt.date,
    end: dt.date,
    municipality: Municipality | None,
    municipalities: Iterable[Municipality] | None = None,
) -> Figures:
    where = Q()
    if municipality is not None:
        where = Q(municipality_code=municipality.code) | Q(kind__in=REGION_WIDE_KINDS)
    if municipalities is None:
        municipality_names = dict(
            Municipality.objects.filter(region=region).values_list("code", "name")
        )
    else:
        municipality_names = {m.code: m.name for m in municipalities}

    plain = source.plain(start, end, where)
    by_municipality, by_month = _fold_by(plain, "municipality_code", "month")
    totals = _sum(by_municipality.values())
    month_counts = {_as_date(month): counts for month, counts in by_month.items()}
    months = _months(start, end)

    # The monthly source finds the median in the database; the ledger-only reference folds
    # the whole days histogram here (``_median``), which the tests hold the first to.
    dimensions: dict[str, list[dict]] = {name: [] for name in [*DIMENSIONS, DAYS]}
    for row in source.breakdowns(start, end, where, days=not source.monthly):
        dimensions[row["dimension"]].append(row)
    if source.monthly:
        median_days_to_move = source.median_days(start, end, where)
    else:
        histogram: dict[int, int] = {}
        for row in dimensions[DAYS]:
            if row["kind"] != StatKind.MOVE:
                continue
            sign = -1 if row["detail"] == UNDONE else 1
            days = int(row["value"])
            histogram[days] = histogram.get(days, 0) + sign * row["n"]
        median_days_to_move = _median(histogram)
    moves_of_registered = source.cohort_moves(
        start, end, municipality.code if municipality else None
    )
    registered = totals["registered_households"]

    goals = list(Goal.objects.filter(region=region, starts_on__lte=end, ends_on__gte=start))
    specs = {
        "subscribed": ((None, end), [StatKind.SUBSCRIPTION], None),
        "unsubscribed": ((None, end), [StatKind.UNSUBSCRIPTION], None),
        **_goal_specs(goals, end),
    }
    counted = source.sums(specs)

    region_label = gettext("The region (no municipality)")
    month_rows = [
        Row(
            month.isoformat()[:7],
            formats.date_format(month, "YEAR_MONTH_FORMAT"),
            _with_share(month_counts.get(month, _empty())),
        )
        for month in months
    ]
    by_name = sorted(municipality_names, key=lambda code: municipality_names[code].casefold())
    shown = [municipality.code] if municipality else [*by_name, ""]
    if municipality is not None:
        # The region-wide rows (newsletter, magazine) are in the totals, not in a municipality.
        by_municipality = {municipality.code: by_municipality.get(municipality.code, _empty())}
    return Figures(
        region=region,
        start=start,
        end=end,
        municipality=municipality,
        **totals,
        first_response_on_time_share=_share(
            totals["first_responses_on_time"], totals["first_responses_late"]
        ),
        newsletter_subscribers=counted["subscribed"] - counted["unsubscribed"],
        median_days_to_move=median_days_to_move,
        conversion=moves_of_registered / registered if registered else None,
        moves_of_registered=moves_of_registered,
        by_municipality=_rows(
            by_municipality, {**municipality_names, "": region_label}, keep=shown
        ),
        by_month=month_rows,
        by_quarter=_periods(month_counts, months, "quarter"),
        by_year=_periods(month_counts, months, "year"),
        by_channel=_rows(
            _fold(dimensions["channel"], "value"),
            channel_labels(region.code, municipality_names),
        ),
        by_campaign=_rows(
            _fold(dimensions["campaign"], "value"), {"": pgettext("campaign", "None")}
        ),
        by_origin=_rows(_fold(dimensions["origin"], "value"), _labels_origin()),
        by_size_band=_rows(
            _fold(dimensions["size_band"], "value"),
            _labels_size_band(),
            keep=[band.value for band in SizeBand],
        ),
        goals=_goals(goals, counted),
    )


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _goal_specs(goals: list[Goal], end: dt.date) -> dict:
    """What each goal counts, from its start to the end of the period (or its own end)."""
    specs = {}
    for goal in goals:
        window = (goal.starts_on, min(goal.ends_on, end))
        kinds = [
            kind for (kind, _d), (name, _s) in MEASURES.items() if name == GOAL_KINDS[goal.kind]
        ]
        if any((kind, UNDONE) in MEASURES for kind in kinds):  # moves, employers: net of undone
            specs[f"goal{goal.pk}"] = (window, kinds, "")
            specs[f"goal{goal.pk}_undone"] = (window, kinds, UNDONE)
        else:
            specs[f"goal{goal.pk}"] = (window, kinds, None)
    return specs


def _goals(goals: list[Goal], counted: dict[str, int]) -> list[GoalProgress]:
    """The region's goals that overlap the period, each with what was achieved from its start
    to the end of the period (or its own end, if earlier). Goals are the region's, so a
    municipality filter does not apply to them."""
    progress = []
    for goal in goals:
        achieved = counted[f"goal{goal.pk}"] - counted.get(f"goal{goal.pk}_undone", 0)
        share = achieved / goal.target if goal.target else None
        progress.append(GoalProgress(goal=goal, achieved=achieved, share=share))
    return progress
