"""Numbers as the reader's language writes them: shares rounded half up to the decimal shown
(never cut), alike on the statistics page and in the report's page, PDF and XLSX."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from talang.reporting.ledger import stat_record
from talang.reporting.models import StatKind
from talang.reporting.templatetags.report_format import amount, figure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (13 / 14, "share", "92,9 %"),  # 92.857…, not cut to 92,8
        (33 / 37, "share", "89,2 %"),
        (13 / 15, "share", "86,7 %"),
        (0.145, "share", "14,5 %"),
        (0.1455, "share", "14,6 %"),  # half up
        (0.00049, "share", "0,0 %"),
        (1, "share", "100,0 %"),
        (173.5, "days", "173,5"),
        (296.0, "days", "296"),
        (3570000, "count", "3\xa0570\xa0000"),
        (None, "share", "–"),
        ("<5", "count", "<5"),
        ("..", "share", ".."),
    ],
)
def test_it_rounds_half_up_in_the_readers_language(value, kind, shown):
    with translation.override("sv"):
        assert figure(value, kind) == shown
    with translation.override("en"):
        assert figure(value, kind) == shown.replace(",", ".").replace("\xa0", ",")


def test_it_writes_amounts_with_ore_only_when_there_are_any():
    with translation.override("sv"):
        assert amount(Decimal("130950.00")) == "130\xa0950"
        assert amount(Decimal("12500.5")) == "12\xa0500,50"


@pytest.fixture
def ragunda(personas):
    for kind, count in ((StatKind.FIRST_RESPONSE_ON_TIME, 13), (StatKind.FIRST_RESPONSE_LATE, 1)):
        for _ in range(count):
            stat_record(
                kind=kind,
                date=dt.date(2026, 10, 5),
                region_code=personas.region.code,
                municipality_code="2303",
            )
    return personas


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_the_report_and_its_downloads_round_a_share_alike(ragunda, client_for):
    client = client_for(ragunda.cecilia)
    query = "?year=2026&quarter=4"
    page = client.get(reverse("reports") + query).content.decode()
    ragunda_row = page[page.index('<th scope="row">Ragunda</th>') :]
    assert "92,9 %" in ragunda_row[: ragunda_row.index("</tr>")]
    assert "92,8" not in page

    pdf = PdfReader(io.BytesIO(client.get(reverse("report-pdf") + query).content))
    text = " ".join(page.extract_text() for page in pdf.pages).replace("\xa0", " ")
    assert "92,9 %" in text and "92,8" not in text

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("report-xlsx") + query).content)
    )
    row = next(row for row in workbook.worksheets[1].iter_rows() if row[0].value == "Ragunda")
    share = row[3]  # the first responses on time of the quarter
    # The exact share, which Excel shows rounded half up to one decimal: 92,9 %.
    assert share.value == pytest.approx(13 / 14) and share.number_format == "0.0%"

    statistics = client.get(reverse("statistics") + "?year=2026&quarter=4").content.decode()
    assert "92,9 %" in statistics
