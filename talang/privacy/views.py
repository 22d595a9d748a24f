from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.privacy.selectors import access_log


@staff_required(Role.COORDINATOR)
def access_log_view(request: HttpRequest) -> HttpResponse:
    """Who opened which household, for the coordinator (personal data access is accountable)."""
    reference = request.GET.get("household", "")[:20]
    entries = access_log(region=membership_of(request.user).region, reference=reference)
    return render(request, "privacy/access_log.html", {"entries": entries, "reference": reference})
