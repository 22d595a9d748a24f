"""Staff pages of outreach: the magazine orders to post, as a list and as a spreadsheet for the
mailing, marked as sent once they have gone out."""

import io

from django.contrib import messages
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.lib.countries import country_name
from talang.lib.paging import CappedPaginator
from talang.outreach import services
from talang.outreach.models import MagazineOrder

SENDERS = (Role.COMMUNICATOR, Role.COORDINATOR)
PAGE_SIZE = 100


def _up_to(request: HttpRequest) -> int | None:
    raw = (request.GET.get("up_to") or request.POST.get("up_to") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@never_cache
@staff_required(*SENDERS)
def magazine_orders(request: HttpRequest) -> HttpResponse:
    """The orders to send (oldest first), or with ?sent=1 the ones sent (newest first)."""
    region = membership_of(request.user).region
    sent = request.GET.get("sent") == "1"
    to_send = services.magazine_orders_to_send(region=region)
    if sent:
        orders = MagazineOrder.objects.filter(region=region, sent_at__isnull=False).order_by(
            "-sent_at", "-pk"
        )
    else:
        orders = to_send
    page = CappedPaginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    # One query: how many to send, the copies, and the newest order the "sent" button covers.
    totals = to_send.aggregate(orders=Count("pk"), copies=Sum("copies"), newest=Max("pk"))
    context = {
        "page": page,
        "sent": sent,
        "newest": totals["newest"],
        "totals": totals,
        "query": "sent=1" if sent else "",
    }
    return render(request, "outreach/magazine_orders.html", context)


@never_cache
@staff_required(*SENDERS)
def magazine_orders_download(request: HttpRequest) -> HttpResponse:
    """The orders to send up to ``up_to`` as an Excel workbook, one row per order, for the
    mailing house: every value is written as text, so that nothing in a name or an address is
    ever read as a formula."""
    region = membership_of(request.user).region
    orders = services.magazine_orders_to_send(region=region)
    up_to = _up_to(request)
    if up_to is not None:
        orders = orders.filter(pk__lte=up_to)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Magazine orders")[:31]
    headings = [
        _("Name"),
        _("Street address"),
        _("Postal code"),
        _("City"),
        _("Country"),
        _("Language"),
        _("Copies"),
        _("Ordered"),
    ]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    language = get_language() or "sv"
    for order in orders.iterator():
        row = [
            order.name,
            order.street,
            order.postal_code,
            order.city,
            country_name(order.country, language),
            order.language,
        ]
        sheet.append([*row, order.copies, timezone.localdate(order.ordered_at).isoformat()])
        for cell in sheet[sheet.max_row][: len(row)]:
            cell.data_type = "s"  # text, even when it starts with "="
    for column, width in zip("ABCDEFGH", (30, 34, 12, 20, 16, 10, 8, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="magazine-orders-{stamp}.xlsx"'
    return response


@require_POST
@staff_required(*SENDERS)
def magazine_orders_sent(request: HttpRequest) -> HttpResponse:
    """Mark the orders listed (up to the newest the page showed) as sent."""
    region = membership_of(request.user).region
    up_to = _up_to(request)
    if up_to is None:
        return HttpResponse(_("Say which orders were sent."), status=400)
    marked = services.magazine_orders_mark_sent(region=region, up_to=up_to)
    messages.success(
        request,
        ngettext(
            "%(count)d order is marked as sent.", "%(count)d orders are marked as sent.", marked
        )
        % {"count": marked},
    )
    return redirect("magazine-orders")
