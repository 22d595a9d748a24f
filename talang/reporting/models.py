"""The statistics ledger: one anonymous row per countable event, written when it happens."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    FIRST_RESPONSE_ON_TIME = "first_response_on_time", _("First response on time")
    FIRST_RESPONSE_LATE = "first_response_late", _("First response late")
    STATUS_CHANGE = "status_change", _("Status change")
    MOVE = "move", _("Move")
    MAGAZINE_ORDER = "magazine_order", _("Magazine order")
    SUBSCRIPTION = "subscription", _("Newsletter subscription")
    UNSUBSCRIPTION = "unsubscription", _("Newsletter unsubscription")
    EVENT_ATTENDANCE = "event_attendance", _("Event attendance")
    EMPLOYER_FOUND_STAFF = "employer_found_staff", _("Employer found staff")


class SizeBand(models.TextChoices):
    ONE = "1", "1"
    TWO = "2", "2"
    THREE_FOUR = "3-4", "3–4"
    FIVE_PLUS = "5+", "5+"


class StatEvent(models.Model):
    """No personal data and no household id: erasing a household never changes a count."""

    date = models.DateField(db_index=True)
    region_code = models.CharField(max_length=2)
    # The municipality the event belongs to; blank = the region as a whole.
    municipality_code = models.CharField(max_length=4, blank=True)
    kind = models.CharField(max_length=24, choices=StatKind.choices)
    channel = models.CharField(max_length=32, blank=True)
    campaign = models.CharField(max_length=100, blank=True)
    # A Swedish county code ("SE-01" …) or a foreign country code ("NO", "DE" …).
    origin = models.CharField(max_length=8, blank=True)
    size_band = models.CharField(max_length=4, choices=SizeBand.choices, blank=True)
    # For status changes: the new status; otherwise blank.
    detail = models.CharField(max_length=24, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"
