"""A viewer never learns a count from 1 to 4: counts read "<5", and a share or a median that
rests on one or would give one away reads "..", the same on the statistics page, in the API
and in the quarterly report (page, PDF, XLSX); coordinators see every figure."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from talang.accounts.services import api_token_create
from talang.reporting.ledger import stat_record
from talang.reporting.models import StatKind
from talang.reporting.statistics import NOT_SHOWN, SUPPRESSED, figures

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = (D(2026, 1, 1), D(2026, 12, 31))
NOTE = (
    "“..”: not shown, because the share or median rests on fewer than 5 households or would "
    "give away a count under 5."
)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-23 10:00:00+01:00", tick=False):
        yield


@pytest.fixture
def ledger(personas):
    def add(kind, municipality, count=1, **extra):
        for _ in range(count):
            stat_record(
                kind=kind,
                date=D(2026, 10, 5),
                region_code=personas.region.code,
                municipality_code=municipality,
                **extra,
            )

    # Ragunda: 13 of 14 first responses on time, so "93 %" would tell that 1 was late.
    add(StatKind.REGISTRATION, "2303", 14)
    add(StatKind.FIRST_RESPONSE_ON_TIME, "2303", 13)
    add(StatKind.FIRST_RESPONSE_LATE, "2303", 1)
    # Östersund: 10 of 15, nothing to hide.
    add(StatKind.REGISTRATION, "2380", 15)
    add(StatKind.FIRST_RESPONSE_ON_TIME, "2380", 10)
    add(StatKind.FIRST_RESPONSE_LATE, "2380", 5)
    # Krokom: 2 of 9 on time (a small numerator), and 3 moves (median 296 days).
    add(StatKind.REGISTRATION, "2309", 9)
    add(StatKind.FIRST_RESPONSE_ON_TIME, "2309", 2)
    add(StatKind.FIRST_RESPONSE_LATE, "2309", 7)
    for days in (280, 296, 310):
        add(StatKind.MOVE, "2309", cohort=D(2026, 10, 1), days=days)
    return personas


def _sv(text: str) -> str:
    with translation.override("sv"):
        return translation.gettext(text)


def _municipalities(data: dict) -> dict[str, dict]:
    return {row["key"]: row["values"] for row in data["by_municipality"]}


def test_it_hides_a_share_that_gives_away_a_hidden_count(ledger):
    result = figures(region=ledger.region, start=YEAR[0], end=YEAR[1])
    cells = _municipalities(result.as_dict(suppress=True))
    assert cells["2303"]["first_responses_late"] == SUPPRESSED
    assert cells["2303"]["first_responses_on_time"] == 13
    assert cells["2303"]["first_response_on_time_share"] == NOT_SHOWN  # 14 - 13 = 1 late
    assert cells["2309"]["first_response_on_time_share"] == NOT_SHOWN  # 2 on time
    assert cells["2380"]["first_response_on_time_share"] == pytest.approx(10 / 15)
    exact = _municipalities(result.as_dict())
    assert exact["2303"]["first_response_on_time_share"] == pytest.approx(13 / 14)
    # The region's totals stay exact.
    assert result.as_dict(suppress=True)["first_response_on_time_share"] == pytest.approx(25 / 38)


def test_it_hides_a_municipalitys_median_and_conversion_on_few_moves(ledger):
    krokom = ledger.region.municipalities.get(code="2309")
    result = figures(region=ledger.region, start=YEAR[0], end=YEAR[1], municipality=krokom)
    assert result.median_days_to_move == 296
    data = result.as_dict(suppress=True)
    assert data["moved_households"] == SUPPRESSED
    assert data["median_days_to_move"] == NOT_SHOWN
    assert data["conversion"] == NOT_SHOWN  # 3 moves of 9 registered
    assert data["registered_households"] == 9
    assert result.as_dict()["median_days_to_move"] == 296


def test_the_api_gives_a_viewer_the_same_cells(ledger, client):
    _token, raw = api_token_create(user=ledger.eva, name="statistics", by=None)
    response = client.get(
        "/api/v1/statistics?from=2026-01-01&to=2026-12-31", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200
    body = response.json()
    assert _municipalities(body)["2303"]["first_response_on_time_share"] == NOT_SHOWN
    assert body == figures(region=ledger.region, start=YEAR[0], end=YEAR[1]).as_dict(suppress=True)
    krokom = client.get(
        "/api/v1/statistics?from=2026-01-01&to=2026-12-31&municipality=2309",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    ).json()
    assert krokom["median_days_to_move"] == NOT_SHOWN


def _row(html: str, label: str, after: str) -> str:
    start = html.index(f'<th scope="row">{label}</th>', html.index(after))
    return html[start : html.index("</tr>", start)]


def test_the_statistics_page_shows_a_viewer_dots_and_explains_them(ledger, client_for):
    note = _sv(NOTE)
    url = reverse("statistics") + "?year=2026"
    html = client_for(ledger.eva).get(url).content.decode()
    ragunda = _row(html, "Ragunda", 'id="by_municipality-caption"')
    assert '<td class="number">..</td>' in ragunda
    assert '<td class="number">&lt;5</td>' in ragunda  # the one late
    assert "%" not in ragunda
    assert note in html
    cecilia = client_for(ledger.cecilia).get(url).content.decode()
    assert "92,9 %" in _row(cecilia, "Ragunda", 'id="by_municipality-caption"')
    assert note not in cecilia

    krokom = client_for(ledger.eva).get(url + "&municipality=2309").content.decode()
    median = _row(krokom, _sv("Median days from registration to move"), "<table")
    assert '<td class="number">..</td>' in median and "&lt;5" not in median


def test_the_report_shows_a_viewer_dots_for_a_median_of_few_moves(ledger, client_for):
    client = client_for(ledger.eva)
    query = "?year=2026&quarter=4"
    report = client.get(reverse("reports") + query)
    krokom = next(row for row in report.context["report"].municipalities if row.code == "2309")
    assert krokom.quarter["median_days_to_move"] == NOT_SHOWN
    assert krokom.quarter["moved_households"] == SUPPRESSED
    page = report.content.decode()
    assert _sv(NOTE) in page

    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("report-xlsx") + query).content)
    )
    sheet = workbook.worksheets[1]
    row = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Krokom")
    assert row[9] == NOT_SHOWN  # the median of the quarter
    assert _sv(NOTE) in [cell.value for cell in sheet["A"]]

    pdf = PdfReader(io.BytesIO(client.get(reverse("report-pdf") + query).content))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    # Registered, on time, moved, conversion, median: only the registrations are shown.
    assert text.split("Krokom", 1)[1].split()[:5] == ["9", "..", "<5", "..", ".."]
