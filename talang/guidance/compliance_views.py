"""The coordinator's page on first-response compliance."""

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.guidance.compliance import compliance_for_region
from talang.lib.workdays import local_date

DATE_ERRORS = {"invalid": _("Write the date as YYYY-MM-DD, for example 2026-01-31.")}


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PeriodForm(forms.Form):
    """?from=YYYY-MM-DD&to=YYYY-MM-DD; either left out means the start or end of this year."""

    def __init__(self, data, *, today: dt.date):
        super().__init__(data)
        self.today = today
        # "from" is a Python keyword, so the fields are added here rather than declared.
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("To"))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["from"] = data.get("from") or dt.date(self.today.year, 1, 1)
        data["to"] = data.get("to") or dt.date(self.today.year, 12, 31)
        if data["to"] < data["from"]:
            self.add_error("to", _("The end of the period must not be before its start."))
        return data


@staff_required(Role.COORDINATOR)
def compliance(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    form = PeriodForm(request.GET, today=today)
    if not form.is_valid():
        return render(request, "guidance/compliance.html", {"form": form}, status=400)
    report = compliance_for_region(
        region=membership_of(request.user).region,
        start=form.cleaned_data["from"],
        end=form.cleaned_data["to"],
        today=today,
    )
    return render(request, "guidance/compliance.html", {"form": form, "report": report})
