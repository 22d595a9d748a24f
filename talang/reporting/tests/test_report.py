"""The quarterly report: the page, the PDF and the XLSX hold the figures of ``figures(...)`` and
the economic report; viewers see breakdown cells from 1 to 4 as "<5"; only viewers and
coordinators get in; a bad year or quarter gets a message, never a 500."""

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from talang.accounts.models import Municipality
from talang.reporting.budget import (
    agreement_data,
    agreement_load,
    budget_copy,
    budget_lines,
    budget_outcome_enter,
)
from talang.reporting.ledger import stat_record
from talang.reporting.models import Goal, GoalKind, StatKind
from talang.reporting.report import FIGURES, report_build
from talang.reporting.statistics import figures

pytestmark = pytest.mark.django_db

D = dt.date
Q2 = (D(2025, 4, 1), D(2025, 6, 30))
NOW = dt.datetime(2025, 8, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def region(personas):
    region = personas.region

    def add(kind, day, municipality="2380", count=1, **extra):
        for _ in range(count):
            stat_record(
                kind=kind,
                date=day,
                region_code=region.code,
                municipality_code=municipality,
                **extra,
            )

    # Q1: 7 registrations in Östersund, 3 in Åre, 1 for the region; 6 subscribers.
    add(StatKind.REGISTRATION, D(2025, 1, 10), count=7)
    add(StatKind.REGISTRATION, D(2025, 2, 3), "2321", count=3)
    add(StatKind.REGISTRATION, D(2025, 3, 3), "")
    add(StatKind.SUBSCRIPTION, D(2025, 2, 1), "", count=6)
    # Q2: 6 in Östersund, 2 in Krokom (a cell a viewer must not see); first responses,
    # moves, magazine orders, one unsubscription, 2 employers who found staff.
    add(StatKind.REGISTRATION, D(2025, 4, 2), count=6)
    add(StatKind.REGISTRATION, D(2025, 5, 5), "2309", count=2)
    add(StatKind.FIRST_RESPONSE_ON_TIME, D(2025, 4, 8), count=5)
    add(StatKind.FIRST_RESPONSE_LATE, D(2025, 4, 20))
    for days in (20, 30, 40):
        add(StatKind.MOVE, D(2025, 5, 20), cohort=D(2025, 4, 2), days=days)
    add(StatKind.MOVE, D(2025, 6, 1), "2321", cohort=D(2025, 2, 3), days=118)
    add(StatKind.MAGAZINE_ORDER, D(2025, 6, 1), "", count=5)
    add(StatKind.UNSUBSCRIPTION, D(2025, 6, 2), "")
    add(StatKind.EMPLOYER_FOUND_STAFF, D(2025, 6, 3), "2321", count=2)
    # Q3 (after the quarter reported) and another region: never in Q2's figures.
    add(StatKind.REGISTRATION, D(2025, 7, 1), count=9)
    stat_record(kind=StatKind.REGISTRATION, date=D(2025, 5, 5), region_code="21")

    Goal.objects.create(
        region=region,
        kind=GoalKind.HOUSEHOLDS_MOVED,
        target=400,
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 12, 31),
    )
    agreement_load(region=region, data=agreement_data("jamtland-harjedalen"))
    budget_copy(region=region, from_year=2024, to_year=2025)
    lines = {line.name: line.pk for line in budget_lines(region=region, year=2025)}
    budget_outcome_enter(
        region=region,
        year=2025,
        quarter=1,
        amounts={lines["Kommunikation"]: Decimal("300000"), lines["Näringslivet"]: "160000"},
        by=personas.cecilia,
    )
    budget_outcome_enter(
        region=region,
        year=2025,
        quarter=2,
        amounts={lines["Kommunikation"]: Decimal("410000.50"), lines["Webbplattform"]: "81250"},
        by=personas.cecilia,
    )
    return region


def _query(year=2025, quarter=2) -> str:
    return f"?year={year}&quarter={quarter}"


def _sv(text) -> str:
    """A label as the Swedish report shows it (lazy labels and plain source strings alike)."""
    with translation.override("sv"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _xlsx(client) -> openpyxl.Workbook:
    response = client.get(reverse("report-xlsx") + _query())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _rows(sheet, after: str | None = None) -> dict[str, list]:
    """Column A's label → the values in the columns after it (the first row so labelled, or
    the first after the row labelled ``after``)."""
    rows: dict[str, list] = {}
    started = after is None
    for row in sheet.iter_rows(values_only=True):
        if row[0] == after:
            started = True
        elif started and isinstance(row[0], str) and row[0]:
            rows.setdefault(row[0], list(row[1:]))
    return rows


def _pdf_text(client) -> str:
    response = client.get(reverse("report-pdf") + _query())
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def test_the_xlsx_numbers_match_the_figures_of_the_quarter(region, personas, client_for):
    workbook = _xlsx(client_for(personas.cecilia))
    quarter = figures(region=region, start=Q2[0], end=Q2[1]).as_dict()
    to_date = figures(region=region, start=D(2025, 1, 1), end=Q2[1]).as_dict()
    assert quarter["registered_households"] == 8 and to_date["registered_households"] == 19

    sheet = workbook.worksheets[0]
    assert region.name in sheet["A1"].value and "2025" in sheet["A1"].value
    assert "Q2" in sheet["A1"].value
    assert "2025-08-15 10:00" in sheet["A3"].value  # when it was generated, Stockholm time
    rows = _rows(sheet)
    for key, label, _kind in FIGURES:
        values = rows[_sv(label)]
        # Excel keeps 15 significant digits of a share.
        assert values[0] == pytest.approx(quarter[key], rel=1e-12), key
        assert values[1] == pytest.approx(to_date[key], rel=1e-12), key
    assert isinstance(rows[_sv(FIGURES[0][1])][0], int)  # a number, not text
    header = next(row for row in sheet.iter_rows() if row[1].value == _sv("Quarter"))
    assert all(cell.font.bold for cell in header[:3])
    assert sheet.column_dimensions["A"].width >= 30
    goal = _rows(sheet, after=_sv("Goal"))[_sv(GoalKind.HOUSEHOLDS_MOVED.label)]
    assert goal[:3] == [400, to_date["moved_households"], to_date["moved_households"] / 400]

    municipalities = _rows(workbook.worksheets[1])
    for municipality in Municipality.objects.filter(region=region):
        of_quarter = figures(region=region, start=Q2[0], end=Q2[1], municipality=municipality)
        assert municipalities[municipality.name][0] == of_quarter.registered_households
        assert municipalities[municipality.name][4] == of_quarter.moved_households
    assert municipalities["Krokom"][:2] == [2, 2]


def test_the_xlsx_holds_the_economic_report(region, personas, client_for):
    sheet = _xlsx(client_for(personas.cecilia)).worksheets[2]
    rows = _rows(sheet)
    # Budget for the year, outcome in the quarter, outcome year to date, remaining.
    assert rows["Kommunikation"] == [1505000, Decimal("410000.5"), Decimal("710000.5"), 794999.5]
    assert rows["Webbplattform"][:4] == [325000, 81250, 81250, 243750]
    assert rows["Gemensamt CRM-system"][:4] == [540000, None, 0, 540000]
    assert rows["Näringslivet"][:4] == [641000, None, 160000, 481000]
    total = rows[_sv("Total cost")]
    assert total[0] == 3570000
    assert total[1] == pytest.approx(491250.5)
    assert rows[_sv("Total financing")][0] == 3570000
    amount = next(row for row in sheet.iter_rows() if row[0].value == "Kommunikation")[1]
    assert amount.data_type == "n" and amount.number_format == "#,##0.00"


def test_the_pdf_renders_and_holds_the_figures_and_the_budget(region, personas, client_for):
    text = _pdf_text(client_for(personas.cecilia))
    assert region.name in text
    assert "3 570 000" in text  # total cost and total financing
    assert "1 505 000" in text
    assert "410 000,50" in text or "410,000.50" in text
    of_quarter = figures(region=region, start=Q2[0], end=Q2[1])
    row = text.split(_sv(FIGURES[0][1]), 1)[1].split()[:2]
    assert row == [str(of_quarter.registered_households), "19"]
    assert "Krokom" in text


def test_the_pdf_is_tagged_with_its_language_and_title(region, personas, client_for):
    response = client_for(personas.cecilia).get(reverse("report-pdf") + _query())
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]) == "sv"
    assert "2025" in reader.metadata.title
    assert response["Content-Disposition"] == 'attachment; filename="talang-report-23-2025-q2.pdf"'


def test_the_page_shows_the_report_for_a_coordinator(region, personas, client_for):
    response = client_for(personas.cecilia).get(reverse("reports") + _query())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kommunikation" in page and "3\xa0570\xa0000" in page
    assert reverse("report-pdf") + _query().replace("&", "&amp;") in page
    report = response.context["report"]
    assert (
        report.municipalities[[m.code for m in report.municipalities].index("2309")].quarter[
            "registered_households"
        ]
        == 2
    )


def test_a_viewer_sees_small_breakdown_cells_as_fewer_than_five(region, personas, client_for):
    client = client_for(personas.eva)
    report = client.get(reverse("reports") + _query()).context["report"]
    krokom = next(row for row in report.municipalities if row.code == "2309")
    assert krokom.quarter["registered_households"] == "<5"
    assert krokom.quarter["moved_households"] == 0  # 0 is not hidden
    figures_shown = {figure.key: figure for figure in report.figures}
    # Region totals are shown as they are, also the small ones.
    assert figures_shown["employers_found_staff"].quarter == 2

    municipalities = _rows(_xlsx(client).worksheets[1])
    assert municipalities["Krokom"][:2] == ["<5", "<5"]
    assert municipalities["Östersund"][0] == 6
    assert _rows(_xlsx(client).worksheets[0])[_sv("Employers who found staff")][0] == 2

    text = _pdf_text(client)
    krokom_row = text.split("Krokom", 1)[1].split()[:1]
    assert krokom_row == ["<5"]
    assert "3 570 000" in text  # the economic report is not personal data


def test_a_coordinator_sees_every_count(region, personas, client_for):
    municipalities = _rows(_xlsx(client_for(personas.cecilia)).worksheets[1])
    assert municipalities["Krokom"][:2] == [2, 2]


@pytest.mark.parametrize("persona", ["anna", "bengt", "dan", "filip"])
def test_guides_communicators_and_network_coordinators_are_refused(
    region, personas, client_for, persona
):
    client = client_for(getattr(personas, persona))
    for name in ("reports", "report-pdf", "report-xlsx"):
        response = client.get(reverse(name) + _query())
        assert response.status_code == 403, name
        assert b"Kommunikation" not in response.content


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=abc&quarter=1", "Write the year as four digits, for example 2026."),
        ("?year=1999&quarter=1", "Choose a year from 2000 to 2100."),
        ("?year=2025&quarter=5", "Choose a quarter from 1 to 4."),
        ("?year=2025&quarter=x", "Choose a quarter from 1 to 4."),
        ("?year=2025&quarter=4", "This quarter has not begun yet. Choose an earlier one."),
        ("?year=2026&quarter=1", "This quarter has not begun yet. Choose an earlier one."),
    ],
)
def test_it_explains_a_bad_year_or_quarter(region, personas, client_for, query, message):
    client = client_for(personas.eva)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for name in ("reports", "report-pdf", "report-xlsx"):
        response = client.get(reverse(name) + query)
        assert response.status_code == 400, name
        assert message in response.content.decode()


def test_it_opens_on_the_current_quarter(region, personas, client_for):
    report = client_for(personas.cecilia).get(reverse("reports")).context["report"]
    assert (report.year, report.quarter) == (2025, 3)
    assert report.figures[0].quarter == 9


def test_a_quarter_without_outcome_shows_dashes_not_zeros(region):
    economy = report_build(region=region, year=2025, quarter=1, suppress=False).economy
    crm = next(line for line in economy.costs if line.name == "Gemensamt CRM-system")
    assert crm.quarter is None and crm.year_to_date == 0 and crm.remaining == 540000
    assert economy.cost_total.quarter == Decimal("300000")
    assert economy.financing_total.year_to_date == Decimal("160000")


def test_a_year_without_a_budget_still_reports_the_figures(personas, client_for):
    response = client_for(personas.cecilia).get(reverse("reports") + _query(2024, 4))
    assert response.status_code == 200
    assert response.context["report"].economy.cost_total.budget == 0
    assert (
        client_for(personas.cecilia).get(reverse("report-xlsx") + _query(2024, 4)).status_code
        == 200
    )


def test_the_xlsx_numbers_match_the_dashboard(region, personas, client_for):
    """The statistics page for the same quarter, as the coordinator sees it, and the workbook
    agree on every total the report shows."""
    client = client_for(personas.cecilia)
    dashboard = client.get(reverse("statistics") + "?year=2025&quarter=2")
    assert dashboard.status_code == 200
    shown = dashboard.context["figures"].as_dict()
    rows = _rows(_xlsx(client).worksheets[0])
    for key, label, _kind in FIGURES:
        assert rows[_sv(label)][0] == pytest.approx(shown[key], rel=1e-12), key
    per_municipality = _rows(_xlsx(client).worksheets[1])
    on_page = {row["label"]: row["values"] for row in shown["by_municipality"]}
    for municipality in Municipality.objects.filter(region=region):
        assert (
            per_municipality[municipality.name][0]
            == (on_page[municipality.name]["registered_households"])
        )
