"""Erasure: personal data is deleted for real; the statistics ledger keeps its anonymous rows."""

from django.db import transaction
from django.db.models import Q

from talang.contacts.models import Household, Person
from talang.guidance.models import Activity, InboundEmail
from talang.intake.models import Submission
from talang.outreach.models import MagazineOrder, Subscription
from talang.privacy.models import AccessLog, ErasureRecord


@transaction.atomic
def household_erase(*, household: Household, reason: str, by=None) -> ErasureRecord:
    """Delete the household, its people, consents, addresses, cases, activities, submissions,
    magazine orders and newsletter subscriptions. The ledger (reporting) is not touched."""
    people = Person.objects.filter(household=household)
    emails = [email for email in people.values_list("email", flat=True) if email]
    # The e-mails on the card, and any of theirs still waiting unmatched in the inbox.
    inbound = InboundEmail.objects.filter(
        Q(household=household)
        | Q(region_id=household.region_id, household__isnull=True, from_address__in=emails)
    )
    record = ErasureRecord(
        reason=reason,
        region_id=household.region_id,
        households=1,
        persons=people.count(),
        activities=Activity.objects.filter(household=household).count(),
        submissions=Submission.objects.filter(household=household).count(),
        emails=inbound.count(),
        approved_by=by,
    )
    Submission.objects.filter(household=household).delete()
    MagazineOrder.objects.filter(household=household).delete()
    record.subscriptions = (
        Subscription.objects.filter(household=household).delete()[0]
        + Subscription.objects.filter(region=household.region, email__in=emails).delete()[0]
    )
    inbound.delete()
    household.delete()  # cascades to people, consents, addresses, cases and activities
    record.save()
    return record


def access_log_write(*, user, household: Household) -> None:
    """Note that ``user`` opened the household's card (personal data access is accountable)."""
    AccessLog.objects.create(user=user, household_reference=household.reference)
