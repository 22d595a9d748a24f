from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.privacy import processing, retention, selectors
from talang.privacy.forms import RetentionRuleForm
from talang.privacy.models import RetentionReview
from talang.privacy.selectors import access_log

# Households listed per page of a retention preview.
REVIEW_PAGE_SIZE = 100


@staff_required(Role.COORDINATOR)
def access_log_view(request: HttpRequest) -> HttpResponse:
    """Who opened which household, for the coordinator (personal data access is accountable)."""
    reference = request.GET.get("household", "")[:20]
    entries = access_log(region=membership_of(request.user).region, reference=reference)
    return render(request, "privacy/access_log.html", {"entries": entries, "reference": reference})


@staff_required(Role.COORDINATOR)
def retention_view(request: HttpRequest) -> HttpResponse:
    """The retention rule, the preview waiting for approval (its households listed), the
    progress or result of the latest run, and the past deletion records."""
    region = membership_of(request.user).region
    review = selectors.retention_review_current(region=region)
    page = households = None
    if review is not None and review.state == RetentionReview.State.WAITING:
        page = Paginator(review.household_ids, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
        households = selectors.retention_review_households(review=review, ids=list(page))
    context = {
        "rule": retention.retention_rule_for(region=region),
        "review": review,
        "page": page,
        "households": households,
        "stale_subscriptions": retention.stale_subscriptions_count(region=region),
        "standalone": retention.standalone_counts(region=region),
        "pending_days": retention.PENDING_SUBSCRIPTION_DAYS,
        "records": retention.retention_records(region=region)[:50],
    }
    return render(request, "privacy/retention.html", context)


@staff_required(Role.COORDINATOR)
def retention_rule_view(request: HttpRequest) -> HttpResponse:
    region = membership_of(request.user).region
    rule = retention.retention_rule_for(region=region)
    form = RetentionRuleForm(
        request.POST or None,
        initial={
            "inactive_months": rule.inactive_months,
            "decision_reference": rule.decision_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            retention.retention_rule_update(region=region, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The retention rule has been saved."))
            return redirect("retention")
    status = 400 if form.errors else 200
    return render(request, "privacy/retention_rule.html", {"form": form}, status=status)


@require_POST
@staff_required(Role.COORDINATOR)
def retention_preview_view(request: HttpRequest) -> HttpResponse:
    retention.retention_review_prepare(region=membership_of(request.user).region, by=request.user)
    messages.success(request, _("A new preview has been made."))
    return redirect("retention")


@require_POST
@staff_required(Role.COORDINATOR)
def retention_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = retention.review_for(region=membership_of(request.user).region, pk=pk)
    except RetentionReview.DoesNotExist:
        raise Http404 from None
    try:
        retention.retention_review_approve(review=review, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved. The households are being deleted."))
    return redirect("retention")


@staff_required(Role.COORDINATOR)
def records_of_processing_view(request: HttpRequest) -> HttpResponse:
    """The register of processing activities (GDPR art. 30), from the configuration."""
    records = processing.records_of_processing(region=membership_of(request.user).region)
    return render(request, "privacy/records_of_processing.html", {"records": records})
