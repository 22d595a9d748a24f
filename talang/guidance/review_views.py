"""The move status review: households still in dialogue that nobody has updated for months."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.guidance import selectors
from talang.guidance.forms import MoveReviewForm
from talang.lib.paging import CappedPaginator


@staff_required(Role.GUIDE, Role.COORDINATOR)
def move_review(request: HttpRequest) -> HttpResponse:
    """A guide starts in their municipality and may look at the others (guides are open with
    each other's contacts); a coordinator starts with all of them."""
    membership = membership_of(request.user)
    everything = membership.role == Role.COORDINATOR
    home = membership.municipality.code if membership.municipality else selectors.REGION_QUEUE
    data = request.GET.copy()
    data.setdefault("municipality", "" if everything else home)
    data.setdefault("months", str(settings.TALANG_MOVE_REVIEW_MONTHS))
    form = MoveReviewForm(data, region=membership.region, everything=everything)
    if not form.is_valid():
        context = {"form": form, "page": None}
        return render(request, "guidance/move_review.html", context, status=400)
    filters = form.cleaned_data
    cases = selectors.cases_for_move_review(user=request.user, **filters)
    page = CappedPaginator(cases, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "months": filters["months"], "query": urlencode(filters)}
    return render(request, "guidance/move_review.html", context)
