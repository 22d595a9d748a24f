"""Newsletter subscriptions and magazine orders."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Region
from talang.contacts.models import Household


class Topic(models.TextChoices):
    NEWS = "news", _("News from the region")
    JOBS = "jobs", _("Jobs and employers")
    EVENTS = "events", _("Meet-ups and events")
    INTERNATIONAL = "international", _("For newcomers from abroad")


class Subscription(models.Model):
    """A newsletter subscription; active only after the address is confirmed (double opt-in)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Active")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="subscriptions")
    email = models.EmailField(max_length=254)
    language = models.CharField(max_length=8, default="sv")
    topics = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="subscriptions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "email"], name="subscription_one_per_email"),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk}"


class MagazineOrder(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="magazine_orders")
    name = models.CharField(max_length=200)
    street = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=16)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, default="SE")
    language = models.CharField(max_length=8, default="sv")
    copies = models.PositiveSmallIntegerField(default=1)
    ordered_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="magazine_orders"
    )

    class Meta:
        ordering = ["-ordered_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(copies__gte=1, copies__lte=20), name="magazine_copies_range"
            ),
        ]

    def __str__(self) -> str:
        return f"order {self.pk}"
