"""The quarterly report as an Excel workbook (openpyxl): the figures, the municipalities and the
economic report, one sheet each. Numbers are written as numbers with a number format, never as
text; only a suppressed cell of a viewer's download holds text ("<5", or ".." for a share or
a median). Excel rounds a share half up to the one decimal of its format, as the page does."""

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from talang.reporting.report import COUNT, DAYS, SHARE, EconomyLine, QuarterlyReport

FORMATS = {COUNT: "#,##0", SHARE: "0.0%", DAYS: "0.0"}
AMOUNT_FORMAT = "#,##0.00"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def _title(sheet: Worksheet, report: QuarterlyReport, heading: str) -> int:
    """The title rows (region, quarter, date of generation); returns the next free row."""
    sheet["A1"] = _("%(region)s: quarterly report %(year)s Q%(quarter)s, %(heading)s") % {
        "region": report.region.name,
        "year": report.year,
        "quarter": report.quarter,
        "heading": heading,
    }
    sheet["A1"].font = TITLE
    generated = timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")
    sheet["A2"] = _("Quarter %(start)s – %(end)s; year to date from %(year_start)s.") % {
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "year_start": report.year_start.isoformat(),
    }
    sheet["A3"] = _("Generated %(when)s (Europe/Stockholm) by Talang.") % {"when": generated}
    if report.suppressed:
        sheet["A4"] = _("Counts from 1 to 4 in a breakdown are shown as <5.")
        sheet["A5"] = _(
            "“..”: not shown, because the share or median rests on fewer than 5 households or "
            "would give away a count under 5."
        )
    return 6


def _header(sheet: Worksheet, row: int, headings: list[str]) -> None:
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(row=row, column=column, value=heading)
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _value(sheet: Worksheet, row: int, column: int, value, number_format: str) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, int | float | Decimal):
        cell.number_format = number_format
    elif isinstance(value, str):
        cell.alignment = Alignment(horizontal="right")


def _widths(sheet: Worksheet, widths: list[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _figures_sheet(sheet: Worksheet, report: QuarterlyReport) -> None:
    sheet.title = _("Figures")[:31]
    row = _title(sheet, report, _("figures for the region"))
    _header(sheet, row, [_("Figure"), _("Quarter"), _("Year to date")])
    for figure in report.figures:
        row += 1
        sheet.cell(row=row, column=1, value=figure.label)
        _value(sheet, row, 2, figure.quarter, FORMATS[figure.kind])
        _value(sheet, row, 3, figure.year_to_date, FORMATS[figure.kind])
    if report.goals:
        row += 2
        _header(sheet, row, [_("Goal"), _("Target"), _("Achieved"), _("Share"), _("Period")])
        for goal in report.goals:
            row += 1
            sheet.cell(row=row, column=1, value=goal.label)
            _value(sheet, row, 2, goal.target, FORMATS[COUNT])
            _value(sheet, row, 3, goal.achieved, FORMATS[COUNT])
            _value(sheet, row, 4, goal.share, FORMATS[SHARE])
            sheet.cell(row=row, column=5, value=f"{goal.starts_on} – {goal.ends_on}")
    _widths(sheet, [44, 16, 16, 12, 26])
    sheet.freeze_panes = "A7"


def _municipalities_sheet(sheet: Worksheet, report: QuarterlyReport) -> None:
    row = _title(sheet, report, _("figures per municipality"))
    headings = [_("Municipality")]
    for _key, label, _kind in report.municipality_figures:
        headings += [
            _("%(figure)s, quarter") % {"figure": label},
            _("%(figure)s, year to date") % {"figure": label},
        ]
    _header(sheet, row, headings)
    for municipality in report.municipalities:
        row += 1
        sheet.cell(row=row, column=1, value=municipality.label)
        column = 2
        for key, _label, kind in report.municipality_figures:
            _value(sheet, row, column, municipality.quarter.get(key), FORMATS[kind])
            _value(sheet, row, column + 1, municipality.year_to_date.get(key), FORMATS[kind])
            column += 2
    _widths(sheet, [20] + [16] * (len(headings) - 1))
    sheet.freeze_panes = "B7"


def _economy_rows(sheet: Worksheet, row: int, lines: list[EconomyLine], total: EconomyLine):
    for line in [*lines, total]:
        row += 1
        sheet.cell(row=row, column=1, value=line.name)
        for column, value in enumerate(
            [line.budget, line.quarter, line.year_to_date, line.remaining], start=2
        ):
            _value(sheet, row, column, value, AMOUNT_FORMAT)
        if line is total:
            for column in range(1, 6):
                sheet.cell(row=row, column=column).font = BOLD
    return row


def _economy_sheet(sheet: Worksheet, report: QuarterlyReport) -> None:
    row = _title(sheet, report, _("economic report"))
    economy = report.economy
    headings = [
        _("Budget for the year (SEK)"),
        _("Outcome in the quarter (SEK)"),
        _("Outcome year to date (SEK)"),
        _("Remaining (SEK)"),
    ]
    _header(sheet, row, [_("Cost"), *headings])
    row = _economy_rows(sheet, row, economy.costs, economy.cost_total)
    row += 2
    _header(sheet, row, [_("Financing"), *headings])
    _economy_rows(sheet, row, economy.financing, economy.financing_total)
    _widths(sheet, [46, 20, 20, 20, 20])


def report_xlsx(*, report: QuarterlyReport) -> bytes:
    """The report as the bytes of an .xlsx file, in the active language."""
    workbook = Workbook()
    _figures_sheet(workbook.active, report)
    _municipalities_sheet(workbook.create_sheet(_("Municipalities")[:31]), report)
    _economy_sheet(workbook.create_sheet(_("Economic report")[:31]), report)
    workbook.properties.title = _("Quarterly report %(year)s Q%(quarter)s") % {
        "year": report.year,
        "quarter": report.quarter,
    }
    workbook.properties.creator = "Talang"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
