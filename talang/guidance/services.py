"""Writes to guidance cases and the timeline."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from talang.accounts.models import Municipality
from talang.contacts.models import Household, MoveStatus, Person
from talang.guidance.models import OUTGOING, Activity, ActivityKind, FollowUp, GuidanceCase
from talang.lib.emails import send_after_commit
from talang.lib.workdays import first_response_due, local_date
from talang.reporting.ledger import stat_record
from talang.reporting.models import StatKind


def case_open_for(*, household: Household) -> GuidanceCase | None:
    return GuidanceCase.objects.filter(household=household, closed_at__isnull=True).first()


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


class Conflict(Exception):
    """Someone else changed the household since the form was opened."""


def _touch(household: Household, at: dt.datetime) -> None:
    Household.objects.filter(pk=household.pk).update(last_activity_at=at)


def _ledger_first_response(case: GuidanceCase, at: dt.datetime) -> None:
    on_time = local_date(at) <= case.first_response_due
    household = case.household
    stat_record(
        kind=StatKind.FIRST_RESPONSE_ON_TIME if on_time else StatKind.FIRST_RESPONSE_LATE,
        date=local_date(at),
        region_code=case.region.code,
        municipality_code=case.municipality.code if case.municipality else "",
        channel=household.channel_form,
        campaign=household.utm_campaign,
    )


@transaction.atomic
def activity_record(
    *,
    household: Household,
    case: GuidanceCase | None,
    kind: str,
    author,
    body: str = "",
    occurred_at: dt.datetime | None = None,
    person: Person | None = None,
    data: dict | None = None,
) -> Activity:
    """Put an entry on the timeline. The first outgoing contact meets the first response:
    it is stamped on the case and written to the ledger as on time or late."""
    at = occurred_at or timezone.now()
    activity = activity_add(
        household=household,
        case=case,
        person=person,
        kind=kind,
        author=author,
        occurred_at=at,
        body=body,
        data=data,
    )
    _touch(household, max(at, household.last_activity_at))
    if case is not None and kind in OUTGOING:
        locked = (
            GuidanceCase.objects.select_for_update(of=("self",))
            .select_related("region", "municipality", "household")
            .get(pk=case.pk)
        )
        if locked.first_response_at is None:
            locked.first_response_at = at
            fields = ["first_response_at"]
            if locked.status == MoveStatus.NEW:
                locked.status = MoveStatus.CONTACTED
                fields.append("status")
                Household.objects.filter(pk=household.pk).update(status=MoveStatus.CONTACTED)
            locked.save(update_fields=fields)
            _ledger_first_response(locked, at)
            case.first_response_at, case.status = locked.first_response_at, locked.status
    return activity


@transaction.atomic
def case_status_change(
    *,
    case: GuidanceCase,
    status: str,
    by,
    moved_on: dt.date | None = None,
    moved_to: Municipality | None = None,
    confirmed_by: str = "",
    note: str = "",
) -> GuidanceCase:
    """Change the move status. "Moved" records date, municipality and how it was confirmed,
    and plans a follow-up twelve months later ("still living here?")."""
    case = (
        GuidanceCase.objects.select_for_update(of=("self",))
        .select_related("household", "region", "municipality")
        .get(pk=case.pk)
    )
    before = case.status
    if before == status and status != MoveStatus.MOVED:
        return case
    now = timezone.now()
    # The move the ledger counted so far, to take back if the status leaves "moved" or the
    # move is corrected.
    counted = (
        (case.moved_on, _move_municipality(case, case.moved_to))
        if before == MoveStatus.MOVED
        else None
    )
    case.status = status
    fields = ["status"]
    if status == MoveStatus.MOVED:
        moved_on = moved_on or local_date(now)
        case.moved_on, case.moved_to, case.move_confirmed_by = moved_on, moved_to, confirmed_by
        fields += ["moved_on", "moved_to", "move_confirmed_by"]
    case.save(update_fields=fields)
    household = case.household
    Household.objects.filter(pk=household.pk).update(status=status, last_activity_at=now)
    activity_add(
        household=household,
        case=case,
        kind=ActivityKind.STATUS_CHANGE,
        author=by,
        occurred_at=now,
        body=note,
        data={
            "from": before,
            "to": status,
            "moved_on": moved_on.isoformat() if moved_on else None,
            "moved_to": moved_to.code if moved_to else None,
            "confirmed_by": confirmed_by,
        },
    )
    municipality_code = case.municipality.code if case.municipality else ""
    stat_record(
        kind=StatKind.STATUS_CHANGE,
        date=local_date(now),
        region_code=case.region.code,
        municipality_code=municipality_code,
        channel=household.channel_form,
        detail=status,
    )
    move = (moved_on, _move_municipality(case, moved_to)) if status == MoveStatus.MOVED else None
    if counted is not None and counted != move and counted[0] is not None:
        _ledger_move(case, date=counted[0], municipality_code=counted[1], detail="undone")
    if move is not None and move != counted:
        _ledger_move(case, date=move[0], municipality_code=move[1])
    if status == MoveStatus.MOVED and before != MoveStatus.MOVED:
        FollowUp.objects.create(
            household=household,
            assignee=case.assigned_guide or by,
            created_by=by,
            due_on=(moved_on or local_date(now)) + dt.timedelta(days=365),
            note=gettext("Still living here? Twelve months after the move."),
        )
    return case


def _move_municipality(case: GuidanceCase, moved_to: Municipality | None) -> str:
    if moved_to is not None:
        return moved_to.code
    return case.municipality.code if case.municipality else ""


def _ledger_move(
    case: GuidanceCase, *, date: dt.date, municipality_code: str, detail: str = ""
) -> None:
    """A MOVE row with the registration month and the days it took (never negative); a move
    taken back is the same row with detail "undone", so the counts of its period go down."""
    household = case.household
    registered_on = local_date(household.registered_at)
    registration = (
        Activity.objects.filter(household=household, kind=ActivityKind.REGISTRATION)
        .order_by("occurred_at", "pk")
        .values_list("data", flat=True)
        .first()
    )
    stat_record(
        kind=StatKind.MOVE,
        date=date,
        region_code=case.region.code,
        municipality_code=municipality_code,
        channel=household.channel_form,
        campaign=household.utm_campaign,
        # As on the REGISTRATION row: the Swedish county if one was given, else the country.
        origin=(registration or {}).get("origin") or household.origin_country,
        size=household.size,
        detail=detail,
        cohort=registered_on.replace(day=1),
        days=max((date - registered_on).days, 0),
    )


@transaction.atomic
def case_assign(*, case: GuidanceCase, guide, by) -> None:
    GuidanceCase.objects.filter(pk=case.pk).update(assigned_guide=guide)
    activity_add(
        household=case.household,
        case=case,
        kind=ActivityKind.ASSIGNMENT,
        author=by,
        occurred_at=timezone.now(),
        data={"guide": guide.pk if guide else None, "guide_name": guide.full_name if guide else ""},
    )
    case.assigned_guide = guide


@transaction.atomic
def case_hand_over(*, case: GuidanceCase, municipality: Municipality, note: str, by) -> None:
    """Move the case to another municipality's queue; its guides are told by e-mail."""
    before = case.municipality
    GuidanceCase.objects.filter(pk=case.pk).update(municipality=municipality, assigned_guide=None)
    activity_add(
        household=case.household,
        case=case,
        kind=ActivityKind.HANDOVER,
        author=by,
        occurred_at=timezone.now(),
        body=note,
        data={
            "from": before.code if before else None,
            "to": municipality.code,
            "from_name": before.name if before else case.region.name,
            "to_name": municipality.name,
        },
    )
    from talang.accounts.models import Membership, Role

    guides = Membership.objects.filter(
        role=Role.GUIDE, municipality=municipality, user__is_active=True
    ).select_related("user")
    for membership in guides:
        send_after_commit(
            "handover",
            membership.user.email,
            {
                "reference": case.household.reference,
                "municipality": municipality.name,
                "from": before.name if before else case.region.name,
            },
            language="sv",
        )
    case.municipality = municipality
    case.assigned_guide = None


@transaction.atomic
def follow_up_add(*, household: Household, due_on: dt.date, assignee, note: str, by) -> FollowUp:
    follow_up = FollowUp.objects.create(
        household=household, due_on=due_on, assignee=assignee, note=note, created_by=by
    )
    activity_add(
        household=household,
        kind=ActivityKind.FOLLOW_UP,
        author=by,
        occurred_at=timezone.now(),
        body=note,
        data={"due_on": due_on.isoformat(), "assignee": assignee.full_name if assignee else ""},
    )
    return follow_up


@transaction.atomic
def follow_up_done(*, follow_up: FollowUp, by) -> None:
    if follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.save(update_fields=["done_at"])


def details_changed(*, household: Household, case: GuidanceCase | None, changes: dict, by) -> None:
    """Record on the timeline who changed which details, with before and after; ``by`` None:
    the household itself, through its own link (talang/intake/self_service.py)."""
    activity_add(
        household=household,
        case=case,
        kind=ActivityKind.EDIT,
        author=by,
        occurred_at=timezone.now(),
        data={"changes": changes, **({} if by else {"by": "household"})},
    )


@transaction.atomic
def unconfirmed_decline(
    *, household: Household, case: GuidanceCase | None, registration: Activity, name: str, by
) -> bool:
    """Record that a contact detail a registration left waiting (see
    contacts.household_register) is not the household's: the guide checked with the person,
    and it stays off the card. A new entry on the timeline, which the card reads to stop
    offering the detail; the registration's own entry is not edited. Returns False when the
    detail was already declined."""
    # Locked: two guides declining at once record it once.
    Household.objects.select_for_update().filter(pk=household.pk).first()
    already = Activity.objects.filter(
        household=household,
        kind=ActivityKind.EDIT,
        data__declined__registration=registration.pk,
        data__declined__detail=name,
    ).exists()
    if already:
        return False
    at = timezone.now()
    activity_add(
        household=household,
        case=case,
        person=registration.person,
        kind=ActivityKind.EDIT,
        author=by,
        occurred_at=at,
        data={
            "declined": {
                "registration": registration.pk,
                "detail": name,
                "registered_on": local_date(registration.occurred_at).isoformat(),
            }
        },
    )
    _touch(household, at)
    return True
