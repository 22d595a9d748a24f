"""The guide's workspace: the queue, the contact card and what is done from it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.contacts import services as contacts
from talang.contacts.models import MoveStatus
from talang.guidance import selectors, services
from talang.guidance.access import household_for_user, may_write, sees_dialogue
from talang.guidance.forms import (
    ActivityForm,
    AssignForm,
    EraseForm,
    FollowUpForm,
    HandOverForm,
    HouseholdForm,
    StatusForm,
)
from talang.guidance.models import Activity, ActivityKind, FollowUp
from talang.lib.paging import CappedPaginator
from talang.privacy.services import access_log_write

WORKERS = (Role.GUIDE, Role.COORDINATOR, Role.COMMUNICATOR)
WRITERS = (Role.GUIDE, Role.COORDINATOR)
FILTERS = (
    "municipality",
    "status",
    "guide",
    "channel",
    "language",
    "timeline",
    "origin_country",
    "waiting",
)


@staff_required(*WRITERS)
def queue(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    default_scope = "mine" if membership.role == Role.GUIDE else "all"
    scope = request.GET.get("scope", default_scope)
    scope = scope if scope in selectors.SCOPES else default_scope
    filters = {name: request.GET.get(name, "").strip()[:40] for name in FILTERS}
    order = request.GET.get("order", "due")
    cases = selectors.queue(user=request.user, scope=scope, filters=filters, order=order)
    page = CappedPaginator(cases, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": selectors.with_deadlines(page.object_list),
        "scope": scope,
        "filters": filters,
        "order": order,
        "statuses": MoveStatus.choices,
        "municipalities": membership.region.municipalities.all(),
        "follow_ups": selectors.follow_ups_open(user=request.user),
    }
    return render(request, "guidance/queue.html", context)


@staff_required(*WORKERS)
def search(request: HttpRequest) -> HttpResponse:
    """Search by POST, so that names, addresses and numbers never end up in a URL or a log."""
    query = request.POST.get("q", "").strip()[:200] if request.method == "POST" else ""
    results, more = (
        selectors.households_search(user=request.user, query=query) if query else ([], False)
    )
    return render(
        request, "guidance/search.html", {"query": query, "results": results, "more": more}
    )


def _card_context(request, household, case, **forms) -> dict:
    region = household.region
    writable = may_write(request.user, household, case)
    return {
        "household": household,
        "case": selectors.with_deadlines([case])[0] if case else None,
        "writable": writable,
        # The queue is for those who write (see queue); a communicator came from the search.
        "back_to_queue": membership_of(request.user).role in WRITERS,
        "dialogue": sees_dialogue(request.user),
        **selectors.card(
            user=request.user, household=household, timeline_page=request.GET.get("page", 1)
        ),
        "activity_form": forms.get("activity_form") or ActivityForm(),
        "status_form": forms.get("status_form")
        or StatusForm(region=region, initial={"status": case.status if case else household.status}),
        "assign_form": forms.get("assign_form") or AssignForm(region=region),
        "handover_form": forms.get("handover_form") or HandOverForm(region=region),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(),
        "erase_form": EraseForm(reference=household.reference),
    }


@staff_required(*WORKERS)
def household_card(request: HttpRequest, reference: str) -> HttpResponse:
    household, case = household_for_user(user=request.user, reference=reference)
    access_log_write(user=request.user, household=household)
    return render(request, "guidance/card.html", _card_context(request, household, case))


def _rerender(request, household, case, status=400, **forms):
    return render(
        request,
        "guidance/card.html",
        _card_context(request, household, case, **forms),
        status=status,
    )


def _done(request, reference, message):
    messages.success(request, message)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = f"/households/{reference}/"
        return response
    return redirect("household-card", reference=reference)


@require_POST
@staff_required(*WRITERS)
def activity_create(request: HttpRequest, reference: str) -> HttpResponse:
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        return _rerender(request, household, case, activity_form=form)
    data = form.cleaned_data
    services.activity_record(
        household=household,
        case=case,
        kind=data["kind"],
        author=request.user,
        body=data["body"],
        occurred_at=data["occurred_at"],
        data={"outcome": data["outcome"]} if data["outcome"] else {},
    )
    return _done(request, reference, _("Saved on the timeline."))


@require_POST
@staff_required(*WRITERS)
def status_change(request: HttpRequest, reference: str) -> HttpResponse:
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    form = StatusForm(request.POST, region=household.region)
    if case is None or not form.is_valid():
        return _rerender(request, household, case, status_form=form)
    services.case_status_change(case=case, by=request.user, **form.cleaned_data)
    return _done(request, reference, _("The move status is saved."))


@require_POST
@staff_required(*WRITERS)
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    form = AssignForm(request.POST, region=household.region)
    if case is None or not form.is_valid():
        return _rerender(request, household, case, assign_form=form)
    chosen = form.cleaned_data["guide"]
    guide = request.user if request.POST.get("me") else (chosen.user if chosen else None)
    services.case_assign(case=case, guide=guide, by=request.user)
    return _done(request, reference, _("The household is assigned."))


@require_POST
@staff_required(*WRITERS)
def hand_over(request: HttpRequest, reference: str) -> HttpResponse:
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    form = HandOverForm(request.POST, region=household.region)
    if case is None or not form.is_valid():
        return _rerender(request, household, case, handover_form=form)
    services.case_hand_over(case=case, by=request.user, **form.cleaned_data)
    messages.success(request, _("The household is handed over."))
    return redirect("queue")


@require_POST
@staff_required(*WRITERS)
def follow_up_create(request: HttpRequest, reference: str) -> HttpResponse:
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _rerender(request, household, case, follow_up_form=form)
    services.follow_up_add(
        household=household, assignee=request.user, by=request.user, **form.cleaned_data
    )
    return _done(request, reference, _("The follow-up is planned."))


@require_POST
@staff_required(*WRITERS)
def follow_up_complete(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    household, _case = household_for_user(user=request.user, reference=reference, write=True)
    follow_up = FollowUp.objects.filter(household=household, pk=pk).first()
    if follow_up is not None:
        services.follow_up_done(follow_up=follow_up, by=request.user)
    return _done(request, reference, _("The follow-up is done."))


def _waiting_detail(household, pk: int, name: str) -> Activity | None:
    """The household's registration ``pk`` if it left the detail ``name`` waiting for a guide
    (see contacts.household_register); None when it did not, or its person is no longer in the
    household. 404 for a registration of another household."""
    registration = get_object_or_404(
        Activity.objects.select_related("person"),
        pk=pk,
        household=household,
        kind=ActivityKind.REGISTRATION,
    )
    person = registration.person
    waiting = registration.data.get("unconfirmed") or {}
    if name not in waiting or person is None or person.household_id != household.pk:
        return None
    return registration


@require_POST
@staff_required(*WRITERS)
def unconfirmed_add(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Put a contact detail that a registration gave, and the guide has confirmed with the
    person, on the record. The post names the detail; its value is the registration's."""
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    name = request.POST.get("detail", "")
    registration = _waiting_detail(household, pk, name)
    if registration is None:
        return HttpResponse(_("This detail cannot be added."), status=400)
    changes = contacts.contact_detail_add(
        household=household,
        person=registration.person,
        name=name,
        value=registration.data["unconfirmed"][name],
        by=request.user,
    )
    if changes:
        services.details_changed(household=household, case=case, changes=changes, by=request.user)
    return _done(request, reference, _("Added to the card."))


@require_POST
@staff_required(*WRITERS)
def unconfirmed_decline(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Keep a contact detail that a registration gave off the card for good: the guide found
    with the person that it is not theirs. Recorded on the timeline."""
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    name = request.POST.get("detail", "")
    registration = _waiting_detail(household, pk, name)
    if registration is None:
        return HttpResponse(_("This detail cannot be marked."), status=400)
    services.unconfirmed_decline(
        household=household, case=case, registration=registration, name=name, by=request.user
    )
    return _done(request, reference, _("Marked as not theirs. It stays off the card."))


@staff_required(*WRITERS)
def household_edit(request: HttpRequest, reference: str) -> HttpResponse:
    household, case = household_for_user(user=request.user, reference=reference, write=True)
    access_log_write(user=request.user, household=household)
    person = selectors.card(user=request.user, household=household)["contact"]
    form = HouseholdForm(request.POST or None, initial=HouseholdForm.initial_for(household, person))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            changes = form.update(household=household, person=person, by=request.user)
        except contacts.HouseholdConflict:
            form.add_error(
                None,
                _(
                    "Someone else changed this household while you were editing. "
                    "Open it again to see their changes; nothing of yours was saved."
                ),
            )
            status = 409
        else:
            if changes:
                services.details_changed(
                    household=household, case=case, changes=changes, by=request.user
                )
            return _done(request, reference, _("The details are saved."))
    elif request.method == "POST":
        status = 400
    context = {"household": household, "contact": person, "form": form}
    return render(request, "guidance/edit.html", context, status=status)
