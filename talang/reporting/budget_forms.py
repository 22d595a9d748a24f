"""Forms of the budget pages and the quarterly report: they check the input, services save."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from talang.reporting.budget import FIRST_YEAR, LAST_YEAR, MAX_AMOUNT
from talang.reporting.forms import QUARTER_LABELS
from talang.reporting.models import BudgetLine, BudgetOutcome
from talang.reporting.templatetags.report_format import amount

YEAR_ERRORS = {
    "required": _("Choose a year."),
    "invalid": _("Write the year as four digits, for example 2026."),
    "min_value": _("Choose a year from 2000 to 2100."),
    "max_value": _("Choose a year from 2000 to 2100."),
}
QUARTER_ERRORS = {
    "required": _("Choose a quarter."),
    "invalid_choice": _("Choose a quarter from 1 to 4."),
}
AMOUNT_ERRORS = {
    "required": _("Write the amount in kronor."),
    "invalid": _("Write the amount in kronor as a number, for example 12500 or 12500.50."),
    "min_value": _("The amount must not be negative."),
    "max_value": _("The amount is too large."),
    "max_digits": _("The amount is too large."),
    "max_whole_digits": _("The amount is too large."),
    "max_decimal_places": _("Write the amount with at most two decimals (öre)."),
}
QUARTER_CHOICES = [(str(q), label) for q, label in QUARTER_LABELS.items()]


def _plain_number(text: str) -> str:
    """An amount as people write it ("12 500,50", "12500.50", "1.000.000", "12,500.50") as
    Python reads it: spaces go; of a comma and a point, the last one is the decimal mark and
    the other groups thousands; a mark found more than once groups thousands; a lone mark is
    the decimal mark, unless it is the language's thousands separator before three digits
    ("12.500" in German, "12,500" in English)."""
    text = "".join(text.split())
    marks = {mark for mark in ",." if mark in text}
    if len(marks) == 2:
        decimal = max(",.", key=text.rindex)
        grouping = "," if decimal == "." else "."
        return text.replace(grouping, "").replace(decimal, ".")
    if not marks:
        return text
    (mark,) = marks
    whole, _sep, tail = text.rpartition(mark)
    grouped = text.count(mark) > 1 or (
        mark == get_format("THOUSAND_SEPARATOR") and len(tail) == 3 and tail.isdigit()
    )
    return text.replace(mark, "") if grouped else f"{whole}.{tail}"


class AmountField(forms.DecimalField):
    """Kronor as people write them: "12 500,50" or "12500.50"; shown as the language writes
    them ("130 950" in Swedish), which reads back as the same amount."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", AMOUNT_ERRORS)
        super().__init__(
            min_value=Decimal("0"),
            max_value=MAX_AMOUNT,
            max_digits=12,
            decimal_places=2,
            localize=False,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            **kwargs,
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = _plain_number(value)
        return super().to_python(value)

    def prepare_value(self, value):
        # A saved amount (the initial value); what was typed is shown as it was typed.
        return amount(value) if isinstance(value, Decimal | int) else value


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages=YEAR_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class YearForm(forms.Form):
    """?year=YYYY; left out, this year, shown in the field too."""

    year = _year_field(required=False)

    def __init__(self, data, *, today: dt.date):
        super().__init__({"year": (data.get("year") or "").strip() or str(today.year)})


class QuarterForm(forms.Form):
    """?year=YYYY&quarter=N; left out, the current quarter (the year left out: this year; the
    quarter left out: this quarter of this year, the fourth of another), shown in the fields
    too, so that "Show" keeps the quarter shown. A quarter that has not begun yet has nothing
    to report."""

    year = _year_field(required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=QUARTER_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        error_messages=QUARTER_ERRORS,
    )

    def __init__(self, data, *, today: dt.date, future: bool = False):
        current = (today.month - 1) // 3 + 1
        year = (data.get("year") or "").strip() or str(today.year)
        quarter = (data.get("quarter") or "").strip() or str(
            current if year == str(today.year) else 4
        )
        super().__init__({"year": year, "quarter": quarter})
        self.today = today
        self.current = current
        self.future = future

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not self.future and (data["year"], data["quarter"]) > (self.today.year, self.current):
            self.add_error("quarter", _("This quarter has not begun yet. Choose an earlier one."))
        return data


class BudgetLineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=BudgetLine.Kind.choices,
        error_messages={
            "required": _("Choose cost or financing."),
            "invalid_choice": _("Choose cost or financing."),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Give the line a name."),
            "max_length": _("Keep the name to at most 200 characters."),
        },
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the description to at most 2000 characters.")},
    )
    amount = AmountField(label=_("Budget for the year (SEK)"))


class BudgetCopyForm(forms.Form):
    year = _year_field()


class OutcomeForm(forms.Form):
    """One field per budget line: the line's outcome in one quarter; blank clears it."""

    def __init__(self, data=None, *, lines: list[BudgetLine], outcomes: dict[int, BudgetOutcome]):
        super().__init__(data)
        self.lines = lines
        for line in lines:
            entered = outcomes.get(line.pk)
            help_text = ""
            if entered is not None:
                help_text = _("Entered by %(who)s, %(when)s.") % {
                    "who": entered.entered_by or _("an account since removed"),
                    "when": timezone.localtime(entered.entered_at).strftime("%Y-%m-%d %H:%M"),
                }
            self.fields[f"line_{line.pk}"] = AmountField(
                label=line.name,
                required=False,
                initial=entered.amount if entered else None,
                help_text=help_text,
            )

    def amounts(self) -> dict[int, Decimal | None]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}

    def groups(self):
        """(kind label, [bound fields]) for costs, then financing."""
        for kind, label in BudgetLine.Kind.choices:
            fields = [self[f"line_{line.pk}"] for line in self.lines if line.kind == kind]
            if fields:
                yield label, fields
