"""Newsletter subscriptions (double opt-in) and magazine orders."""

from django.db import transaction
from django.utils import timezone

from talang.accounts.models import Region
from talang.contacts.models import Household
from talang.lib.emails import send_after_commit
from talang.lib.links import make_token
from talang.outreach.models import MagazineOrder, Subscription
from talang.reporting.ledger import stat_record
from talang.reporting.models import StatKind


def preferences_path(subscription: Subscription) -> str:
    return f"/newsletter/preferences/{make_token('preferences', subscription.pk)}/"


@transaction.atomic
def subscription_request(
    *,
    region: Region,
    email: str,
    language: str,
    topics: list[str],
    household: Household | None = None,
) -> Subscription:
    """Ask for a subscription; it becomes active when the address is confirmed by e-mail.

    Asking again for an active subscription changes nothing and sends nothing, so the
    form cannot be used to mail someone over and over.
    """
    subscription, created = Subscription.objects.select_for_update().get_or_create(
        region=region,
        email=email,
        defaults={"language": language, "topics": topics, "household": household},
    )
    if not created and subscription.state == Subscription.State.ACTIVE:
        return subscription
    if not created:
        subscription.state = Subscription.State.PENDING
        subscription.language = language
        subscription.topics = topics or subscription.topics
        subscription.household = subscription.household or household
        subscription.save(update_fields=["state", "language", "topics", "household"])
    send_after_commit(
        "newsletter-confirm",
        email,
        {
            "confirm_path": f"/newsletter/confirm/{make_token('confirm', subscription.pk)}/",
            "preferences_path": preferences_path(subscription),
            "region": region.name,
        },
        language=language,
    )
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> bool:
    """Activate a pending subscription. Returns False if it was not waiting for this."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state != Subscription.State.PENDING:
        return subscription.state == Subscription.State.ACTIVE
    now = timezone.now()
    subscription.state = Subscription.State.ACTIVE
    subscription.confirmed_at = now
    subscription.save(update_fields=["state", "confirmed_at"])
    stat_record(
        kind=StatKind.SUBSCRIPTION,
        date=timezone.localdate(now),
        region_code=subscription.region.code,
    )
    return True


@transaction.atomic
def subscription_update(*, subscription: Subscription, language: str, topics: list[str]) -> None:
    subscription.language = language
    subscription.topics = topics
    subscription.save(update_fields=["language", "topics"])


@transaction.atomic
def subscription_unsubscribe(*, subscription: Subscription) -> None:
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.state == Subscription.State.UNSUBSCRIBED:
        return
    was_active = subscription.state == Subscription.State.ACTIVE
    now = timezone.now()
    subscription.state = Subscription.State.UNSUBSCRIBED
    subscription.unsubscribed_at = now
    subscription.save(update_fields=["state", "unsubscribed_at"])
    if was_active:
        stat_record(
            kind=StatKind.UNSUBSCRIPTION,
            date=timezone.localdate(now),
            region_code=subscription.region.code,
        )


@transaction.atomic
def magazine_order_create(
    *,
    region: Region,
    name: str,
    street: str,
    postal_code: str,
    city: str,
    country: str,
    language: str,
    copies: int,
    household: Household | None = None,
    channel: str = "",
) -> MagazineOrder:
    order = MagazineOrder.objects.create(
        region=region,
        name=name,
        street=street,
        postal_code=postal_code,
        city=city,
        country=country or "SE",
        language=language,
        copies=copies,
        household=household,
    )
    stat_record(
        kind=StatKind.MAGAZINE_ORDER,
        date=timezone.localdate(order.ordered_at),
        region_code=region.code,
        channel=channel,
        origin=order.country,
    )
    return order


def magazine_orders_to_send(*, region: Region):
    """The region's orders not yet sent, oldest first: the order a mailing goes out in."""
    return MagazineOrder.objects.filter(region=region, sent_at__isnull=True).order_by(
        "ordered_at", "pk"
    )


@transaction.atomic
def magazine_orders_mark_sent(*, region: Region, up_to: int) -> int:
    """Mark the region's unsent orders up to the order ``up_to`` (the newest one the sender
    saw or downloaded) as sent; orders that arrived after it stay in the list. Returns how
    many were marked."""
    return (
        magazine_orders_to_send(region=region).filter(pk__lte=up_to).update(sent_at=timezone.now())
    )
