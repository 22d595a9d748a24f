"""Writes of the reporting app: goals, and the employer-found-staff and event-attendance
records in the ledger (with what was recorded lately, for their pages)."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from talang.accounts.models import Municipality, Region
from talang.lib.countries import collation_key
from talang.reporting.ledger import stat_record
from talang.reporting.models import Goal, StatEvent, StatKind


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


@dataclass(frozen=True)
class Recorded:
    date: dt.date
    place: str  # the municipality's name; the region's for the region as a whole
    count: int


RECORDED_SHOWN = 30


def recorded_lately(*, region: Region, kind: str, since: dt.date) -> tuple[list[Recorded], bool]:
    """What was recorded of ``kind`` (event attendance, employers who found staff) for the
    days from ``since``, by day and municipality, the newest first: the history on the page
    where it is recorded, so that an event is not entered twice. The newest ``RECORDED_SHOWN``
    rows, and whether there are more."""
    rows = list(
        StatEvent.objects.filter(region_code=region.code, kind=kind, date__gte=since)
        .values("date", "municipality_code")
        .annotate(n=Count("id"))
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
            # A municipality since removed from the region keeps its code.
            place=names.get(row["municipality_code"], row["municipality_code"]),
            count=row["n"],
        )
        for row in shown
    ]
    return recorded, len(rows) > RECORDED_SHOWN
