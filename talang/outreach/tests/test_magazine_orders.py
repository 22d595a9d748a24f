"""The magazine orders to post: the list, the mailing's spreadsheet, and marking them sent."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from talang.accounts.models import Region
from talang.outreach import services
from talang.outreach.models import MagazineOrder

pytestmark = pytest.mark.django_db

LIST = reverse("magazine-orders")


def order(region, name="Åsa Öberg", **fields) -> MagazineOrder:
    values = {
        "street": "Storgatan 1",
        "postal_code": "831 30",
        "city": "Östersund",
        "country": "SE",
        "language": "sv",
        "copies": 1,
        **fields,
    }
    return services.magazine_order_create(region=region, name=name, **values)


def test_the_communicator_sees_the_orders_to_send_oldest_first(personas, client_for):
    order(personas.region, name="Första Beställare")
    order(personas.region, name="Jan de Vries", country="NL", language="nl", copies=3)
    done = order(personas.region, name="Sänd Redan")
    MagazineOrder.objects.filter(pk=done.pk).update(sent_at=timezone.now())
    page = client_for(personas.dan).get(LIST).content.decode()
    assert page.index("Första Beställare") < page.index("Jan de Vries")
    assert "Sänd Redan" not in page
    assert "Storgatan 1, 831 30 Östersund, NL" in page
    assert "Nederlands" in page
    assert response_totals(page) == ("2", "4")
    sent = client_for(personas.dan).get(LIST, {"sent": "1"}).content.decode()
    assert "Sänd Redan" in sent and "Jan de Vries" not in sent


def response_totals(page: str) -> tuple[str, str]:
    found = re.search(r"(\d+) (?:order|orders|beställning|beställningar)\D+(\d+)", page)
    return found.groups() if found else ("", "")


def test_the_download_holds_the_orders_as_text(personas, client_for):
    first = order(personas.region, name='=HYPERLINK("http://example.org")')
    later = order(personas.region, name="Kommer Senare")
    response = client_for(personas.cecilia).get(
        reverse("magazine-orders-download"), {"up_to": first.pk}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the heading and the first order: the later one came after
    name_cell = sheet["A2"]
    assert name_cell.data_type == "s" and name_cell.value.startswith("=HYPERLINK")
    assert rows[1][1:5] == ("Storgatan 1", "831 30", "Östersund", "Sverige")
    assert later.name not in str(rows)


def test_marking_sent_keeps_the_orders_that_came_later(personas, client_for):
    first, second = order(personas.region), order(personas.region)
    client = client_for(personas.dan)
    response = client.post(reverse("magazine-orders-sent"), {"up_to": first.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sent_at is not None and second.sent_at is None
    assert client.post(reverse("magazine-orders-sent"), {"up_to": "x"}).status_code == 400
    assert client.get(reverse("magazine-orders-sent")).status_code == 405


def test_another_regions_orders_are_not_shown_or_marked(personas, client_for):
    other = Region.objects.create(name="Region Annan", code="99")
    theirs = order(other, name="Annan Region")
    client = client_for(personas.cecilia)
    assert "Annan Region" not in client.get(LIST).content.decode()
    client.post(reverse("magazine-orders-sent"), {"up_to": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.sent_at is None
    download = client.get(reverse("magazine-orders-download"))
    assert len(list(load_workbook(io.BytesIO(download.content)).active.iter_rows())) == 1
