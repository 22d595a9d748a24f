from talang.contacts.models import Household
from talang.privacy.models import AccessLog, RetentionReview


def access_log(*, region, reference: str = "", limit: int = 200):
    """Who opened which household's card, newest first, within the coordinator's region."""
    entries = AccessLog.objects.filter(user__membership__region=region).select_related("user")
    if reference:
        entries = entries.filter(household_reference=reference.strip().upper()[:9])
    return entries.order_by("-at")[:limit]


def retention_review_current(*, region):
    """The region's newest review that is not replaced by a newer one, or None."""
    return (
        RetentionReview.objects.filter(region=region)
        .exclude(state=RetentionReview.State.SUPERSEDED)
        .select_related("approved_by", "prepared_by", "erasure")
        .first()
    )


def retention_review_households(*, review, ids: list[int]) -> list:
    """The households of one page of a review that still exist, in the review's order, with
    the municipalities they are interested in (two queries)."""
    found = {
        household.pk: household
        for household in Household.objects.filter(region=review.region_id, pk__in=ids)
        .only("pk", "reference", "status", "last_activity_at")
        .prefetch_related("municipalities")
    }
    return [found[pk] for pk in ids if pk in found]
