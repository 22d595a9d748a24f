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
    # For a retention run: the region, the rule as it stood when it ran (the decision
    # reference copied as text), what else went, and the households kept from the preview.
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule_months = models.PositiveSmallIntegerField(null=True, blank=True)
    decision_reference = models.CharField(max_length=300, blank=True)
    emails = models.PositiveIntegerField(default=0)
    subscriptions = models.PositiveIntegerField(default=0)
    magazine_orders = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)

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


class RetentionRule(models.Model):
    """When a household of the region is deleted for inactivity: the region's implementation
    of the authority's retention decision (one rule per region)."""

    region = models.OneToOneField(
        "accounts.Region", on_delete=models.CASCADE, related_name="retention_rule"
    )
    inactive_months = models.PositiveSmallIntegerField(_("months without activity"), default=60)
    decision_reference = models.CharField(_("retention decision"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(inactive_months__gte=12, inactive_months__lte=600),
                name="retention_rule_months_range",
            ),
        ]

    def __str__(self) -> str:
        return f"retention {self.inactive_months} months"


class RetentionReview(models.Model):
    """A preview of the households the rule selects, waiting for a coordinator's approval.
    Approval deletes exactly these households, those that still match the rule."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for approval")
        APPROVED = "approved", _("Approved, deleting")
        DONE = "done", _("Done")
        SUPERSEDED = "superseded", _("Replaced by a newer preview")

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.CASCADE, related_name="retention_reviews"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.WAITING)
    prepared_at = models.DateTimeField(default=timezone.now)
    # None: prepared by the yearly task.
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inactive_months = models.PositiveSmallIntegerField()
    inactive_before = models.DateTimeField()
    household_ids = models.JSONField(default=list)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Progress of the deletion, batch by batch (so an interrupted run resumes where it stopped).
    processed = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    erasure = models.OneToOneField(
        ErasureRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="review"
    )

    class Meta:
        ordering = ["-prepared_at", "-pk"]

    def __str__(self) -> str:
        return f"retention review {self.pk}"

    @property
    def total(self) -> int:
        return len(self.household_ids)
