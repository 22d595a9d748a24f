"""Writes to guidance cases and the timeline."""

import datetime as dt

from django.db import transaction

from talang.accounts.models import Municipality
from talang.contacts.models import Household, Person
from talang.guidance.models import Activity, ActivityKind, GuidanceCase
from talang.lib.workdays import first_response_due


def case_open_for(*, household: Household) -> GuidanceCase | None:
    return GuidanceCase.objects.filter(household=household, closed_at__isnull=True).first()


@transaction.atomic
def case_open(
    *, household: Household, municipalities: list[Municipality], opened_at: dt.datetime
) -> GuidanceCase:
    """Open the household's case: one municipality chosen → its queue; none or several → the
    region's. The first response is due on the fifth working day after the registration date."""
    municipality = municipalities[0] if len(municipalities) == 1 else None
    return GuidanceCase.objects.create(
        household=household,
        region_id=household.region_id,
        municipality=municipality,
        opened_at=opened_at,
        first_response_due=first_response_due(opened_at),
    )


def activity_add(
    *,
    household: Household,
    kind: ActivityKind,
    occurred_at: dt.datetime,
    case: GuidanceCase | None = None,
    person: Person | None = None,
    author=None,
    body: str = "",
    data: dict | None = None,
) -> Activity:
    return Activity.objects.create(
        household=household,
        case=case,
        person=person,
        kind=kind,
        author=author,
        occurred_at=occurred_at,
        body=body,
        data=data or {},
    )
