"""The guidance case of a household and its timeline of activities."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Municipality, Region
from talang.contacts.models import Household, MoveStatus, Person


class GuidanceCase(models.Model):
    """One per household and municipality responsible; no municipality = the region's queue."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="cases")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cases")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    status = models.CharField(max_length=16, choices=MoveStatus.choices, default=MoveStatus.NEW)
    assigned_guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    opened_at = models.DateTimeField(default=timezone.now)
    first_response_due = models.DateField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    moved_on = models.DateField(null=True, blank=True)
    moved_to = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    move_confirmed_by = models.CharField(max_length=24, blank=True)

    class Meta:
        ordering = ["first_response_due", "pk"]
        indexes = [models.Index(fields=["municipality", "first_response_due"])]
        constraints = [
            # At most one open case per household: a re-registration joins it.
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(closed_at__isnull=True),
                name="case_one_open_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.pk}"


class ActivityKind(models.TextChoices):
    NOTE = "note", _("Note")
    CALL = "call", _("Call")
    EMAIL_IN = "email_in", _("E-mail in")
    EMAIL_OUT = "email_out", _("E-mail out")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    EVENT = "event", _("Event")
    STATUS_CHANGE = "status_change", _("Status change")
    REGISTRATION = "registration", _("Registration")
    SUBMISSION = "submission", _("Form submission")
    HANDOVER = "handover", _("Hand-over")
    ASSIGNMENT = "assignment", _("Assignment")
    EDIT = "edit", _("Changed details")
    FOLLOW_UP = "follow_up", _("Follow-up")
    SYSTEM = "system", _("System")
    MERGE = "merge", _("Merged household")


# A first response is met by the first contact a guide makes with the household.
OUTGOING = {ActivityKind.CALL, ActivityKind.EMAIL_OUT, ActivityKind.MEETING, ActivityKind.VISIT}


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("Talked")
    NO_ANSWER = "no_answer", _("No answer")
    MESSAGE = "message", _("Left a message")


class MoveConfirmation(models.TextChoices):
    HOUSEHOLD = "household", _("The household said so")
    POPULATION_REGISTER = "population_register", _("Population register")
    EMPLOYER = "employer", _("Employer")


class Activity(models.Model):
    """An entry on the household's timeline. Never edited: a correction is a new entry."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="activities")
    case = models.ForeignKey(
        GuidanceCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["household", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"

    @property
    def status_labels(self) -> tuple[str, str]:
        """The move statuses of a status change, by name."""
        return tuple(
            MoveStatus(code).label if code in MoveStatus.values else (code or "–")
            for code in (self.data.get("from"), self.data.get("to"))
        )

    @property
    def outcome_label(self) -> str:
        outcome = self.data.get("outcome", "")
        return CallOutcome(outcome).label if outcome in CallOutcome.values else ""


class FollowUp(models.Model):
    """Something to do for a household by a date: shown in the queue and the daily digest."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"follow-up {self.due_on}"


class DigestSent(models.Model):
    """A guide's daily digest went out for this day: the digest is never sent twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_sent_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"digest {self.day}"


class InboundState(models.TextChoices):
    MATCHED = "matched", _("On the card")
    UNMATCHED = "unmatched", _("Waiting for a guide")
    ATTACHED = "attached", _("Attached by a guide")
    DISMISSED = "dismissed", _("Dismissed")


class InboundEmail(models.Model):
    """An e-mail that came in through the drop address or an uploaded .eml file, kept once
    per Message-ID. Its text is also on the timeline of each household it concerns; one that
    matches no household waits in the region's inbox until a guide attaches it."""

    message_id = models.CharField(max_length=255, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="inbound_emails"
    )
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, null=True, blank=True, related_name="inbound_emails"
    )
    state = models.CharField(max_length=16, choices=InboundState.choices)
    source = models.CharField(max_length=16)  # "imap" or "upload"
    received_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    from_address = models.CharField(max_length=254, blank=True)
    body = models.TextField(blank=True)
    raw_size = models.PositiveIntegerField(default=0)
    # Sent by a guide to the household (the drop address in Bcc), not a reply or a forward.
    outgoing = models.BooleanField(default=False)
    # The receiving server's verdict on the From address (TALANG_MAIL_AUTHSERV_ID); None when
    # no server is trusted to give one, or for an uploaded file.
    sender_verified = models.BooleanField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["region", "state", "-received_at"])]

    def __str__(self) -> str:
        return f"inbound e-mail {self.pk}"


class RegionEmailTemplate(models.Model):
    """The region's own wording of a template guides start their e-mails from, in one
    language. Without one, Talang's standard text (guidance/mail/<name>-*.txt) is used."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="email_templates")
    name = models.CharField(max_length=32)  # a key of talang.guidance.mail.TEMPLATES
    language = models.CharField(max_length=8)  # a code of settings.LANGUAGES
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name", "language"], name="region_email_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"
