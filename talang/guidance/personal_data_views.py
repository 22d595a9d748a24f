"""The data subject's rights from the staff side: everything held about a household, as a
page and as JSON, and erasure on the person's request."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from talang.accounts.access import staff_required
from talang.accounts.models import Role
from talang.contacts.selectors import household_export, household_for_self_service
from talang.guidance.access import household_for_user
from talang.guidance.forms import EraseForm
from talang.privacy.models import ErasureRecord
from talang.privacy.services import access_log_write, household_erase


@never_cache
@staff_required(Role.GUIDE, Role.COORDINATOR)
def household_personal_data(request: HttpRequest, reference: str) -> HttpResponse:
    """The household's own /my-data/ record (page, or JSON with ?format=json), for staff who
    may change the household; opening it is written to the access log."""
    household, _case = household_for_user(user=request.user, reference=reference, write=True)
    access_log_write(user=request.user, household=household)
    record = household_for_self_service(reference=household.reference)
    if request.GET.get("format") == "json":
        response = JsonResponse(
            household_export(household=record),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = f'attachment; filename="talang-{record.reference}.json"'
        return response
    context = {"household": record, "staff": True}
    return render(request, "guidance/personal_data.html", context)


@require_POST
@staff_required(Role.COORDINATOR)
def household_erase_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Erase the household on the person's request, once its reference is typed to confirm."""
    household, _case = household_for_user(user=request.user, reference=reference, write=True)
    form = EraseForm(request.POST, reference=household.reference)
    if not form.is_valid():
        context = {"household": household, "erase_form": form}
        return render(request, "guidance/erase.html", context, status=400)
    household_erase(
        household=household, reason=ErasureRecord.Reason.STAFF_ON_REQUEST, by=request.user
    )
    messages.success(
        request,
        _("Household %(reference)s is erased. Its anonymous counts stay in the statistics.")
        % {"reference": household.reference},
    )
    return redirect("queue")
