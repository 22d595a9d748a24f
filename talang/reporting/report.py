"""The quarterly report: the figures of a quarter and of the year to date, for the region and
per municipality, and the economic report (budget against the outcome entered per quarter).

The figures come from ``statistics.figures`` alone; the PDF and the XLSX are drawn from the
``QuarterlyReport`` built here, so the page and both downloads always agree.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Region
from talang.reporting.budget import budget_lines, budget_outcomes, quarter_check, year_check
from talang.reporting.models import BudgetLine
from talang.reporting.statistics import figures

# (key in Figures.as_dict(), label, how to show it): the figures the report shows.
COUNT, SHARE, DAYS = "count", "share", "days"
FIGURES = [
    ("registered_households", _("Households registered"), COUNT),
    ("first_response_on_time_share", _("First responses on time"), SHARE),
    ("moved_households", _("Households moved"), COUNT),
    ("conversion", _("Conversion from registration to move"), SHARE),
    ("median_days_to_move", _("Median days from registration to move"), DAYS),
    ("magazine_orders", _("Magazine orders"), COUNT),
    ("newsletter_subscribers", _("Newsletter subscribers"), COUNT),
    ("employers_found_staff", _("Employers who found staff"), COUNT),
]
# The per-municipality tables show these; the magazine and the newsletter belong to the
# region as a whole, so they are in the region's figures only.
MUNICIPALITY_FIGURES = [
    "registered_households",
    "first_response_on_time_share",
    "moved_households",
    "conversion",
    "median_days_to_move",
]


def quarter_dates(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a calendar quarter."""
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


def latest_quarter(today: dt.date) -> tuple[int, int]:
    """The quarter ``today`` lies in: the default the report opens with."""
    return today.year, (today.month - 1) // 3 + 1


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str
    quarter: int | float | str | None
    year_to_date: int | float | str | None


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    label: str
    quarter: dict
    year_to_date: dict


@dataclass(frozen=True)
class GoalLine:
    label: str
    target: int
    starts_on: dt.date
    ends_on: dt.date
    achieved: int
    share: float | None


@dataclass(frozen=True)
class EconomyLine:
    name: str
    description: str
    budget: Decimal
    quarter: Decimal | None  # None: no outcome entered for the quarter
    year_to_date: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Economy:
    costs: list[EconomyLine]
    cost_total: EconomyLine
    financing: list[EconomyLine]
    financing_total: EconomyLine

    @property
    def tables(self) -> list[dict]:
        """The cost table and the financing table, as the page and the PDF show them."""
        return [
            {
                "key": "costs",
                "caption": _("Costs: budget against outcome"),
                "heading": _("Cost"),
                "lines": self.costs,
                "total": self.cost_total,
            },
            {
                "key": "financing",
                "caption": _("Financing: budget against outcome"),
                "heading": _("Financing"),
                "lines": self.financing,
                "total": self.financing_total,
            },
        ]


@dataclass(frozen=True)
class QuarterlyReport:
    region: Region
    year: int
    quarter: int
    start: dt.date
    end: dt.date
    year_start: dt.date
    generated_at: dt.datetime
    suppressed: bool
    figures: list[Figure]
    municipality_figures: list[tuple[str, str, str]]
    municipalities: list[MunicipalityRow]
    goals: list[GoalLine]
    economy: Economy

    @property
    def periods(self) -> list[dict]:
        """The per-municipality tables: the quarter, then the year to date."""
        tables = []
        for key, caption in [
            ("quarter", _("Per municipality, the quarter %(start)s – %(end)s")),
            ("year", _("Per municipality, the year to date %(start)s – %(end)s")),
        ]:
            start = self.start if key == "quarter" else self.year_start
            rows = [
                {
                    "label": row.label,
                    "cells": [
                        ((row.quarter if key == "quarter" else row.year_to_date).get(name), kind)
                        for name, _label, kind in self.municipality_figures
                    ],
                }
                for row in self.municipalities
            ]
            tables.append(
                {
                    "key": key,
                    "caption": caption % {"start": start.isoformat(), "end": self.end.isoformat()},
                    "rows": rows,
                }
            )
        return tables

    @property
    def filename_stem(self) -> str:
        """A download's name: the region's code and the quarter, never a person."""
        return f"talang-report-{self.region.code}-{self.year}-q{self.quarter}"


def _total(name: str, lines: list[EconomyLine], *, quarter_entered: bool) -> EconomyLine:
    budget = sum((line.budget for line in lines), Decimal("0"))
    to_date = sum((line.year_to_date for line in lines), Decimal("0"))
    quarter = sum((line.quarter or Decimal("0") for line in lines), Decimal("0"))
    return EconomyLine(
        name=name,
        description="",
        budget=budget,
        quarter=quarter if quarter_entered else None,
        year_to_date=to_date,
        remaining=budget - to_date,
    )


def economy_build(*, region: Region, year: int, quarter: int) -> Economy:
    """Budget, outcome of the quarter, outcome of the year to date and what remains, per line."""
    outcomes = budget_outcomes(region=region, year=year)
    built: dict[str, list[EconomyLine]] = {kind: [] for kind in BudgetLine.Kind.values}
    for line in budget_lines(region=region, year=year):
        entered = outcomes.get((line.pk, quarter))
        to_date = sum(
            (
                outcomes[(line.pk, q)].amount
                for q in range(1, quarter + 1)
                if (line.pk, q) in outcomes
            ),
            Decimal("0"),
        )
        built[line.kind].append(
            EconomyLine(
                name=line.name,
                description=line.description,
                budget=line.amount,
                quarter=entered.amount if entered else None,
                year_to_date=to_date,
                remaining=line.amount - to_date,
            )
        )
    costs, financing = built[BudgetLine.Kind.COST], built[BudgetLine.Kind.FINANCING]
    return Economy(
        costs=costs,
        cost_total=_total(
            str(_("Total cost")),
            costs,
            quarter_entered=any(line.quarter is not None for line in costs),
        ),
        financing=financing,
        financing_total=_total(
            str(_("Total financing")),
            financing,
            quarter_entered=any(line.quarter is not None for line in financing),
        ),
    )


def _municipality_values(
    *, region: Region, start: dt.date, end: dt.date, suppress: bool, region_data: dict
) -> list[tuple[str, str, dict]]:
    """(code, name, figures) per municipality, from ``figures(municipality=...)``: with
    ``suppress`` its counts from 1 to 4 read "<5" and the shares and days that rest on them
    "..", as in the dashboard's municipality filter. Last, the households with no
    municipality (the region's queue), from the region's breakdown, where conversion and days
    are not broken down."""
    rows = []
    for municipality in region.municipalities.order_by("name"):
        data = figures(region=region, start=start, end=end, municipality=municipality)
        rows.append((municipality.code, municipality.name, data.as_dict(suppress=suppress)))
    for row in region_data.get("by_municipality", []):
        if row["key"] == "":
            rows.append(("", row["label"], row["values"]))
    return rows


def report_build(
    *, region: Region, year: int, quarter: int, suppress: bool, now: dt.datetime | None = None
) -> QuarterlyReport:
    """The report of ``quarter`` of ``year``; with ``suppress`` (viewers) every breakdown count
    from 1 to 4 reads "<5" and a share or median that would give one away "..", as
    ``Figures.as_dict(suppress=True)`` gives them."""
    year_check(year)
    quarter_check(quarter)
    start, end = quarter_dates(year, quarter)
    year_start = dt.date(year, 1, 1)
    of_quarter = figures(region=region, start=start, end=end)
    to_date = figures(region=region, start=year_start, end=end)
    quarter_data = of_quarter.as_dict(suppress=suppress)
    to_date_data = to_date.as_dict(suppress=suppress)

    shown = [
        Figure(
            key=key,
            label=str(label),
            kind=kind,
            quarter=quarter_data.get(key),
            year_to_date=to_date_data.get(key),
        )
        for key, label, kind in FIGURES
    ]
    columns = [
        (key, str(label), kind) for key, label, kind in FIGURES if key in MUNICIPALITY_FIGURES
    ]
    of_quarter_rows = _municipality_values(
        region=region, start=start, end=end, suppress=suppress, region_data=quarter_data
    )
    of_year_rows = _municipality_values(
        region=region, start=year_start, end=end, suppress=suppress, region_data=to_date_data
    )
    municipalities = [
        MunicipalityRow(
            code=code,
            label=label,
            quarter={key: in_quarter.get(key) for key, _label, _kind in columns},
            year_to_date={key: in_year.get(key) for key, _label, _kind in columns},
        )
        for (code, label, in_quarter), (_code, _label, in_year) in zip(
            of_quarter_rows, of_year_rows, strict=True
        )
    ]
    goals = [
        GoalLine(
            label=str(progress.goal.get_kind_display()),
            target=progress.goal.target,
            starts_on=progress.goal.starts_on,
            ends_on=progress.goal.ends_on,
            achieved=progress.achieved,
            share=progress.share,
        )
        for progress in to_date.goals
    ]
    return QuarterlyReport(
        region=region,
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        year_start=year_start,
        generated_at=now or timezone.now(),
        suppressed=suppress,
        figures=shown,
        municipality_figures=columns,
        municipalities=municipalities,
        goals=goals,
        economy=economy_build(region=region, year=year, quarter=quarter),
    )
