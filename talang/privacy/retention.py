"""Register hygiene: the region's retention rule, its yearly review and the deletion it approves.

A review stores the ids of the households the rule selects when it is prepared. Approval
deletes exactly those, each only if it still matches the rule then (a household that became
active again, or whose person confirmed a newsletter subscription, is kept and counted as kept).
Deletion runs in batches, each its own transaction, so a large run can be followed and an
interrupted one resumes where it stopped. The statistics ledger is never touched.
"""

import calendar
import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talang.accounts.models import Membership, Region, Role
from talang.contacts.models import Household, Person
from talang.guidance.models import Activity, InboundEmail
from talang.intake.models import Submission
from talang.lib.emails import send_after_commit
from talang.lib.workdays import STOCKHOLM
from talang.outreach.models import MagazineOrder, Subscription
from talang.privacy.models import ErasureRecord, RetentionReview, RetentionRule

DEFAULT_MONTHS = 60
MIN_MONTHS = 12
MAX_MONTHS = 600
# The demo's rule cites a decision that does not exist, and says so.
DEMO_REFERENCE = "ENDAST EXEMPEL (demo): Dokumenthanteringsplan, beslut RS/123/2024"
# A double opt-in request not confirmed within this many days is deleted with the review.
PENDING_SUBSCRIPTION_DAYS = 30
# The yearly review is prepared on this day (Stockholm), or on the first run after it.
REVIEW_MONTH, REVIEW_DAY = 2, 1
BATCH_SIZE = 500


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same local day and time ``months`` calendar months earlier (clamped to the month's
    last day), so that "60 months" means five years on the calendar, not 60 times 30 days."""
    local = moment.astimezone(STOCKHOLM)
    index = local.year * 12 + local.month - 1 - months
    year, month = divmod(index, 12)
    day = min(local.day, calendar.monthrange(year, month + 1)[1])
    return local.replace(year=year, month=month + 1, day=day)


def retention_rule_for(*, region: Region) -> RetentionRule:
    """The region's rule; a region without one gets the default (60 months, no reference)."""
    rule, _created = RetentionRule.objects.get_or_create(
        region=region,
        defaults={
            "inactive_months": DEFAULT_MONTHS,
            "decision_reference": DEMO_REFERENCE if settings.TALANG_DEMO else "",
        },
    )
    return rule


@transaction.atomic
def retention_rule_update(
    *, region: Region, inactive_months: int, decision_reference: str, by
) -> RetentionRule:
    """Change the region's rule; raises ValidationError (by field) on a bad value."""
    errors = {}
    if not MIN_MONTHS <= inactive_months <= MAX_MONTHS:
        errors["inactive_months"] = _("Write a number of months from %(min)d to %(max)d.") % {
            "min": MIN_MONTHS,
            "max": MAX_MONTHS,
        }
    decision_reference = " ".join(decision_reference.split())
    if not decision_reference:
        errors["decision_reference"] = _(
            "Write the reference of the retention decision this rule implements."
        )
    if errors:
        raise ValidationError(errors)
    rule = RetentionRule.objects.select_for_update().get(pk=retention_rule_for(region=region).pk)
    rule.inactive_months = inactive_months
    rule.decision_reference = decision_reference[:300]
    rule.changed_by = by
    rule.changed_at = timezone.now()
    rule.save(update_fields=["inactive_months", "decision_reference", "changed_by", "changed_at"])
    return rule


def _active_subscribers(region: Region) -> QuerySet:
    return Subscription.objects.filter(region=region, state=Subscription.State.ACTIVE)


def households_to_delete(*, region: Region, inactive_before: dt.datetime) -> QuerySet:
    """The region's households with no activity since ``inactive_before`` and no person with
    an active (confirmed, not unsubscribed) newsletter subscription."""
    active = _active_subscribers(region)
    subscribed = Exists(active.filter(household=OuterRef("pk"))) | Exists(
        Person.objects.filter(
            household=OuterRef("pk"), email__in=active.exclude(email="").values("email")
        )
    )
    return (
        Household.objects.filter(region=region, last_activity_at__lt=inactive_before)
        .exclude(subscribed)
        .order_by("last_activity_at", "pk")
    )


def _stale_subscriptions(region: Region, now: dt.datetime) -> QuerySet:
    """Newsletter requests never confirmed within 30 days, and unsubscribed addresses: the
    unsubscription needs nothing kept (only active subscriptions are ever sent to)."""
    return Subscription.objects.filter(region=region).filter(
        Q(state=Subscription.State.UNSUBSCRIBED)
        | Q(
            state=Subscription.State.PENDING,
            created_at__lt=now - dt.timedelta(days=PENDING_SUBSCRIPTION_DAYS),
        )
    )


def stale_subscriptions_count(*, region: Region, now: dt.datetime | None = None) -> int:
    return _stale_subscriptions(region, now or timezone.now()).count()


def _standalone(region: Region, inactive_before: dt.datetime) -> tuple[QuerySet, QuerySet]:
    """Magazine orders and form submissions never linked to a household (a magazine ordered on
    its own, a newsletter sign-up's form post, a registration that never got processed) that
    are older than the rule's months: contacts with nothing done since they were made."""
    orders = MagazineOrder.objects.filter(
        region=region, household__isnull=True, ordered_at__lt=inactive_before
    )
    submissions = Submission.objects.filter(
        household__isnull=True, received_at__lt=inactive_before, channel__region=region.code
    )
    return orders, submissions


def standalone_counts(*, region: Region, now: dt.datetime | None = None) -> dict[str, int]:
    """What approval would delete of those today: {"magazine_orders": n, "submissions": n}."""
    rule = retention_rule_for(region=region)
    orders, submissions = _standalone(
        region, months_before(now or timezone.now(), rule.inactive_months)
    )
    return {"magazine_orders": orders.count(), "submissions": submissions.count()}


@transaction.atomic
def retention_review_prepare(*, region: Region, by=None, now: dt.datetime | None = None):
    """Store the ids of the households the rule selects now, for a coordinator to approve.
    An earlier preview still waiting is replaced (only the newest can be approved)."""
    now = now or timezone.now()
    rule = retention_rule_for(region=region)
    inactive_before = months_before(now, rule.inactive_months)
    RetentionReview.objects.filter(region=region, state=RetentionReview.State.WAITING).update(
        state=RetentionReview.State.SUPERSEDED
    )
    ids = list(
        households_to_delete(region=region, inactive_before=inactive_before).values_list(
            "pk", flat=True
        )
    )
    return RetentionReview.objects.create(
        region=region,
        prepared_at=now,
        prepared_by=by,
        inactive_months=rule.inactive_months,
        inactive_before=inactive_before,
        household_ids=ids,
    )


def review_for(*, region: Region, pk) -> RetentionReview:
    """A review of the region, or RetentionReview.DoesNotExist."""
    try:
        return RetentionReview.objects.get(region=region, pk=int(pk))
    except (TypeError, ValueError):
        raise RetentionReview.DoesNotExist from None


def _approval_errors(review: RetentionReview, rule: RetentionRule) -> str:
    if review.state != RetentionReview.State.WAITING:
        return _("This preview can no longer be approved; make a new preview.")
    if not rule.decision_reference:
        return _("Record the retention decision the rule implements before approving.")
    if rule.inactive_months != review.inactive_months:
        return _("The rule has changed since this preview; make a new preview.")
    return ""


@transaction.atomic
def retention_review_approve(*, review: RetentionReview, by, run: bool = True) -> RetentionReview:
    """Approve the preview; the deletion then runs in the worker (``run``) or the caller runs
    ``retention_review_apply`` itself (the command, with a progress bar)."""
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    membership = Membership.objects.filter(user=by, region=review.region_id).first()
    if membership is None or membership.role != Role.COORDINATOR or not by.is_active:
        raise ValidationError(_("Only a coordinator of the region can approve a deletion."))
    error = _approval_errors(review, retention_rule_for(region=review.region))
    if error:
        raise ValidationError(error)
    review.state = RetentionReview.State.APPROVED
    review.approved_by = by
    review.approved_at = timezone.now()
    review.save(update_fields=["state", "approved_by", "approved_at"])
    if run:
        from talang.privacy.tasks import retention_review_run

        transaction.on_commit(lambda: retention_review_run.enqueue(review_id=review.pk))
    return review


def _delete_batch(review: RetentionReview, ids: list[int], inactive_before: dt.datetime) -> dict:
    """Delete the households of ``ids`` that still match the rule, with everything about them."""
    region = review.region
    existing = set(Household.objects.filter(region=region, pk__in=ids).values_list("pk", flat=True))
    doomed = list(
        households_to_delete(region=region, inactive_before=inactive_before)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    counts = {"kept": len(existing) - len(doomed), "households": len(doomed)}
    people = Person.objects.filter(household_id__in=doomed)
    emails = sorted({email for email in people.values_list("email", flat=True) if email})
    counts["persons"] = people.count()
    counts["activities"] = Activity.objects.filter(household_id__in=doomed).count()
    # The e-mails on their cards, and any of theirs still unmatched in the region's inbox.
    inbound = InboundEmail.objects.filter(
        Q(household_id__in=doomed)
        | Q(region=region, household__isnull=True, from_address__in=emails)
    )
    counts["emails"] = inbound.count()
    counts["submissions"] = Submission.objects.filter(household_id__in=doomed).delete()[0]
    counts["magazine_orders"] = MagazineOrder.objects.filter(household_id__in=doomed).delete()[0]
    counts["subscriptions"] = (
        Subscription.objects.filter(Q(household_id__in=doomed) | Q(region=region, email__in=emails))
        .exclude(state=Subscription.State.ACTIVE)
        .delete()[0]
    )
    inbound.delete()
    # Cascades to people, consents, addresses, cases, activities and follow-ups.
    Household.objects.filter(pk__in=doomed).delete()
    return counts


def retention_review_apply(
    *, review: RetentionReview, progress: Callable[[int, int], None] | None = None
) -> ErasureRecord | None:
    """Delete the approved review's households in batches and write the deletion record.

    Returns the record, or None if the review is not approved (or already done). Safe to run
    again after an interruption: it resumes after the last finished batch.
    """
    review = RetentionReview.objects.select_related("region").get(pk=review.pk)
    if review.state != RetentionReview.State.APPROVED:
        return review.erasure if review.state == RetentionReview.State.DONE else None
    rule = retention_rule_for(region=review.region)
    # The rule as it stands at approval time decides; a rule changed since is refused there.
    inactive_before = months_before(review.approved_at, rule.inactive_months)
    ids = review.household_ids
    while review.processed < len(ids):
        batch = ids[review.processed : review.processed + BATCH_SIZE]
        with transaction.atomic():
            review = RetentionReview.objects.select_for_update().get(pk=review.pk)
            if review.state != RetentionReview.State.APPROVED:
                return None
            counts = _delete_batch(review, batch, inactive_before)
            review.counts = {
                name: review.counts.get(name, 0) + value for name, value in counts.items()
            }
            review.processed += len(batch)
            review.save(update_fields=["counts", "processed"])
        if progress:
            progress(review.processed, len(ids))
    return _finish(review, rule)


@transaction.atomic
def _finish(review: RetentionReview, rule: RetentionRule) -> ErasureRecord:
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.state == RetentionReview.State.DONE:
        return review.erasure
    now = timezone.now()
    stale = _stale_subscriptions(review.region, now).delete()[0]
    orders, submissions = _standalone(
        review.region, months_before(review.approved_at, rule.inactive_months)
    )
    standalone_orders, standalone_submissions = orders.delete()[0], submissions.delete()[0]
    counts = review.counts
    record = ErasureRecord.objects.create(
        erased_at=now,
        reason=ErasureRecord.Reason.RETENTION,
        region=review.region,
        rule_months=rule.inactive_months,
        decision_reference=rule.decision_reference,
        households=counts.get("households", 0),
        persons=counts.get("persons", 0),
        activities=counts.get("activities", 0),
        submissions=counts.get("submissions", 0) + standalone_submissions,
        magazine_orders=counts.get("magazine_orders", 0) + standalone_orders,
        emails=counts.get("emails", 0),
        subscriptions=counts.get("subscriptions", 0) + stale,
        kept=counts.get("kept", 0),
        approved_by=review.approved_by,
    )
    review.state = RetentionReview.State.DONE
    review.finished_at = now
    review.erasure = record
    review.save(update_fields=["state", "finished_at", "erasure"])
    return record


def retention_records(*, region: Region) -> QuerySet:
    """The region's past retention runs, newest first (no personal data in them)."""
    return ErasureRecord.objects.filter(
        region=region, reason=ErasureRecord.Reason.RETENTION
    ).select_related("approved_by")


def _review_due(region: Region, now: dt.datetime) -> bool:
    local = now.astimezone(STOCKHOLM)
    start = dt.datetime(local.year, REVIEW_MONTH, REVIEW_DAY, tzinfo=STOCKHOLM)
    if local < start:
        return False
    return not RetentionReview.objects.filter(
        region=region, prepared_by__isnull=True, prepared_at__gte=start
    ).exists()


def retention_reviews_yearly(*, now: dt.datetime | None = None) -> list[RetentionReview]:
    """What the daily job runs: from 1 February on, once a year per region, prepare the review
    and tell the region's coordinators it waits for them. Never deletes anything."""
    now = now or timezone.now()
    prepared = []
    for region in Region.objects.all():
        with transaction.atomic():
            # One review a year even if two workers run the job at once.
            Region.objects.select_for_update().filter(pk=region.pk).first()
            if not _review_due(region, now):
                continue
            review = retention_review_prepare(region=region, now=now)
            _notify_coordinators(review)
        prepared.append(review)
    return prepared


def _notify_coordinators(review: RetentionReview) -> None:
    coordinators = Membership.objects.filter(
        region=review.region, role=Role.COORDINATOR, user__is_active=True
    ).select_related("user")
    for membership in coordinators:
        send_after_commit(
            "retention-review",
            membership.user.email,
            {
                "region": review.region.name,
                "count": review.total,
                "months": review.inactive_months,
                "path": reverse("retention"),
            },
            language=membership.user.language or "sv",
        )
