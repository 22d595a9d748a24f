from django_tasks import task

from talang.privacy import retention
from talang.privacy.models import RetentionReview


@task()
def retention_review_run(*, review_id: int) -> None:
    """Delete the households of an approved retention review (enqueued on approval)."""
    review = RetentionReview.objects.filter(pk=review_id).first()
    if review is not None:
        retention.retention_review_apply(review=review)


@task()
def retention_reviews_yearly() -> None:
    """Prepare each region's yearly retention review and tell its coordinators (enqueued
    daily; acts once a year from 1 February). Deletes nothing: a coordinator approves."""
    retention.retention_reviews_yearly()
