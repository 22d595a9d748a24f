"""Households for staff integrations: guides and coordinators, under the same rules as pages."""

import datetime as dt

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from talang.accounts.models import Role
from talang.api.auth import TokenAuth
from talang.guidance import selectors
from talang.guidance.access import household_for_user
from talang.privacy.models import ErasureRecord
from talang.privacy.services import access_log_write, household_erase

router = Router(tags=["households"])
auth = TokenAuth(Role.GUIDE, Role.COORDINATOR)
coordinator_auth = TokenAuth(Role.COORDINATOR)


class PersonOut(Schema):
    role: str
    first_name: str
    last_name: str
    email: str
    phone: str
    preferred_channel: str
    birth_year: int | None


class HouseholdOut(Schema):
    reference: str
    status: str
    language: str
    municipality: str | None = Field(None, description="Code of the municipality responsible.")
    municipalities_of_interest: list[str]
    registered_at: dt.datetime
    first_response_due: dt.date | None
    first_response_at: dt.datetime | None
    assigned_guide: str | None
    people: list[PersonOut]


class HouseholdRow(Schema):
    reference: str
    status: str
    municipality: str | None
    first_name: str | None
    last_name: str | None
    registered_at: dt.datetime
    first_response_due: dt.date
    first_response_at: dt.datetime | None


class DetailOut(Schema):
    detail: str


class ErasureOut(Schema):
    erasure: int = Field(description="Id of the erasure record (it holds no personal data).")
    households: int
    persons: int
    activities: int
    submissions: int


class ListFilters(Schema):
    scope: str = Field("all", pattern="^(mine|region|assigned|all)$")
    municipality: str | None = Field(None, pattern=r"^\d{4}$")
    status: str | None = Field(None, max_length=16)
    waiting: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


@router.get(
    "/households/{reference}",
    response={200: HouseholdOut, 401: DetailOut, 403: DetailOut, 404: DetailOut},
    auth=auth,
)
def household(request: HttpRequest, reference: str):
    """One household with its people, status and first-response dates."""
    try:
        found, case = household_for_user(user=request.user, reference=reference[:12])
    except Http404:
        return Status(404, {"detail": _("No such household.")})
    access_log_write(user=request.user, household=found)
    people = found.persons.order_by("pk")
    return {
        "reference": found.reference,
        "status": case.status if case else found.status,
        "language": found.language,
        "municipality": case.municipality.code if case and case.municipality else None,
        "municipalities_of_interest": [m.code for m in found.municipalities.all()],
        "registered_at": found.registered_at,
        "first_response_due": case.first_response_due if case else None,
        "first_response_at": case.first_response_at if case else None,
        "assigned_guide": case.assigned_guide.full_name if case and case.assigned_guide else None,
        "people": [
            {
                "role": p.role,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "email": p.email,
                "phone": p.phone,
                "preferred_channel": p.preferred_channel,
                "birth_year": p.birth_year,
            }
            for p in people
        ],
    }


@router.get(
    "/households", response={200: list[HouseholdRow], 401: DetailOut, 403: DetailOut}, auth=auth
)
def households(request: HttpRequest, filters: Query[ListFilters]):
    """Open cases the token's user may see, as in the queue, first-response due first."""
    cases = selectors.queue(
        user=request.user,
        scope=filters.scope,
        filters={
            "municipality": filters.municipality or "",
            "status": filters.status or "",
            "waiting": filters.waiting,
        },
    )[filters.offset : filters.offset + filters.limit]
    return [
        {
            "reference": c.household.reference,
            "status": c.status,
            "municipality": c.municipality.code if c.municipality else None,
            "first_name": c.first_name,
            "last_name": c.last_name,
            "registered_at": c.household.registered_at,
            "first_response_due": c.first_response_due,
            "first_response_at": c.first_response_at,
        }
        for c in cases
    ]


@router.post(
    "/households/{reference}/erase",
    response={200: ErasureOut, 401: DetailOut, 403: DetailOut, 404: DetailOut},
    auth=coordinator_auth,
)
def household_erase_endpoint(request: HttpRequest, reference: str):
    """Erase the household on the person's request (coordinators only): its people,
    consents, timeline, submissions, magazine orders and subscriptions are deleted for real;
    the anonymous statistics stay. Afterwards the household answers 404."""
    try:
        found, _case = household_for_user(user=request.user, reference=reference[:12], write=True)
    except Http404:
        return Status(404, {"detail": _("No such household.")})
    record = household_erase(
        household=found, reason=ErasureRecord.Reason.STAFF_ON_REQUEST, by=request.user
    )
    return {
        "erasure": record.pk,
        "households": record.households,
        "persons": record.persons,
        "activities": record.activities,
        "submissions": record.submissions,
    }
