"""What the dashboard shows, from ``Figures.as_dict``: the same (suppressed) data as the API,
so a viewer's page can never show more than a viewer's token. Numbers are written by the
report's ``figure`` filter, so the page and the quarterly report round them alike."""

from django.utils.translation import gettext as _

from talang.reporting.charts import bar_chart, progress_bar
from talang.reporting.models import GoalKind
from talang.reporting.statistics import REGION_WIDE, Figures
from talang.reporting.templatetags.report_format import figure


def _labels() -> dict[str, str]:
    return {
        "registered_households": _("Households registered"),
        "moved_households": _("Households moved"),
        "first_responses_on_time": _("First responses on time"),
        "first_responses_late": _("First responses late"),
        "first_response_on_time_share": _("On time (share)"),
        "employers_found_staff": _("Employers who found staff"),
        "magazine_orders": _("Magazine orders"),
        "event_attendance": _("Event attendance"),
    }


def _breakdowns(unit: str) -> list[tuple[str, str, str, list[str]]]:
    """(key, title, heading of the first column, figures) of each breakdown."""
    over_time = {
        "month": (_("By month"), _("Month")),
        "quarter": (_("By quarter"), _("Quarter")),
        "year": (_("By year"), _("Year")),
    }
    counts = ["registered_households", "moved_households"]
    return [
        (
            "by_municipality",
            _("By municipality"),
            _("Municipality"),
            [
                "registered_households",
                "first_responses_on_time",
                "first_responses_late",
                "first_response_on_time_share",
                "moved_households",
                "employers_found_staff",
            ],
        ),
        (
            f"by_{unit}",
            *over_time[unit],
            [
                "registered_households",
                "first_responses_on_time",
                "first_responses_late",
                "moved_households",
            ],
        ),
        ("by_channel", _("By channel"), _("Channel"), counts),
        ("by_campaign", _("By campaign"), _("Campaign"), counts),
        ("by_origin", _("By origin"), _("Origin"), counts),
        ("by_size_band", _("By household size"), _("Household size"), counts),
    ]


def _cell(name: str, value) -> str:
    if name.endswith("share") or name == "conversion":
        return figure(value, "share")
    return figure(value, "days" if name.startswith("median") else "count")


def dashboard_context(result: Figures, *, suppress: bool, unit: str) -> dict:
    data = result.as_dict(suppress=suppress)
    labels = _labels()
    goal_labels = dict(GoalKind.choices)
    breakdowns = []
    for key, title, heading, columns in _breakdowns(unit):
        rows = [
            {"label": row["label"], "cells": [_cell(c, row["values"][c]) for c in columns]}
            for row in data[key]
        ]
        chart_title = _("%(figure)s: %(breakdown)s") % {
            "figure": labels["registered_households"],
            "breakdown": title,
        }
        breakdowns.append(
            {
                "key": key,
                "title": title,
                "heading": heading,
                "columns": [labels[c] for c in columns],
                "rows": rows,
                "chart": bar_chart(
                    key=key,
                    title=chart_title,
                    rows=[
                        (row["label"], row["values"]["registered_households"]) for row in data[key]
                    ],
                ),
            }
        )
    goals = [
        {
            "label": goal_labels.get(goal["kind"], goal["kind"]),
            "period": (goal["from"], goal["until"]),
            # Counted for the whole region from the goal's start to the end of the period.
            "counted_until": min(goal["until"], data["to"]),
            "achieved": figure(goal["achieved"]),
            "target": figure(goal["target"]),
            "share": figure(goal["share"], "share"),
            "source": goal["source"],
            "chart": progress_bar(
                title=goal_labels.get(goal["kind"], goal["kind"]),
                achieved=goal["achieved"],
                target=goal["target"],
            ),
        }
        for goal in data["goals"]
    ]
    totals = [
        (_("Households registered"), "registered_households"),
        (_("First responses on time"), "first_responses_on_time"),
        (_("First responses late"), "first_responses_late"),
        (_("First responses on time (share)"), "first_response_on_time_share"),
        (_("Households moved"), "moved_households"),
        (_("Conversion: moves of the households registered in the period"), "conversion"),
        (_("Median days from registration to move"), "median_days_to_move"),
        (_("Employers who found staff"), "employers_found_staff"),
        (_("Event attendance"), "event_attendance"),
        (_("Magazine orders"), "magazine_orders"),
        (_("Newsletter subscribers at the end of the period"), "newsletter_subscribers"),
        (_("New newsletter subscriptions"), "newsletter_subscriptions"),
    ]
    # With a municipality chosen, the newsletter and the magazine are still the region's
    # figures (their rows have no municipality): they get a table of their own.
    region_wide = REGION_WIDE if data["municipality"] is not None else set()
    return {
        "figures": result,
        "data": data,
        "totals": [(label, _cell(k, data[k])) for label, k in totals if k not in region_wide],
        "region_totals": [(label, _cell(k, data[k])) for label, k in totals if k in region_wide],
        "goals": goals,
        "breakdowns": breakdowns,
        "suppressed": suppress,
    }
