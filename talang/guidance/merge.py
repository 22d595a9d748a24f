"""Merging two households that turn out to be the same."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talang.contacts.models import Household, Person, PersonRole
from talang.contacts.services import household_search_refresh
from talang.guidance.models import ActivityKind, GuidanceCase
from talang.guidance.services import activity_add

# The kept household's own: identity, bookkeeping and state, never taken from the other.
NOT_FILLED = {
    "id",
    "reference",
    "region",
    "status",
    "language",
    "adults",
    "registered_at",
    "last_activity_at",
    "version",
    "search_text",
}


def _fill_empty(keep: Household, merge: Household) -> list[str]:
    filled = []
    for field in Household._meta.concrete_fields:
        if field.name in NOT_FILLED:
            continue
        if getattr(keep, field.attname) in (None, "") and getattr(merge, field.attname) not in (
            None,
            "",
        ):
            setattr(keep, field.attname, getattr(merge, field.attname))
            filled.append(field.name)
    return filled


def _repoint(keep: Household, merge: Household) -> None:
    """Move every row of any app that points at ``merge`` to ``keep`` (cases excepted).

    Found through the model's relations, so that guidance need not know the apps that
    depend on it (intake's submissions, outreach's orders and subscriptions, …)."""
    for relation in Household._meta.related_objects:
        if relation.related_model is GuidanceCase:
            continue
        if relation.many_to_many:
            accessor = relation.get_accessor_name()
            getattr(keep, accessor).add(*getattr(merge, accessor).all())
        elif relation.one_to_many:
            name = relation.field.name
            relation.related_model._base_manager.filter(**{name: merge}).update(**{name: keep})
        else:
            raise TypeError(f"no merge rule for {relation}")


@transaction.atomic
def household_merge(*, keep: Household, merge: Household, by) -> Household:
    """Merge ``merge`` into ``keep`` and delete it.

    Everything of ``merge`` moves to ``keep``: people (with their consents), timeline,
    follow-ups, submissions, magazine orders, subscriptions and its cases. ``keep``'s open case
    stays open and ``merge``'s is closed; if ``keep`` has none, ``merge``'s becomes its open case.
    Municipalities of interest are joined, and details empty on ``keep`` are filled from
    ``merge``. The merge is recorded on ``keep``'s timeline. Statistics are not changed.
    """
    if keep.pk == merge.pk:
        raise ValidationError(_("A household cannot be merged with itself."))
    if keep.region_id != merge.region_id:
        raise ValidationError(_("Only households of the same region can be merged."))
    now = timezone.now()
    locked = {
        household.pk: household
        for household in Household.objects.select_for_update()
        .filter(pk__in=[keep.pk, merge.pk])
        .order_by("pk")
    }
    kept, merged = locked[keep.pk], locked[merge.pk]

    cases = GuidanceCase.objects.select_for_update()
    open_case = cases.filter(household=kept, closed_at__isnull=True).first()
    if open_case is not None:
        cases.filter(household=merged, closed_at__isnull=True).update(closed_at=now)
    else:
        open_case = cases.filter(household=merged, closed_at__isnull=True).first()
        if open_case is not None:
            kept.status = open_case.status
    GuidanceCase.objects.filter(household=merged).update(household=kept)

    # One contact person per household: the merged one joins as an adult.
    if Person.objects.filter(household=kept, role=PersonRole.MAIN).exists():
        Person.objects.filter(household=merged, role=PersonRole.MAIN).update(role=PersonRole.ADULT)
    kept.municipalities.add(*merged.municipalities.all())
    _repoint(kept, merged)

    filled = _fill_empty(kept, merged)
    kept.version += 1
    kept.last_activity_at = now
    kept.save(update_fields=[*filled, "status", "version", "last_activity_at"])
    activity_add(
        household=kept,
        case=open_case,
        kind=ActivityKind.MERGE,
        author=by,
        occurred_at=now,
        data={"merged": merged.reference, "filled": filled},
    )
    merged.delete()
    household_search_refresh(household=kept)
    keep.refresh_from_db()
    return keep
