"""The budget of each year and the outcome a coordinator enters per quarter.

Services (every write), selectors and the choke point for budget lines. An agreement (its
budget lines, financing and goals) is data: a JSON file loaded with ``agreement_load``.
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from talang.accounts.access import membership_of
from talang.accounts.models import Region, User
from talang.reporting.models import BudgetLine, BudgetOutcome, Goal, GoalKind

AGREEMENTS_DIR = Path(__file__).parent / "agreements"
QUARTERS = (1, 2, 3, 4)
FIRST_YEAR, LAST_YEAR = 2000, 2100
# BudgetLine.amount and BudgetOutcome.amount: 12 digits, 2 of them decimals.
MAX_AMOUNT = Decimal("9999999999.99")


# Validation shared by the forms, the services and the loader -------------------------


def year_check(year: int, *, field: str = "year") -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            {
                field: _("Choose a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    return year


def quarter_check(quarter: int, *, field: str = "quarter") -> int:
    if quarter not in QUARTERS or isinstance(quarter, bool):
        raise ValidationError({field: _("Choose a quarter from 1 to 4.")})
    return quarter


def amount_check(value, *, field: str) -> Decimal:
    """A sum in kronor: a decimal number, not negative, with at most two decimals."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("Write the amount in kronor as a number, for example 12500 or 12500.50.")}
        ) from None
    if not amount.is_finite():
        raise ValidationError(
            {field: _("Write the amount in kronor as a number, for example 12500 or 12500.50.")}
        )
    if amount < 0:
        raise ValidationError({field: _("The amount must not be negative.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Write the amount with at most two decimals (öre).")})
    return amount.quantize(Decimal("0.01"))


# Selectors and the choke point -------------------------------------------------------


def budget_lines(*, region: Region, year: int) -> QuerySet[BudgetLine]:
    """The cost lines, then the financing lines, of ``region``'s budget for ``year``."""
    return BudgetLine.objects.filter(region=region, year=year).order_by("kind", "position", "name")


def budget_years(*, region: Region) -> list[int]:
    """The years that have a budget, newest first."""
    return list(
        BudgetLine.objects.filter(region=region)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def budget_outcomes(*, region: Region, year: int) -> dict[tuple[int, int], BudgetOutcome]:
    """Every outcome entered for ``year``, by (line id, quarter)."""
    outcomes = BudgetOutcome.objects.filter(line__region=region, line__year=year).select_related(
        "entered_by"
    )
    return {(outcome.line_id, outcome.quarter): outcome for outcome in outcomes}


def budget_line_for_user(*, user: User, pk) -> BudgetLine:
    """A budget line of the user's region, or 404 (no hint whether it exists elsewhere)."""
    membership = membership_of(user)
    if membership is None:
        raise Http404
    try:
        return BudgetLine.objects.get(region=membership.region, pk=pk)
    except (BudgetLine.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# Services ----------------------------------------------------------------------------


def _line_fields(*, kind: str, name: str, description: str, amount) -> dict:
    if kind not in BudgetLine.Kind.values:
        raise ValidationError({"kind": _("Choose cost or financing.")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the line a name.")})
    if len(name) > 200:
        raise ValidationError({"name": _("Keep the name to at most 200 characters.")})
    description = (description or "").strip()
    if len(description) > 2000:
        raise ValidationError(
            {"description": _("Keep the description to at most 2000 characters.")}
        )
    return {
        "kind": kind,
        "name": name,
        "description": description,
        "amount": amount_check(amount, field="amount"),
    }


def _name_taken(*, region: Region, year: int, kind: str, name: str, exclude: int | None) -> bool:
    lines = BudgetLine.objects.filter(region=region, year=year, kind=kind, name__iexact=name)
    if exclude is not None:
        lines = lines.exclude(pk=exclude)
    return lines.exists()


@transaction.atomic
def budget_line_create(
    *, region: Region, year: int, kind: str, name: str, description: str = "", amount
) -> BudgetLine:
    """Add a line at the end of its kind's lines; names are unique per year and kind."""
    year_check(year)
    fields = _line_fields(kind=kind, name=name, description=description, amount=amount)
    if _name_taken(region=region, year=year, kind=kind, name=fields["name"], exclude=None):
        raise ValidationError({"name": _("The budget of this year already has a line so named.")})
    last = BudgetLine.objects.filter(region=region, year=year, kind=kind).aggregate(
        last=Max("position")
    )["last"]
    return BudgetLine.objects.create(
        region=region, year=year, position=0 if last is None else last + 1, **fields
    )


@transaction.atomic
def budget_line_update(
    *, line: BudgetLine, kind: str, name: str, description: str = "", amount
) -> BudgetLine:
    """Change a line's kind, name, description or budgeted amount; its outcomes stay."""
    fields = _line_fields(kind=kind, name=name, description=description, amount=amount)
    if _name_taken(
        region=line.region, year=line.year, kind=kind, name=fields["name"], exclude=line.pk
    ):
        raise ValidationError({"name": _("The budget of this year already has a line so named.")})
    for key, value in fields.items():
        setattr(line, key, value)
    line.save(update_fields=list(fields))
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine) -> None:
    """Remove a line that has no outcome entered (an outcome is never dropped silently)."""
    if line.outcomes.exists():
        raise ValidationError(
            _(
                "This line has outcomes entered. Clear its outcome in every quarter first, "
                "then remove the line."
            )
        )
    line.delete()


@transaction.atomic
def budget_copy(*, region: Region, from_year: int, to_year: int) -> int:
    """Copy the lines (not the outcomes) of ``from_year`` into ``to_year``, which must be
    empty; returns how many lines were copied."""
    year_check(from_year, field="from_year")
    year_check(to_year)
    if BudgetLine.objects.filter(region=region, year=to_year).exists():
        raise ValidationError(
            {"year": _("The budget of %(year)s already has lines.") % {"year": to_year}}
        )
    lines = list(budget_lines(region=region, year=from_year))
    if not lines:
        raise ValidationError(
            {"year": _("There is no budget for %(year)s to copy.") % {"year": from_year}}
        )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            region=region,
            year=to_year,
            kind=line.kind,
            name=line.name,
            description=line.description,
            amount=line.amount,
            position=line.position,
        )
        for line in lines
    )
    return len(lines)


@transaction.atomic
def budget_outcome_enter(
    *,
    region: Region,
    year: int,
    quarter: int,
    amounts: dict[int, Decimal | str | None],
    by: User | None,
) -> int:
    """Set the outcome of each line (by id) for one quarter; None or "" clears it.

    Who entered an amount and when is kept per line and quarter, and changes only where the
    amount changes. Returns how many lines changed.
    """
    year_check(year)
    quarter_check(quarter)
    lines = {line.pk: line for line in budget_lines(region=region, year=year)}
    unknown = set(amounts) - set(lines)
    if unknown:
        raise ValidationError(_("The budget has changed meanwhile. Open the page again."))
    cleaned: dict[int, Decimal | None] = {}
    for pk, value in amounts.items():
        blank = value is None or (isinstance(value, str) and not value.strip())
        cleaned[pk] = None if blank else amount_check(value, field=f"line_{pk}")
    existing = {
        outcome.line_id: outcome
        for outcome in BudgetOutcome.objects.select_for_update().filter(
            line__in=list(cleaned), quarter=quarter
        )
    }
    now = timezone.now()
    changed = 0
    for pk, amount in cleaned.items():
        outcome = existing.get(pk)
        if amount is None:
            if outcome is not None:
                outcome.delete()
                changed += 1
        elif outcome is None:
            BudgetOutcome.objects.create(
                line=lines[pk], quarter=quarter, amount=amount, entered_by=by, entered_at=now
            )
            changed += 1
        elif outcome.amount != amount:
            outcome.amount, outcome.entered_by, outcome.entered_at = amount, by, now
            outcome.save(update_fields=["amount", "entered_by", "entered_at"])
            changed += 1
    return changed


# The agreement as data ---------------------------------------------------------------


@dataclass(frozen=True)
class AgreementLoaded:
    goals: int
    lines: int
    years: tuple[int, ...]


def agreement_data(name: str) -> dict:
    """A shipped agreement by name (``jamtland-harjedalen``) or a JSON file by path."""
    path = Path(name)
    if path.suffix != ".json":
        path = AGREEMENTS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _date(value, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"{field} must be a date written YYYY-MM-DD") from None


@transaction.atomic
def agreement_load(*, region: Region, data: dict) -> AgreementLoaded:
    """Create or update an agreement's goals and budget lines for ``region``.

    Idempotent: goals are matched on kind and period, lines on year, kind and name; loading
    the same file again changes nothing, and outcomes already entered are kept. Raises
    ValueError (or ValidationError) when the data is not in the expected shape.
    """
    if str(data.get("region", region.code)) != region.code:
        raise ValueError(f"the agreement is for region {data['region']}, not {region.code}")
    starts_on = _date(data.get("starts_on"), "starts_on")
    ends_on = _date(data.get("ends_on"), "ends_on")
    if ends_on < starts_on:
        raise ValueError("ends_on must not be before starts_on")
    source = str(data.get("name", ""))[:200]
    goals = 0
    for goal in data.get("goals", []):
        kind = goal["kind"]
        if kind not in GoalKind.values:
            raise ValueError(f"unknown goal kind {kind!r}")
        target = goal["target"]
        if not isinstance(target, int) or target < 0:
            raise ValueError(f"the target of {kind} must be a whole number")
        Goal.objects.update_or_create(
            region=region,
            kind=kind,
            starts_on=_date(goal.get("starts_on", data["starts_on"]), "starts_on"),
            ends_on=_date(goal.get("ends_on", data["ends_on"]), "ends_on"),
            defaults={"target": target, "source": source},
        )
        goals += 1
    lines = 0
    years = []
    for budget in data.get("budgets", []):
        year = year_check(budget["year"])
        years.append(year)
        for kind in BudgetLine.Kind.values:
            for position, item in enumerate(budget.get(kind, [])):
                fields = _line_fields(
                    kind=kind,
                    name=item["name"],
                    description=item.get("description", ""),
                    amount=item["amount"],
                )
                BudgetLine.objects.update_or_create(
                    region=region,
                    year=year,
                    kind=kind,
                    name=fields["name"],
                    defaults={
                        "description": fields["description"],
                        "amount": fields["amount"],
                        "position": position,
                    },
                )
                lines += 1
    return AgreementLoaded(goals=goals, lines=lines, years=tuple(years))


# The budget page ---------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewLine:
    line: BudgetLine
    quarters: tuple[Decimal | None, ...]  # Q1–Q4; None where nothing is entered
    outcome: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Overview:
    year: int
    costs: list[OverviewLine]
    financing: list[OverviewLine]

    def total(self, kind: str) -> dict:
        lines = self.costs if kind == BudgetLine.Kind.COST else self.financing
        return {
            "budget": sum((item.line.amount for item in lines), Decimal("0")),
            "quarters": [
                sum((item.quarters[q] or Decimal("0") for item in lines), Decimal("0"))
                for q in range(4)
            ],
            "outcome": sum((item.outcome for item in lines), Decimal("0")),
            "remaining": sum((item.remaining for item in lines), Decimal("0")),
        }

    @property
    def tables(self) -> list[tuple[str, list[OverviewLine], dict]]:
        return [
            (BudgetLine.Kind.COST.value, self.costs, self.cost_total),
            (BudgetLine.Kind.FINANCING.value, self.financing, self.financing_total),
        ]

    @property
    def cost_total(self) -> dict:
        return self.total(BudgetLine.Kind.COST)

    @property
    def financing_total(self) -> dict:
        return self.total(BudgetLine.Kind.FINANCING)


def budget_overview(*, region: Region, year: int) -> Overview:
    """Each line of the year with its outcome per quarter, the year's outcome and what
    remains of the budget (two queries)."""
    outcomes = budget_outcomes(region=region, year=year)
    items: dict[str, list[OverviewLine]] = {kind: [] for kind in BudgetLine.Kind.values}
    for line in budget_lines(region=region, year=year):
        quarters = tuple(
            outcomes[(line.pk, q)].amount if (line.pk, q) in outcomes else None for q in QUARTERS
        )
        outcome = sum((amount or Decimal("0") for amount in quarters), Decimal("0"))
        items[line.kind].append(
            OverviewLine(
                line=line, quarters=quarters, outcome=outcome, remaining=line.amount - outcome
            )
        )
    return Overview(
        year=year,
        costs=items[BudgetLine.Kind.COST],
        financing=items[BudgetLine.Kind.FINANCING],
    )
