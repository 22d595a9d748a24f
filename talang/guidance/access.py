"""The access choke point for households (the agreement's openness, with limits).

- every guide reads every household of the region; writes only to households whose open case
  is in the guide's municipality, or in the region's queue (no municipality);
- a coordinator reads and writes every household of the region;
- a communicator reads households but never notes, calls or e-mails;
- a viewer and a network coordinator see no household at all.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from talang.accounts.access import membership_of
from talang.accounts.models import Role
from talang.contacts.models import Household
from talang.guidance.models import GuidanceCase, InboundEmail, InboundState

READERS = {Role.GUIDE, Role.COORDINATOR, Role.COMMUNICATOR}
DIALOGUE_READERS = {Role.GUIDE, Role.COORDINATOR}


def households_visible_to(*, user) -> QuerySet:
    membership = membership_of(user)
    if membership is None or membership.role not in READERS:
        return Household.objects.none()
    return Household.objects.filter(region=membership.region)


def sees_dialogue(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in DIALOGUE_READERS


def may_write(user, household: Household, case: GuidanceCase | None) -> bool:
    membership = membership_of(user)
    if membership is None or household.region_id != membership.region_id:
        return False
    if membership.role == Role.COORDINATOR:
        return True
    if membership.role != Role.GUIDE:
        return False
    return case is None or case.municipality_id in (None, membership.municipality_id)


def household_for_user(
    *, user, reference: str, write: bool = False
) -> tuple[Household, GuidanceCase | None]:
    """The household and its open case; 404 if ``user`` may not see it, 403 if not change it."""
    try:
        household = households_visible_to(user=user).get(reference=reference)
    except Household.DoesNotExist:
        raise Http404 from None
    case = (
        GuidanceCase.objects.filter(household=household, closed_at__isnull=True)
        .select_related("municipality", "assigned_guide")
        .first()
    )
    if write and not may_write(user, household, case):
        raise PermissionDenied
    return household, case


def inbox_visible_to(*, user) -> QuerySet:
    """Messages to the drop address that matched no household: the region's guides and
    coordinator see those of their region."""
    membership = membership_of(user)
    if membership is None or membership.role not in DIALOGUE_READERS:
        return InboundEmail.objects.none()
    return InboundEmail.objects.filter(region=membership.region, state=InboundState.UNMATCHED)


def inbound_for_user(*, user, pk: int) -> InboundEmail:
    """An unmatched message ``user`` may attach or dismiss, or 404."""
    try:
        return inbox_visible_to(user=user).get(pk=pk)
    except InboundEmail.DoesNotExist:
        raise Http404 from None
