"""Records of what was erased and why, without personal data, and who opened which household."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureRecord(models.Model):
    """That an erasure happened: when, why, how much, on whose decision. Never whose data."""

    class Reason(models.TextChoices):
        DATA_SUBJECT = "data_subject", _("Asked for by the person")
        STAFF_ON_REQUEST = "staff_request", _("Asked for by the person, through staff")
        RETENTION = "retention", _("Retention rule")

    erased_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    households = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    activities = models.PositiveIntegerField(default=0)
    submissions = models.PositiveIntegerField(default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"erasure {self.erased_at:%Y-%m-%d}"


class AccessLog(models.Model):
    """Who opened which household's card, and when. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    household_reference = models.CharField(max_length=9, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.household_reference} {self.at:%Y-%m-%d %H:%M}"
