"""The statistics dashboard, the goals, and the pages that record by hand (employers who found
staff, event attendance), with their last year's list and its take-back."""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.lib.formfields import error_line
from talang.reporting import services
from talang.reporting.dashboard import dashboard_context
from talang.reporting.forms import (
    EmployerFoundStaffForm,
    EventAttendanceForm,
    GoalForm,
    StatisticsFilterForm,
)
from talang.reporting.models import Goal, StatKind
from talang.reporting.statistics import figures


@never_cache
@staff_required(Role.VIEWER, Role.COORDINATOR)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Viewers see breakdown counts from 1 to 4 as "<5" (and shares and medians that would
    give them away as ".."); coordinators the counts."""
    membership = membership_of(request.user)
    form = StatisticsFilterForm(request.GET, region=membership.region)
    if not form.is_valid():
        return render(request, "reporting/dashboard.html", {"form": form}, status=400)
    period = form.cleaned_data
    result = figures(
        region=membership.region,
        start=period["start"],
        end=period["end"],
        municipality=period["municipality_object"],
        municipalities=form.municipalities.values(),
    )
    suppress = membership.role == Role.VIEWER
    context = dashboard_context(result, suppress=suppress, unit=period["unit"])
    return render(request, "reporting/dashboard.html", {"form": form, **context})


@staff_required(Role.COORDINATOR)
def goals(request: HttpRequest) -> HttpResponse:
    region = membership_of(request.user).region
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.goal_create(region=region, **form.cleaned_data)
        messages.success(request, _("The goal was added."))
        return redirect("goals")
    context = {"form": form, "goals": Goal.objects.filter(region=region)}
    return render(request, "reporting/goals.html", context, status=400 if form.errors else 200)


@staff_required(Role.COORDINATOR)
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, region=membership_of(request.user).region)
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        services.goal_update(goal=goal, **form.cleaned_data)
        messages.success(request, _("The goal was saved."))
        return redirect("goals")
    context = {"form": form, "goal": goal}
    return render(request, "reporting/goals_edit.html", context, status=400 if form.errors else 200)


@staff_required(Role.COORDINATOR)
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal, pk=pk, region=membership_of(request.user).region)
    if request.method == "POST":
        services.goal_delete(goal=goal)
        messages.success(request, _("The goal was deleted."))
        return redirect("goals")
    return render(request, "reporting/goals_delete.html", {"goal": goal})


@staff_required(Role.COORDINATOR, Role.NETWORK_COORDINATOR)
def employer_found_staff(request: HttpRequest) -> HttpResponse:
    region = membership_of(request.user).region
    form = EmployerFoundStaffForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = services.employer_found_staff_record(
            region=region,
            date=data["date"],
            municipality=form.municipalities.get(data["municipality"]),
            count=data["count"],
        )
        messages.success(
            request, _("Recorded: %(count)s employer(s) found staff.") % {"count": count}
        )
        return redirect("employer-found-staff")
    context = {"form": form, **_recorded(region, StatKind.EMPLOYER_FOUND_STAFF)}
    status = 400 if form.errors else 200
    return render(request, "reporting/goals_employer.html", context, status=status)


@staff_required(Role.COORDINATOR, Role.COMMUNICATOR, Role.NETWORK_COORDINATOR)
def event_attendance(request: HttpRequest) -> HttpResponse:
    region = membership_of(request.user).region
    form = EventAttendanceForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        count = services.event_attendance_record(
            region=region,
            date=data["date"],
            municipality=form.municipalities.get(data["municipality"]),
            count=data["count"],
        )
        messages.success(
            request,
            ngettext("Recorded: %(count)s participant.", "Recorded: %(count)s participants.", count)
            % {"count": count},
        )
        return redirect("event-attendance")
    context = {"form": form, **_recorded(region, StatKind.EVENT_ATTENDANCE)}
    status = 400 if form.errors else 200
    return render(request, "reporting/event_attendance.html", context, status=status)


def _recorded(region, kind: str) -> dict:
    """The last year's records of ``kind``, for the page that records them."""
    since = timezone.localdate() - dt.timedelta(days=365)
    recorded, more = services.recorded_lately(region=region, kind=kind, since=since)
    return {
        "recorded": recorded,
        "recorded_more": more,
        "recorded_since": since,
        "take_back_url": reverse(RECORD_PAGES[kind].take_back),
    }


@dataclass(frozen=True)
class RecordPage:
    """A page that records by hand, and what its take-back needs."""

    form_class: type
    page: str  # the page's URL name
    take_back: str  # the URL name of its rows' take-back
    template: str


RECORD_PAGES = {
    StatKind.EMPLOYER_FOUND_STAFF: RecordPage(
        EmployerFoundStaffForm,
        "employer-found-staff",
        "employer-found-staff-take-back",
        "reporting/goals_employer.html",
    ),
    StatKind.EVENT_ATTENDANCE: RecordPage(
        EventAttendanceForm,
        "event-attendance",
        "event-attendance-take-back",
        "reporting/event_attendance.html",
    ),
}


@require_POST
@staff_required(Role.COORDINATOR, Role.NETWORK_COORDINATOR)
def employer_found_staff_take_back(request: HttpRequest) -> HttpResponse:
    return _take_back(request, StatKind.EMPLOYER_FOUND_STAFF)


@require_POST
@staff_required(Role.COORDINATOR, Role.COMMUNICATOR, Role.NETWORK_COORDINATOR)
def event_attendance_take_back(request: HttpRequest) -> HttpResponse:
    return _take_back(request, StatKind.EVENT_ATTENDANCE)


def take_back_anchor(date: dt.date, code: str) -> str:
    """The id of a listed row's number to take back, as reporting/recorded.html writes it."""
    return f"take-back-{services.recorded_key(date, code)}"


def _take_back(request, kind: str) -> HttpResponse:
    """A row of the list taken back, in part or whole; with an error, the page again (400)
    with the error linked to that row's number."""
    region = membership_of(request.user).region
    form = RECORD_PAGES[kind].form_class(request.POST, region=region, auto_id="take_back_%s")
    valid = form.is_valid()
    data = form.cleaned_data
    if "date" not in data or "municipality" not in data:
        # The row's own fields (hidden) did not come back as the page gave them.
        message = _("That row could not be taken back. Open the page again and try once more.")
        return _take_back_refused(request, region, kind, ("", message))
    municipality = form.municipalities.get(data["municipality"])
    place = municipality.name if municipality else region.name
    if not valid:
        message = form.errors["count"][0]
    else:
        try:
            count = services.recorded_take_back(
                region=region,
                kind=kind,
                date=data["date"],
                municipality=municipality,
                count=data["count"],
            )
        except services.TakeBackTooMany as too_many:
            message = ngettext(
                "Only %(counted)s is counted for that day and place.",
                "Only %(counted)s are counted for that day and place.",
                too_many.counted,
            ) % {"counted": too_many.counted}
        else:
            messages.success(
                request,
                ngettext(
                    "Taken back: %(count)s for %(place)s on %(date)s. The statistics no longer "
                    "count it.",
                    "Taken back: %(count)s for %(place)s on %(date)s. The statistics no longer "
                    "count them.",
                    count,
                )
                % {"count": count, "place": place, "date": data["date"].isoformat()},
            )
            return redirect(RECORD_PAGES[kind].page)
    label = _("Number to take back, %(place)s %(date)s") % {
        "place": place,
        "date": data["date"].isoformat(),
    }
    anchor = take_back_anchor(data["date"], data["municipality"])
    error = (anchor, error_line(label, str(message)))
    return _take_back_refused(request, region, kind, error)


def _take_back_refused(request, region, kind: str, error: tuple[str, str]) -> HttpResponse:
    record = RECORD_PAGES[kind]
    context = {
        "form": record.form_class(region=region),
        "take_back_error": error,
        **_recorded(region, kind),
    }
    return render(request, record.template, context, status=400)
