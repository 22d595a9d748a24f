"""Reads for the guide's workspace: the queue, the card and its timeline."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from talang.accounts.access import membership_of
from talang.accounts.models import Municipality, Role
from talang.contacts import services as contacts
from talang.contacts.channels import channel_labels
from talang.contacts.models import Household, MoveStatus, Person, PersonRole
from talang.contacts.search import Hit, households_find
from talang.contacts.selectors import contact_person
from talang.guidance.access import (
    READERS,
    households_visible_to,
    inbox_visible_to,
    sees_dialogue,
)
from talang.guidance.models import Activity, ActivityKind, FollowUp, GuidanceCase
from talang.lib import workdays
from talang.lib.paging import CappedPaginator

SCOPES = ("mine", "region", "assigned", "all")
ORDERS = {
    # Households still waiting for a first response first, the most urgent on top.
    "due": (F("first_response_at").asc(nulls_first=True), "first_response_due", "pk"),
    "-registered": ("-opened_at", "-pk"),
    "registered": ("opened_at", "pk"),
    "status": ("status", "first_response_due", "pk"),
}
DIALOGUE_KINDS = {
    ActivityKind.NOTE,
    ActivityKind.CALL,
    ActivityKind.EMAIL_IN,
    ActivityKind.EMAIL_OUT,
    ActivityKind.MEETING,
    ActivityKind.VISIT,
}


def _main_person(field: str, household: str = "household") -> Subquery:
    """A field of the household's contact person; ``household`` names the outer household."""
    return Subquery(
        Person.objects.filter(household=OuterRef(household), role=PersonRole.MAIN)
        .order_by("pk")
        .values(field)[:1]
    )


def queue(
    *, user, scope: str = "mine", filters: dict | None = None, order: str = "due"
) -> QuerySet:
    """Open cases the user may see, with the contact person's name, newest deadlines first."""
    membership = membership_of(user)
    if membership is None or membership.role not in READERS:
        return GuidanceCase.objects.none()
    cases = (
        # A case belongs to its household's region, so the region filter needs no join
        # (it keeps the page count cheap with a million open cases).
        GuidanceCase.objects.filter(closed_at__isnull=True, region_id=membership.region_id)
        .select_related("household", "municipality", "assigned_guide")
        .annotate(
            first_name=_main_person("first_name"),
            last_name=_main_person("last_name"),
            channel=_main_person("preferred_channel"),
        )
    )
    if scope == "mine" and membership.role == Role.GUIDE:
        cases = cases.filter(municipality_id=membership.municipality_id)
    elif scope == "region":
        cases = cases.filter(municipality__isnull=True)
    elif scope == "assigned":
        cases = cases.filter(assigned_guide=user)
    filters = filters or {}
    if filters.get("municipality"):
        cases = cases.filter(municipality__code=filters["municipality"])
    for name in ("status",):
        if filters.get(name):
            cases = cases.filter(**{name: filters[name]})
    if filters.get("guide"):
        cases = cases.filter(assigned_guide_id=filters["guide"])
    for name in ("language", "timeline", "origin_country"):
        if filters.get(name):
            cases = cases.filter(**{f"household__{name}": filters[name]})
    if filters.get("channel"):
        cases = cases.filter(household__channel_form__startswith=filters["channel"])
    if filters.get("waiting"):
        cases = cases.filter(first_response_at__isnull=True)
    return cases.order_by(*ORDERS.get(order, ORDERS["due"]))


def with_deadlines(cases) -> list:
    """Attach working days left (negative when overdue) to each case of a page."""
    today = timezone.localdate()
    rows = list(cases)
    for case in rows:
        case.days_left = (
            None
            if case.first_response_at
            else workdays.working_days_between(today, case.first_response_due)
        )
        case.overdue = case.days_left is not None and case.days_left < 0
        case.days_overdue = -case.days_left if case.overdue else 0
    return rows


def follow_ups_open(*, user, limit: int = 50) -> QuerySet:
    return (
        FollowUp.objects.filter(
            done_at__isnull=True, assignee=user, household__in=households_visible_to(user=user)
        )
        .select_related("household")
        .order_by("due_on")[:limit]
    )


# Timeline entries per page of the card, newest first.
TIMELINE_PAGE = 100


def card(*, user, household: Household, timeline_page: str | int = 1) -> dict:
    """Everything the contact card shows, in a fixed number of queries. The timeline comes a
    page at a time (``timeline_page``, from 1: the newest TIMELINE_PAGE entries)."""
    people = list(
        Person.objects.filter(household=household)
        .prefetch_related(Prefetch("consents", to_attr="consent_list"))
        .select_related("postal_address")
        .order_by("pk")
    )
    timeline = Activity.objects.filter(household=household).select_related("author", "person")
    if not sees_dialogue(user):
        timeline = timeline.exclude(kind__in=DIALOGUE_KINDS).exclude(
            ~Q(body=""), kind=ActivityKind.HANDOVER
        )
    page = CappedPaginator(timeline, TIMELINE_PAGE).get_page(timeline_page)
    timeline = list(page.object_list)
    _unconfirmed_mark(timeline, people, household)
    return {
        "people": people,
        "contact": contact_person(people),
        "municipalities": list(household.municipalities.all()),
        "channel": _channel_label(household),
        "timeline": timeline,
        "timeline_page": page,
        "follow_ups": list(
            FollowUp.objects.filter(household=household, done_at__isnull=True).select_related(
                "assignee"
            )
        ),
    }


def _channel_label(household: Household) -> str:
    """The form the household registered through, by name as the statistics name it ("Åre's
    form", "The registration API"); "" when unknown."""
    key = household.channel_form
    if not key:
        return ""
    names = {}
    if ":" in key:  # "<form>:<the region's or a municipality's code>"
        names = dict(
            Municipality.objects.filter(region_id=household.region_id).values_list("code", "name")
        )
    return channel_labels(household.region.code, names).get(key, key)


@dataclass
class Unconfirmed:
    """A contact detail a registration gave that was kept off the person's record."""

    name: str  # one of contacts.UNCONFIRMED_FIELDS
    value: str | dict
    on_record: bool  # a guide has put it there since
    replaces: bool  # the record holds another value
    declined: Activity | None = None  # the entry where a guide found it is not theirs


def _unconfirmed_mark(timeline: list[Activity], people: list[Person], household) -> None:
    """Give each registration that brought unconfirmed contact details (see
    contacts.household_register) their state against the person's record now, as
    ``entry.unconfirmed``, from the people already read. The guides' declines
    (guidance.services.unconfirmed_decline) can be on a newer page of the timeline: they are
    read in one query, when a registration on this page has details waiting."""
    by_pk = {person.pk: person for person in people}
    waiting = [
        entry
        for entry in timeline
        if entry.kind == ActivityKind.REGISTRATION and entry.data.get("unconfirmed")
    ]
    if not waiting:
        return
    declines = {}
    for entry in Activity.objects.filter(
        household=household, kind=ActivityKind.EDIT, data__has_key="declined"
    ).select_related("author"):
        declined = entry.data["declined"]
        if isinstance(declined, dict):
            declines.setdefault((declined.get("registration"), declined.get("detail")), entry)
    for entry in waiting:
        given = entry.data["unconfirmed"]
        person = by_pk.get(entry.person_id)
        if person is None:
            continue
        entry.unconfirmed = [
            Unconfirmed(
                name=name,
                value=value,
                on_record=contacts.on_record(person, name, value),
                replaces=bool(getattr(person, name, None)),
                declined=declines.get((entry.pk, name)),
            )
            for name, value in given.items()
            if name in contacts.UNCONFIRMED_FIELDS
        ]


@dataclass(frozen=True)
class Found:
    """A household in the search results, and where its latest case is: households of the
    same name tell apart by it."""

    hit: Hit
    has_case: bool = False
    municipality: str = ""  # the latest case's municipality by name; "" for the region's queue


def households_search(*, user, query: str, limit: int = 50) -> tuple[list[Found], bool]:
    """Households of the user's region matching ``query`` (newest first, at most ``limit``)
    and whether more match; nothing for roles that may not read households. In two queries."""
    membership = membership_of(user)
    if membership is None or membership.role not in READERS:
        return [], False
    hits, more = households_find(region_id=membership.region_id, query=query, limit=limit)
    if not hits:
        return [], more
    cases = (
        GuidanceCase.objects.filter(
            region_id=membership.region_id, household__reference__in=[h.reference for h in hits]
        )
        .order_by(F("closed_at").desc(nulls_first=True), "-opened_at", "-pk")
        .values_list("household__reference", "municipality__name")
    )
    latest = {}
    for reference, municipality in cases:
        latest.setdefault(reference, municipality or "")
    found = [Found(hit, hit.reference in latest, latest.get(hit.reference, "")) for hit in hits]
    return found, more


def inbox(*, user) -> QuerySet:
    """The region's messages that matched no household, newest first."""
    return inbox_visible_to(user=user).order_by("-received_at", "-pk")


# The yearly update of move status: households still in dialogue, i.e. not new (nobody has
# talked to them yet) and without an outcome (moved, not moving).
REVIEW_STATUSES = [
    status
    for status in MoveStatus.values
    if status not in {MoveStatus.NEW, MoveStatus.MOVED, MoveStatus.NOT_MOVING}
]
REGION_QUEUE = "region"


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cases_for_move_review(*, user, months: int, municipality: str = "") -> QuerySet:
    """Open cases of the user's region still in dialogue whose household has had no update
    (``last_activity_at``) for ``months`` months, the oldest update first. ``municipality`` is
    a municipality code, ``REGION_QUEUE`` for the region's queue, or "" for all of them."""
    membership = membership_of(user)
    if membership is None or membership.role not in READERS:
        return GuidanceCase.objects.none()
    cutoff = months_before(timezone.now(), months)
    cases = GuidanceCase.objects.filter(
        region=membership.region,
        closed_at__isnull=True,
        status__in=REVIEW_STATUSES,
        household__last_activity_at__lt=cutoff,
    )
    if municipality == REGION_QUEUE:
        cases = cases.filter(municipality__isnull=True)
    elif municipality:
        cases = cases.filter(municipality__code=municipality)
    return (
        cases.select_related("household", "municipality", "assigned_guide")
        .annotate(
            first_name=_main_person("first_name"),
            last_name=_main_person("last_name"),
        )
        .order_by("household__last_activity_at", "pk")
    )
