"""The coordinator's budget pages: the lines of a year, and the outcome per quarter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.lib.workdays import local_date
from talang.reporting import budget as services
from talang.reporting.budget_forms import (
    BudgetCopyForm,
    BudgetLineForm,
    OutcomeForm,
    QuarterForm,
    YearForm,
)


def _today():
    return local_date(timezone.now())


def _budget_url(year: int) -> str:
    return f"{reverse('budget')}?year={year}"


@staff_required(Role.COORDINATOR)
def budget(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET, today=_today())
    if not form.is_valid():
        return render(request, "reporting/budget.html", {"form": form}, status=400)
    region = membership_of(request.user).region
    year = form.cleaned_data["year"]
    overview = services.budget_overview(region=region, year=year)
    years = services.budget_years(region=region)
    return render(
        request,
        "reporting/budget.html",
        {
            "form": form,
            "year": year,
            "overview": overview,
            "years": years,
            "can_copy": not overview.costs and not overview.financing and year - 1 in years,
        },
    )


@staff_required(Role.COORDINATOR)
def budget_line_add(request: HttpRequest) -> HttpResponse:
    year_form = YearForm(request.GET, today=_today())
    if not year_form.is_valid():
        return render(request, "reporting/budget.html", {"form": year_form}, status=400)
    year = year_form.cleaned_data["year"]
    form = BudgetLineForm(request.POST or None, initial={"kind": "cost"})
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_create(
                region=membership_of(request.user).region, year=year, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The line has been added."))
            return redirect(_budget_url(year))
    return render(
        request,
        "reporting/budget_line.html",
        {"form": form, "year": year, "line": None},
        status=400 if form.errors else 200,
    )


@staff_required(Role.COORDINATOR)
def budget_line_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = services.budget_line_for_user(user=request.user, pk=pk)
    initial = {
        "kind": line.kind,
        "name": line.name,
        "description": line.description,
        "amount": line.amount,
    }
    form = BudgetLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_update(line=line, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The line has been saved."))
            return redirect(_budget_url(line.year))
    return render(
        request,
        "reporting/budget_line.html",
        {"form": form, "year": line.year, "line": line},
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required(Role.COORDINATOR)
def budget_line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    line = services.budget_line_for_user(user=request.user, pk=pk)
    try:
        services.budget_line_delete(line=line)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("budget-line", pk=line.pk)
    messages.success(request, _("The line has been removed."))
    return redirect(_budget_url(line.year))


@require_POST
@staff_required(Role.COORDINATOR)
def budget_copy(request: HttpRequest) -> HttpResponse:
    form = BudgetCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year from 2000 to 2100."))
        return redirect("budget")
    year = form.cleaned_data["year"]
    try:
        count = services.budget_copy(
            region=membership_of(request.user).region, from_year=year - 1, to_year=year
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(count)s lines have been copied from %(year)s.")
            % {"count": count, "year": year - 1},
        )
    return redirect(_budget_url(year))


@staff_required(Role.COORDINATOR)
def budget_outcome(request: HttpRequest) -> HttpResponse:
    period = QuarterForm(request.GET, today=_today(), future=True)
    if not period.is_valid():
        return render(request, "reporting/budget_outcome.html", {"period": period}, status=400)
    region = membership_of(request.user).region
    year, quarter = period.cleaned_data["year"], period.cleaned_data["quarter"]
    lines = list(services.budget_lines(region=region, year=year))
    entered = services.budget_outcomes(region=region, year=year)
    outcomes = {pk: outcome for (pk, q), outcome in entered.items() if q == quarter}
    form = OutcomeForm(request.POST or None, lines=lines, outcomes=outcomes)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_outcome_enter(
                region=region, year=year, quarter=quarter, amounts=form.amounts(), by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The outcome has been saved."))
            return redirect(_budget_url(year))
    return render(
        request,
        "reporting/budget_outcome.html",
        {"period": period, "form": form, "year": year, "quarter": quarter},
        status=400 if form.errors else 200,
    )
