"""Writes of the reporting app: goals, and the employer-found-staff and event-attendance
records in the ledger (with what was recorded lately, for their pages)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Sum, Value, When

from talang.accounts.models import Municipality, Region
from talang.lib.countries import collation_key
from talang.reporting.ledger import stat_record
from talang.reporting.models import Goal, StatEvent, StatKind
from talang.reporting.statistics import UNDONE


@transaction.atomic
def goal_create(
    *, region: Region, kind: str, target: int, starts_on: dt.date, ends_on: dt.date, source: str
) -> Goal:
    return Goal.objects.create(
        region=region,
        kind=kind,
        target=target,
        starts_on=starts_on,
        ends_on=ends_on,
        source=source,
    )


@transaction.atomic
def goal_update(
    *, goal: Goal, kind: str, target: int, starts_on: dt.date, ends_on: dt.date, source: str
) -> Goal:
    goal.kind, goal.target, goal.source = kind, target, source
    goal.starts_on, goal.ends_on = starts_on, ends_on
    goal.save(update_fields=["kind", "target", "starts_on", "ends_on", "source"])
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal) -> None:
    goal.delete()


@transaction.atomic
def employer_found_staff_record(
    *, region: Region, date: dt.date, municipality: Municipality | None, count: int = 1
) -> int:
    """Write ``count`` anonymous ledger rows "an employer found staff": a date and a place,
    never the employer or the person recorded. Returns the number of rows written."""
    if not 1 <= count <= 100:
        raise ValueError("count must be from 1 to 100")
    for _ in range(count):
        stat_record(
            kind=StatKind.EMPLOYER_FOUND_STAFF,
            date=date,
            region_code=region.code,
            municipality_code=municipality.code if municipality else "",
        )
    return count


def event_attendance_record(
    *, region: Region, date: dt.date, municipality: Municipality | None, count: int
) -> int:
    """Write ``count`` anonymous ledger rows "attended an event" (a meet-up for newcomers, a
    fair, a visit day): the date and the place, never who came. Returns the rows written."""
    if not 1 <= count <= 1000:
        raise ValueError("count must be from 1 to 1000")
    for _ in range(count):
        stat_record(
            kind=StatKind.EVENT_ATTENDANCE,
            date=date,
            region_code=region.code,
            municipality_code=municipality.code if municipality else "",
        )
    return count


def recorded_key(date: dt.date, code: str) -> str:
    """A listed row's key, from its day and municipality ("20261120-2380", "…-region")."""
    return f"{date:%Y%m%d}-{code or 'region'}"


@dataclass(frozen=True)
class Recorded:
    date: dt.date
    code: str  # the municipality's code; "" for the region as a whole
    place: str  # the municipality's name; the region's for the region as a whole
    count: int  # what the statistics count: recorded, less what was taken back

    @property
    def key(self) -> str:
        return recorded_key(self.date, self.code)


RECORDED_SHOWN = 30
# What a page records by hand, and so can take back.
TAKE_BACK_KINDS = (StatKind.EVENT_ATTENDANCE, StatKind.EMPLOYER_FOUND_STAFF)
_NET = Sum(Case(When(detail=UNDONE, then=Value(-1)), default=Value(1)))


def recorded_lately(*, region: Region, kind: str, since: dt.date) -> tuple[list[Recorded], bool]:
    """What is counted of ``kind`` (event attendance, employers who found staff) for the days
    from ``since``, by day and municipality, the newest first: the history on the page where
    it is recorded, so that an event is not entered twice. What was taken back is subtracted;
    a day and place with nothing left is not listed. The newest ``RECORDED_SHOWN`` rows, and
    whether there are more."""
    rows = list(
        StatEvent.objects.filter(region_code=region.code, kind=kind, date__gte=since)
        .values("date", "municipality_code")
        .annotate(n=_NET)
        .filter(n__gt=0)
        .order_by("-date", "municipality_code")[: RECORDED_SHOWN + 1]
    )
    names = {"": region.name} | {m.code: m.name for m in region.municipalities.all()}
    # Each day's municipalities by name (Swedish names: Swedish order), then the region's row.
    shown = sorted(
        rows[:RECORDED_SHOWN],
        key=lambda row: (
            -row["date"].toordinal(),
            row["municipality_code"] == "",
            collation_key(names.get(row["municipality_code"], ""), "sv"),
        ),
    )
    recorded = [
        Recorded(
            date=row["date"],
            code=row["municipality_code"],
            # A municipality since removed from the region keeps its code.
            place=names.get(row["municipality_code"], row["municipality_code"]),
            count=row["n"],
        )
        for row in shown
    ]
    return recorded, len(rows) > RECORDED_SHOWN


class TakeBackTooMany(ValueError):
    """More than is counted for that day and place; ``counted`` is what is."""

    def __init__(self, counted: int):
        super().__init__("more than is counted")
        self.counted = counted


@transaction.atomic
def recorded_take_back(
    *, region: Region, kind: str, date: dt.date, municipality: Municipality | None, count: int
) -> int:
    """Take back ``count`` of what was recorded of ``kind`` for ``date`` and ``municipality``
    (None: the region as a whole): a number typed wrong, an event entered twice. The ledger
    keeps both: ``count`` rows marked "undone", which the statistics subtract. Raises
    ``TakeBackTooMany`` when fewer are counted. Returns ``count``."""
    if kind not in TAKE_BACK_KINDS:
        raise ValueError(f"{kind} is not recorded by hand")
    if count < 1:
        raise ValueError("count must be at least 1")
    # One take-back at a time in the region, so that a double click cannot take back twice
    # (SQLite's write transactions are one at a time already).
    list(Region.objects.select_for_update().filter(pk=region.pk).values_list("pk"))
    code = municipality.code if municipality else ""
    counted = (
        StatEvent.objects.filter(
            region_code=region.code, kind=kind, date=date, municipality_code=code
        ).aggregate(n=_NET)["n"]
        or 0
    )
    if count > counted:
        raise TakeBackTooMany(counted)
    for _ in range(count):
        stat_record(
            kind=kind, date=date, region_code=region.code, municipality_code=code, detail=UNDONE
        )
    return count
