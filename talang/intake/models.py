"""The submission log (append-only) and the look of each public form."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talang.contacts.models import Household, new_reference


def submission_reference() -> str:
    return new_reference("S")


class Submission(models.Model):
    """Every accepted public post, stored before anything else is done with it.

    The payload is never changed; only the processing state moves on, so a
    submission can be replayed until it is processed.
    """

    class Source(models.TextChoices):
        FORM = "form", _("Form")
        API = "api", _("API")

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", _("Registration for relocation guidance")
        MAGAZINE = "magazine", _("Magazine order")
        NEWSLETTER = "newsletter", _("Newsletter subscription")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        FAILED = "failed", _("Failed, will be retried")

    reference = models.CharField(
        max_length=9, unique=True, default=submission_reference, editable=False
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    language = models.CharField(max_length=8)
    channel = models.JSONField(default=dict, blank=True)
    payload = models.JSONField()
    # A salted hash of the client address, for abuse control only.
    client_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The exception's class only: messages could hold personal data.
    last_error = models.CharField(max_length=100, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["state", "received_at"])]

    def __str__(self) -> str:
        return self.reference


class FormAppearance(models.Model):
    """The colour, logo and thank-you text of the form of the region or of a municipality."""

    # The region's code ("23") or a municipality's code ("2380").
    key = models.CharField(max_length=4, unique=True)
    colour = models.CharField(max_length=7, default="#0b5c44")
    logo = models.BinaryField(null=True, blank=True, editable=True)
    logo_type = models.CharField(max_length=32, blank=True)
    # Language code → text shown on the thank-you page.
    thank_you = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"form {self.key}"
