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
