"""The statistics ledger: one anonymous row per countable event, written when it happens."""

from django.conf import settings
from django.db import models
from django.utils import timezone
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
    # For status changes: the new status; for a move taken back ("moved" set by mistake):
    # "undone"; otherwise blank.
    detail = models.CharField(max_length=24, blank=True)
    # For moves: the first day of the month the household registered, and the days from
    # registration to the move (conversion and time to move, without a household id).
    cohort = models.DateField(null=True, blank=True)
    days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "date"]),
            # The statistics count one region's rows of some kinds in a period
            # (talang/reporting/statistics.py); moves are also counted by registration month.
            models.Index(fields=["region_code", "kind", "date"], name="statevent_region_kind_date"),
            models.Index(
                fields=["region_code", "kind", "cohort"], name="statevent_region_kind_cohort"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


class StatMonth(models.Model):
    """The ledger counted by month and by year: derived from ``StatEvent`` and kept by
    ``stat_record`` in the same transaction, so that the figures of whole months and years
    read a few aggregate rows instead of every ledger row (docs/statistics.md). Rebuildable
    from the ledger at any time (``manage.py talang_statistics_rebuild``);
    ``talang_ledger_check`` compares the two.

    ``dimension`` is "" for the plain count of (month, municipality, kind, detail), else the
    ledger column the count is broken down by ("channel", "campaign", "origin", "size_band";
    for moves also "days" and "cohort", the registration month as YYYY-MM), and ``value`` that
    column's value as text."""

    pk = models.CompositePrimaryKey(
        "region_code",
        "dimension",
        "kind",
        "span",
        "month",
        "municipality_code",
        "detail",
        "value",
    )
    region_code = models.CharField(max_length=2)
    dimension = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=24, choices=StatKind.choices)
    # The months counted: 1 (the month starting at ``month``) or 12 (the calendar year; then
    # ``month`` is 1 January). Every ledger row is counted in both.
    span = models.PositiveSmallIntegerField(default=1)
    # The first day of the month (or year) of the ledger rows' date.
    month = models.DateField()
    municipality_code = models.CharField(max_length=4, blank=True)
    detail = models.CharField(max_length=24, blank=True)
    value = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField()

    def __str__(self) -> str:
        period = f"{self.month:%Y}" if self.span == 12 else f"{self.month:%Y-%m}"
        return f"{self.kind} {period} {self.dimension}={self.value}: {self.count}"


class GoalKind(models.TextChoices):
    HOUSEHOLDS_MOVED = "households_moved", _("Households moved")
    EMPLOYERS_FOUND_STAFF = "employers_found_staff", _("Employers who found staff")
    HOUSEHOLDS_REGISTERED = "households_registered", _("Households registered")


class Goal(models.Model):
    """A target of an agreement for a period, e.g. 400 households moved in 2024."""

    region = models.ForeignKey("accounts.Region", on_delete=models.CASCADE, related_name="goals")
    kind = models.CharField(_("goal"), max_length=24, choices=GoalKind.choices)
    target = models.PositiveIntegerField(_("target"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    # The agreement or decision the goal comes from, e.g. "Samarbetsavtal kompetensattraktion 2024".
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="goal_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target} {self.starts_on}–{self.ends_on}"


class BudgetLine(models.Model):
    """One line of a year's budget (a cost) or of its financing (a source of money)."""

    class Kind(models.TextChoices):
        COST = "cost", _("Cost")
        FINANCING = "financing", _("Financing")

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(_("budget (SEK)"), max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year", "kind", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "kind", "name"], name="budget_line_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class BudgetOutcome(models.Model):
    """The outcome of a budget line in one quarter, entered by a coordinator."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="outcomes")
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    amount = models.DecimalField(_("outcome (SEK)"), max_digits=12, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["line", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["line", "quarter"], name="budget_outcome_unique"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="budget_outcome_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} Q{self.quarter}"
