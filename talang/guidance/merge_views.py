"""Merging two households that turn out to be the same, from the contact card."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talang.accounts.access import staff_required
from talang.accounts.models import Role
from talang.guidance import selectors
from talang.guidance.access import household_for_user
from talang.guidance.merge import household_merge as merge_households
from talang.privacy.services import access_log_write


class MergeForm(forms.Form):
    other = forms.CharField(
        label=gettext_lazy("Reference of the other household"),
        max_length=20,
        help_text=gettext_lazy("It is shown on the household's card, for example H7K2M9QXR."),
    )

    def __init__(self, data, *, keep):
        super().__init__(data)
        self.keep = keep

    def clean_other(self) -> str:
        reference = "".join(self.cleaned_data["other"].split()).upper()
        if reference == self.keep.reference:
            raise ValidationError(
                _(
                    "That is this household's own reference. "
                    "Enter the reference of the household to merge into this one."
                ),
                code="same_household",
            )
        return reference


def _other_household(form: MergeForm, *, user):
    """The household named in the form and its open case, or (None, None) with the error
    on the form: one message whether it does not exist or the user may not change it."""
    if not form.is_valid():
        return None, None
    try:
        return household_for_user(user=user, reference=form.cleaned_data["other"], write=True)
    except (Http404, PermissionDenied):
        form.add_error("other", _("There is no household with this reference that you may change."))
        return None, None


def _side(user, household, case) -> dict:
    return {"household": household, "case": case, **selectors.card(user=user, household=household)}


@staff_required(Role.GUIDE, Role.COORDINATOR)
def household_merge(request: HttpRequest, reference: str) -> HttpResponse:
    """GET: ask for the other household, then show both; POST: merge it into this one."""
    keep, keep_case = household_for_user(user=request.user, reference=reference, write=True)
    data = request.POST if request.method == "POST" else request.GET
    form = MergeForm(data if "other" in data else None, keep=keep)
    context = {"keep": keep, "form": form}
    if not form.is_bound:
        return render(request, "guidance/merge.html", context)
    other, other_case = _other_household(form, user=request.user)
    if other is None:
        return render(request, "guidance/merge.html", context, status=400)
    if request.method == "POST":
        try:
            merge_households(keep=keep, merge=other, by=request.user)
        except ValidationError as error:
            form.add_error("other", error)
            return render(request, "guidance/merge.html", context, status=400)
        messages.success(
            request,
            _("Household %(reference)s is merged into this one.") % {"reference": other.reference},
        )
        return redirect("household-card", reference=keep.reference)
    for household in (keep, other):
        access_log_write(user=request.user, household=household)
    context["sides"] = [
        _side(request.user, keep, keep_case),
        _side(request.user, other, other_case),
    ]
    return render(request, "guidance/merge.html", context)
