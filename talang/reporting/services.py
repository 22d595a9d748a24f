"""Writes of the reporting app: goals, and the employer-found-staff record in the ledger."""

import datetime as dt

from django.db import transaction

from talang.accounts.models import Municipality, Region
from talang.reporting.ledger import stat_record
from talang.reporting.models import Goal, StatKind


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
