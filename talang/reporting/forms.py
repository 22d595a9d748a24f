"""The statistics filter (dashboard and API), goals, and the employer-found-staff record."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Municipality, Region
from talang.reporting.models import Goal

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
MAX_YEARS = 10
UNITS = [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))]
DATE_ERRORS = {"invalid": _("Enter a date as YYYY-MM-DD.")}
# The quarters as the budget, the report and the statistics all name them.
QUARTER_LABELS = {1: _("Q1"), 2: _("Q2"), 3: _("Q3"), 4: _("Q4")}


def _in_range(value: dt.date | None) -> bool:
    return value is None or EARLIEST <= value <= LATEST


class StatisticsFilterForm(forms.Form):
    """A period (from/to, or a year, a quarter or a month of a year; by default this year to
    today) and an optional municipality. Query parameters: from, to, year, quarter, month,
    municipality, unit."""

    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=EARLIEST.year,
        max_value=LATEST.year,
        error_messages={
            "invalid": _("Enter a year from 2000 to 2100."),
            "min_value": _("Enter a year from 2000 to 2100."),
            "max_value": _("Enter a year from 2000 to 2100."),
        },
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year")), *QUARTER_LABELS.items()],
        error_messages={"invalid_choice": _("Choose a quarter from 1 to 4.")},
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year or quarter")), *MONTHS.items()],
        error_messages={"invalid_choice": _("Choose a month from 1 to 12.")},
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    unit = forms.ChoiceField(
        label=_("Over time by"),
        required=False,
        choices=UNITS,
        error_messages={"invalid_choice": _("Choose month, quarter or year.")},
    )

    def __init__(self, *args, region: Region, **kwargs):
        kwargs.setdefault("auto_id", "statistics_%s")
        super().__init__(*args, **kwargs)
        # "from" and "to" are the API's names too; Python keeps "from" for itself.
        self.fields = {
            "from": forms.DateField(
                label=_("From"),
                required=False,
                error_messages=DATE_ERRORS,
                widget=forms.DateInput(attrs={"type": "date"}),
            ),
            "to": forms.DateField(
                label=_("To"),
                required=False,
                error_messages=DATE_ERRORS,
                widget=forms.DateInput(attrs={"type": "date"}),
            ),
            **self.fields,
        }
        self.municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            *[(m.code, m.name) for m in self.municipalities.values()],
        ]
        self.fields["municipality"].error_messages["invalid_choice"] = _(
            "Choose one of the region's municipalities by its code."
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        start, end = data.get("from"), data.get("to")
        year, quarter, month = data.get("year"), data.get("quarter"), data.get("month")
        for name, value in (("from", start), ("to", end)):
            if not _in_range(value):
                self.add_error(name, _("Enter a date from 2000-01-01 to 2100-12-31."))
        if self.errors:
            return data
        if (quarter or month) and not year:
            self.add_error("year", _("Choose the year of the quarter or month."))
            return data
        if quarter and month:
            self.add_error("month", _("Choose a quarter or a month, not both."))
            return data
        today = timezone.localdate()
        if start or end:
            start = start or (end or today).replace(month=1, day=1)
            end = end or max(today, start)
        elif year:
            first_month, months = (
                (month, 1) if month else ((quarter - 1) * 3 + 1, 3) if quarter else (1, 12)
            )
            start = dt.date(year, first_month, 1)
            end = _add_months(start, months) - dt.timedelta(days=1)
        else:
            start, end = today.replace(month=1, day=1), today
        if start > end:
            self.add_error("to", _("The end date must not be before the start date."))
        elif end > _add_months(start, 12 * MAX_YEARS):
            self.add_error("from", _("Choose a period of at most ten years."))
        data["start"], data["end"] = start, end
        data["municipality_object"] = self.municipalities.get(data.get("municipality") or "")
        data["unit"] = data.get("unit") or "month"
        return data


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["kind", "target", "starts_on", "ends_on", "source"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "starts_on": DATE_ERRORS,
            "ends_on": DATE_ERRORS,
            "target": {
                "invalid": _("Enter a whole number greater than 0."),
                "min_value": _("Enter a whole number greater than 0."),
            },
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "goal_%s")
        super().__init__(*args, **kwargs)
        self.fields["target"].widget.attrs.update(min=1, max=1_000_000)

    def clean_target(self):
        target = self.cleaned_data["target"]
        if not 1 <= target <= 1_000_000:
            raise forms.ValidationError(_("Enter a whole number from 1 to 1 000 000."))
        return target

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        for name, value in (("starts_on", starts_on), ("ends_on", ends_on)):
            if not _in_range(value):
                self.add_error(name, _("Enter a date from 2000-01-01 to 2100-12-31."))
        ordered = not (starts_on and ends_on) or ends_on >= starts_on
        if not ordered and _in_range(starts_on) and _in_range(ends_on):
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return data

    def validate_constraints(self, exclude=None):
        # clean() reports an unordered period on the field; the constraint's own message
        # would repeat it without naming the field.
        pass


class EmployerFoundStaffForm(forms.Form):
    """That an employer found staff through the region's work: when, where, how many times.
    Deliberately no employer name: the ledger is anonymous."""

    date = forms.DateField(
        label=_("Date"),
        error_messages={**DATE_ERRORS, "required": _("Enter the date.")},
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    count = forms.IntegerField(
        label=_("Number of employers"),
        initial=1,
        min_value=1,
        max_value=100,
        error_messages={
            "invalid": _("Enter a whole number from 1 to 100."),
            "min_value": _("Enter a whole number from 1 to 100."),
            "max_value": _("Enter a whole number from 1 to 100."),
            "required": _("Enter a whole number from 1 to 100."),
        },
    )

    def __init__(self, *args, region: Region, **kwargs):
        kwargs.setdefault("auto_id", "employer_%s")
        super().__init__(*args, **kwargs)
        self.municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
        self.fields["municipality"].choices = [
            ("", _("The region (no municipality)")),
            *[(m.code, m.name) for m in self.municipalities.values()],
        ]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not _in_range(day):
            raise forms.ValidationError(_("Enter a date from 2000-01-01 to 2100-12-31."))
        if day > timezone.localdate():
            raise forms.ValidationError(_("This cannot be in the future."))
        return day


class EventAttendanceForm(EmployerFoundStaffForm):
    """How many came to an event (a meet-up for newcomers, a fair, a visit day): when, where,
    how many. No names: the ledger is anonymous."""

    count = forms.IntegerField(
        label=_("Number of participants"),
        initial=1,
        min_value=1,
        max_value=1000,
        error_messages={
            "invalid": _("Enter a whole number from 1 to 1000."),
            "min_value": _("Enter a whole number from 1 to 1000."),
            "max_value": _("Enter a whole number from 1 to 1000."),
            "required": _("Enter a whole number from 1 to 1000."),
        },
    )

    def __init__(self, *args, region: Region, **kwargs):
        kwargs.setdefault("auto_id", "event_%s")
        super().__init__(*args, region=region, **kwargs)
