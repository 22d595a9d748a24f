"""What the dashboard shows, from ``Figures.as_dict``: the same (suppressed) data as the API,
so a viewer's page can never show more than a viewer's token."""

from django.utils.translation import gettext as _

from talang.reporting.charts import bar_chart, progress_bar
from talang.reporting.models import GoalKind
from talang.reporting.statistics import SUPPRESSED, Figures


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


def _breakdowns(unit: str) -> list[tuple[str, str, list[str]]]:
    over_time = {"month": _("By month"), "quarter": _("By quarter"), "year": _("By year")}
    return [
        (
            "by_municipality",
            _("By municipality"),
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
            over_time[unit],
            [
                "registered_households",
                "first_responses_on_time",
                "first_responses_late",
                "moved_households",
            ],
        ),
        ("by_channel", _("By channel"), ["registered_households", "moved_households"]),
        ("by_campaign", _("By campaign"), ["registered_households", "moved_households"]),
        ("by_origin", _("By origin"), ["registered_households", "moved_households"]),
        ("by_size_band", _("By household size"), ["registered_households", "moved_households"]),
    ]


def percent(value) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    return f"{value * 100:.0f} %"


def _cell(name: str, value):
    return percent(value) if name.endswith("share") or name == "conversion" else value


def dashboard_context(result: Figures, *, suppress: bool, unit: str) -> dict:
    data = result.as_dict(suppress=suppress)
    labels = _labels()
    goal_labels = dict(GoalKind.choices)
    breakdowns = []
    for key, title, columns in _breakdowns(unit):
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
            "achieved": goal["achieved"],
            "target": goal["target"],
            "share": percent(goal["share"]),
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
        (_("Households registered"), data["registered_households"]),
        (_("First responses on time"), data["first_responses_on_time"]),
        (_("First responses late"), data["first_responses_late"]),
        (_("First responses on time (share)"), percent(data["first_response_on_time_share"])),
        (_("Households moved"), data["moved_households"]),
        (
            _("Conversion: moves of the households registered in the period"),
            percent(data["conversion"]),
        ),
        (_("Median days from registration to move"), _days(data["median_days_to_move"])),
        (_("Employers who found staff"), data["employers_found_staff"]),
        (_("Event attendance"), data["event_attendance"]),
        (_("Magazine orders"), data["magazine_orders"]),
        (_("Newsletter subscribers at the end of the period"), data["newsletter_subscribers"]),
        (_("New newsletter subscriptions"), data["newsletter_subscriptions"]),
    ]
    return {
        "figures": result,
        "data": data,
        "totals": totals,
        "goals": goals,
        "breakdowns": breakdowns,
        "suppressed": suppress,
    }


def _days(value) -> str:
    if value is None:
        return "–"
    if value == SUPPRESSED:
        return SUPPRESSED
    return f"{value:g}"
