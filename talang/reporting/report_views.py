"""The quarterly report: the page, and the same report as PDF and XLSX.

Viewers get the breakdowns with counts from 1 to 4 shown as "<5" (and the shares and medians
that would give them away as ".."); coordinators the counts.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.lib.workdays import local_date
from talang.reporting.budget_forms import QuarterForm
from talang.reporting.pdf import report_pdf
from talang.reporting.report import QuarterlyReport, report_build
from talang.reporting.xlsx import report_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: HttpRequest) -> tuple[QuarterForm, QuarterlyReport | None]:
    form = QuarterForm(request.GET, today=local_date(timezone.now()))
    if not form.is_valid():
        return form, None
    membership = membership_of(request.user)
    report = report_build(
        region=membership.region,
        year=form.cleaned_data["year"],
        quarter=form.cleaned_data["quarter"],
        suppress=membership.role != Role.COORDINATOR,
    )
    return form, report


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required(Role.VIEWER, Role.COORDINATOR)
def report(request: HttpRequest) -> HttpResponse:
    form, built = _report(request)
    status = 400 if built is None else 200
    return render(request, "reporting/report.html", {"form": form, "report": built}, status=status)


@never_cache
@staff_required(Role.VIEWER, Role.COORDINATOR)
def report_pdf_download(request: HttpRequest) -> HttpResponse:
    form, built = _report(request)
    if built is None:
        return render(request, "reporting/report.html", {"form": form}, status=400)
    return _download(report_pdf(report=built), "application/pdf", f"{built.filename_stem}.pdf")


@never_cache
@staff_required(Role.VIEWER, Role.COORDINATOR)
def report_xlsx_download(request: HttpRequest) -> HttpResponse:
    form, built = _report(request)
    if built is None:
        return render(request, "reporting/report.html", {"form": form}, status=400)
    return _download(report_xlsx(report=built), XLSX, f"{built.filename_stem}.xlsx")
