"""The statistics page, goals and the employer-found-staff record, through their URLs."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, translation

from talang.reporting.ledger import stat_record
from talang.reporting.models import Goal, GoalKind, StatEvent, StatKind
from talang.reporting.statistics import figures

D = dt.date
URL = "/staff/statistics/"


@pytest.fixture
def ledger(personas):
    for _ in range(3):
        stat_record(
            kind=StatKind.REGISTRATION,
            date=D(2026, 3, 2),
            region_code=personas.region.code,
            municipality_code="2321",
        )
    for _ in range(8):
        stat_record(
            kind=StatKind.REGISTRATION,
            date=D(2026, 3, 2),
            region_code=personas.region.code,
            municipality_code="2380",
        )
    return personas


def _cells(response, label):
    html = response.content.decode()
    start = html.index(f'<th scope="row">{label}</th>', html.index('id="by_municipality-caption"'))
    return html[start : html.index("</tr>", start)]


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_shows_eva_less_than_five_and_cecilia_the_count(ledger, client_for):
    eva = client_for(ledger.eva).get(URL)
    assert eva.status_code == 200
    assert '<td class="number">&lt;5</td>' in _cells(eva, "Åre")
    assert '<td class="number">8</td>' in _cells(eva, "Östersund")
    cecilia = client_for(ledger.cecilia).get(URL)
    assert '<td class="number">3</td>' in _cells(cecilia, "Åre")
    assert '<td class="number">&lt;5</td>' not in cecilia.content.decode()
    # The region's total is shown to both as it is.
    assert eva.context["data"]["registered_households"] == 11


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_draws_charts_with_a_title_and_a_table(ledger, client_for):
    html = client_for(ledger.cecilia).get(URL + "?year=2026&quarter=1").content.decode()
    assert html.count('<svg role="img"') >= 6
    assert "<title>" in html and "<caption" in html
    assert "2026-01-01 till 2026-03-31" in html  # Swedish, the staff's default language


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_defaults_to_this_year_to_date(ledger, client_for):
    response = client_for(ledger.eva).get(URL)
    assert (response.context["figures"].start, response.context["figures"].end) == (
        D(2026, 1, 1),
        D(2026, 11, 23),
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("from=yesterday", "from"),
        ("from=2026-05-01&to=2026-04-01", "to"),
        ("municipality=9999", "municipality"),
        ("year=1999", "year"),
        ("quarter=5&year=2026", "quarter"),
        ("quarter=2", "year"),
        ("unit=week", "unit"),
        ("from=1900-01-01", "from"),
        ("from=2000-01-01&to=2026-01-01", "from"),
    ],
)
def test_it_names_the_bad_field_instead_of_failing(personas, client_for, query, field):
    response = client_for(personas.eva).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="error-summary"' in response.content.decode()


def test_it_filters_by_municipality(ledger, client_for):
    response = client_for(ledger.cecilia).get(
        f"{URL}?from=2026-01-01&to=2026-12-31&municipality=2321"
    )
    assert response.status_code == 200
    assert response.context["data"]["registered_households"] == 3
    eva = client_for(ledger.eva).get(f"{URL}?from=2026-01-01&to=2026-12-31&municipality=2321")
    assert eva.context["data"]["registered_households"] == "<5"


@pytest.mark.parametrize("name", ["anna", "bengt", "dan", "filip"])
def test_it_refuses_other_roles(personas, client_for, name):
    assert client_for(getattr(personas, name)).get(URL).status_code == 403


def test_it_lists_statistics_in_the_menu_of_viewers_and_coordinators(personas, client_for):
    html = client_for(personas.eva).get(URL).content.decode()
    assert f'href="{URL}"' in html
    assert f'href="{URL}"' not in client_for(personas.anna).get("/").content.decode()


def test_it_lets_a_coordinator_add_edit_and_delete_goals(personas, client_for):
    client = client_for(personas.cecilia)
    response = client.post(
        reverse("goals"),
        {
            "kind": "households_moved",
            "target": "400",
            "starts_on": "2024-01-01",
            "ends_on": "2027-12-31",
            "source": "Samarbetsavtal",
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.region, goal.target) == (personas.region, 400)
    response = client.post(
        reverse("goal-edit", args=[goal.pk]),
        {
            "kind": "households_moved",
            "target": "300",
            "starts_on": "2024-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.target == 300
    assert client.get(reverse("goal-delete", args=[goal.pk])).status_code == 200
    assert client.post(reverse("goal-delete", args=[goal.pk])).status_code == 302
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"target": "0"}, "target"),
        ({"target": "-3"}, "target"),
        ({"target": "many"}, "target"),
        ({"ends_on": "2023-12-31"}, "ends_on"),
        ({"starts_on": "2024-02-30"}, "starts_on"),
        ({"kind": "happiness"}, "kind"),
    ],
)
def test_it_validates_goals(personas, client_for, data, field):
    valid = {
        "kind": "households_moved",
        "target": "400",
        "starts_on": "2024-01-01",
        "ends_on": "2027-12-31",
    }
    response = client_for(personas.cecilia).post(reverse("goals"), {**valid, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Goal.objects.exists()


def test_it_keeps_goals_to_coordinators(personas, client_for):
    goal = Goal.objects.create(
        region=personas.region,
        kind="households_moved",
        target=4,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    for name in ("anna", "dan", "eva", "filip"):
        client = client_for(getattr(personas, name))
        assert client.get(reverse("goals")).status_code == 403
        assert client.post(reverse("goal-delete", args=[goal.pk])).status_code == 403
    assert Goal.objects.exists()


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize("name", ["cecilia", "filip"])
def test_it_records_that_employers_found_staff(personas, client_for, name):
    response = client_for(getattr(personas, name)).post(
        reverse("employer-found-staff"),
        {"date": "2026-11-20", "municipality": "2321", "count": "3"},
    )
    assert response.status_code == 302
    rows = StatEvent.objects.filter(kind="employer_found_staff")
    assert rows.count() == 3
    assert set(
        rows.values_list("date", "municipality_code", "region_code", "channel", "origin")
    ) == {(D(2026, 11, 20), "2321", personas.region.code, "", "")}


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"count": "0"}, "count"),
        ({"count": "101"}, "count"),
        ({"date": "2026-11-24"}, "date"),
        ({"date": ""}, "date"),
        ({"municipality": "0000"}, "municipality"),
    ],
)
def test_it_validates_the_employer_record(personas, client_for, data, field):
    valid = {"date": "2026-11-20", "municipality": "", "count": "1"}
    response = client_for(personas.filip).post(reverse("employer-found-staff"), {**valid, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not StatEvent.objects.exists()


@pytest.mark.parametrize("name", ["anna", "dan", "eva"])
def test_it_refuses_the_employer_record_to_others(personas, client_for, name):
    response = client_for(getattr(personas, name)).post(
        reverse("employer-found-staff"), {"date": "2026-11-20", "municipality": "", "count": "1"}
    )
    assert response.status_code == 403
    assert not StatEvent.objects.exists()


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize("name", ["cecilia", "dan", "filip"])
def test_it_records_event_attendance_without_names(personas, client_for, name):
    client = client_for(getattr(personas, name))
    response = client.post(
        reverse("event-attendance"), {"date": "2026-11-20", "municipality": "2380", "count": "12"}
    )
    assert response.status_code == 302
    rows = StatEvent.objects.filter(kind="event_attendance")
    assert rows.count() == 12
    assert set(rows.values_list("date", "municipality_code", "channel", "origin")) == {
        (D(2026, 11, 20), "2380", "", "")
    }
    result = figures(region=personas.region, start=D(2026, 1, 1), end=D(2026, 11, 23))
    assert result.event_attendance == 12


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize(
    ("data", "field"),
    [({"count": "0"}, "count"), ({"count": "1001"}, "count"), ({"date": "2026-11-24"}, "date")],
)
def test_it_validates_event_attendance(personas, client_for, data, field):
    valid = {"date": "2026-11-20", "municipality": "", "count": "1"}
    response = client_for(personas.dan).post(reverse("event-attendance"), {**valid, **data})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not StatEvent.objects.exists()


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_the_event_page_lists_what_was_recorded_in_the_last_year(personas, client_for):
    """By day and municipality, newest first, from a year back; other kinds, other regions
    and older days are not listed."""
    client = client_for(personas.dan)
    for date, municipality, count in [
        ("2026-11-20", "2380", "12"),
        ("2026-11-20", "2380", "3"),  # the same event entered again: one row of 15
        ("2026-11-20", "", "4"),
        ("2026-02-01", "2321", "7"),
        ("2025-11-22", "2321", "9"),  # more than a year ago
    ]:
        client.post(
            reverse("event-attendance"),
            {"date": date, "municipality": municipality, "count": count},
        )
    stat_record(
        kind=StatKind.EMPLOYER_FOUND_STAFF,
        date=D(2026, 11, 21),
        region_code=personas.region.code,
        municipality_code="2380",
    )
    stat_record(
        kind=StatKind.EVENT_ATTENDANCE, date=D(2026, 11, 22), region_code="XX", municipality_code=""
    )
    response = client.get(reverse("event-attendance"))
    assert response.status_code == 200
    rows = [(r.date, r.place, r.count) for r in response.context["recorded"]]
    assert rows == [
        (D(2026, 11, 20), "Östersund", 15),
        (D(2026, 11, 20), personas.region.name, 4),
        (D(2026, 2, 1), "Åre", 7),
    ]
    html = response.content.decode()
    assert '<td>2026-11-20</td><td>Östersund</td><td class="number">15</td>' in html
    assert "2025-11-22" not in html
    assert not response.context["recorded_more"]


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_the_employer_page_lists_its_own_records_and_says_when_there_are_more(personas, client_for):
    from talang.reporting.services import RECORDED_SHOWN

    for day in range(RECORDED_SHOWN + 1):
        stat_record(
            kind=StatKind.EMPLOYER_FOUND_STAFF,
            date=D(2026, 11, 23) - dt.timedelta(days=day),
            region_code=personas.region.code,
            municipality_code="2380",
        )
    client = client_for(personas.filip)
    response = client.get(reverse("employer-found-staff"))
    recorded = response.context["recorded"]
    assert len(recorded) == RECORDED_SHOWN and recorded[0].date == D(2026, 11, 23)
    assert response.context["recorded_more"]
    more = "Only the newest %(shown)s rows are shown here; the statistics count every one."
    assert _sv(more) % {"shown": RECORDED_SHOWN} in response.content.decode()
    StatEvent.objects.all().delete()
    empty = client.get(reverse("employer-found-staff"))
    assert _sv("Nothing recorded in the last 12 months.") in empty.content.decode()


def _attendance(personas, client, date="2026-11-20", municipality="2380", count="15"):
    response = client.post(
        reverse("event-attendance"),
        {"date": date, "municipality": municipality, "count": count},
    )
    assert response.status_code == 302


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_a_number_recorded_by_mistake_is_taken_back_and_no_longer_counted(personas, client_for):
    """Part of a row, then the rest: the ledger keeps every row (undone ones added), the list
    and the statistics count what is left, and a row with nothing left is no longer listed."""
    client = client_for(personas.dan)
    _attendance(personas, client, count="15")
    _attendance(personas, client, municipality="", count="4")
    response = client.post(
        reverse("event-attendance-take-back"),
        {"date": "2026-11-20", "municipality": "2380", "count": "10"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("event-attendance")
    with translation.override("sv"):
        taken = translation.ngettext(
            "Taken back: %(count)s for %(place)s on %(date)s. The statistics no longer count it.",
            "Taken back: %(count)s for %(place)s on %(date)s. The statistics no longer count them.",
            10,
        ) % {"count": 10, "place": "Östersund", "date": "2026-11-20"}
    page = client.get(reverse("event-attendance"))
    assert taken in page.content.decode()
    assert [(r.place, r.count) for r in page.context["recorded"]] == [
        ("Östersund", 5),
        (personas.region.name, 4),
    ]
    rows = StatEvent.objects.filter(kind=StatKind.EVENT_ATTENDANCE)
    assert rows.count() == 29 and rows.filter(detail="undone").count() == 10
    year = figures(region=personas.region, start=D(2026, 1, 1), end=D(2026, 11, 23))
    assert year.event_attendance == 9
    client.post(
        reverse("event-attendance-take-back"),
        {"date": "2026-11-20", "municipality": "2380", "count": "5"},
    )
    page = client.get(reverse("event-attendance"))
    assert [r.place for r in page.context["recorded"]] == [personas.region.name]
    assert (
        figures(region=personas.region, start=D(2026, 1, 1), end=D(2026, 11, 23)).event_attendance
        == 4
    )


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_an_employer_taken_back_no_longer_counts_towards_the_goal(personas, client_for):
    client = client_for(personas.filip)
    Goal.objects.create(
        region=personas.region,
        kind=GoalKind.EMPLOYERS_FOUND_STAFF,
        target=200,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    client.post(
        reverse("employer-found-staff"),
        {"date": "2026-11-20", "municipality": "2321", "count": "3"},
    )
    response = client.post(
        reverse("employer-found-staff-take-back"),
        {"date": "2026-11-20", "municipality": "2321", "count": "1"},
    )
    assert response.status_code == 302
    result = figures(region=personas.region, start=D(2026, 1, 1), end=D(2026, 11, 23))
    assert result.employers_found_staff == 2
    assert [goal.achieved for goal in result.goals] == [2]


def _too_many() -> str:
    return translation.ngettext(
        "Only %(counted)s is counted for that day and place.",
        "Only %(counted)s are counted for that day and place.",
        15,
    ) % {"counted": 15}


def _not_a_number() -> str:
    return translation.gettext("Enter a whole number from 1 to 1000.")


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize(
    ("count", "expected"),
    [("16", _too_many), ("0", _not_a_number), ("x", _not_a_number), ("", _not_a_number)],
)
def test_taking_back_too_much_is_refused_with_the_row_named(personas, client_for, count, expected):
    """More than is counted, or not a number from 1 up: the error names the row's number and
    links to it."""
    client = client_for(personas.dan)
    _attendance(personas, client, count="15")
    response = client.post(
        reverse("event-attendance-take-back"),
        {"date": "2026-11-20", "municipality": "2380", "count": count},
    )
    assert response.status_code == 400
    anchor, text = response.context["take_back_error"]
    assert anchor == "take-back-20261120-2380"
    html = response.content.decode()
    assert f'id="{anchor}"' in html and f'href="#{anchor}"' in html
    # The error comes first on the page, and the row's number is marked invalid.
    assert html.index('id="error-summary"') < html.index('<form method="post" novalidate>')
    assert html.count('aria-invalid="true"') == 1
    assert f'id="{anchor}" name="count" min="1" max="15" inputmode="numeric" aria-invalid' in html
    label = _sv("Number to take back, %(place)s %(date)s") % {
        "place": "Östersund",
        "date": "2026-11-20",
    }
    with translation.override("sv"):
        assert text == f"{label}: {expected()}"
    assert StatEvent.objects.filter(detail="undone").count() == 0


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
@pytest.mark.parametrize(
    "data",
    [
        {"date": "2026-13-01"},  # the row's hidden fields, altered
        {"date": "2026-11-24"},
        {"municipality": "9999"},
    ],
)
def test_a_row_that_did_not_come_back_as_given_is_refused(personas, client_for, data):
    client = client_for(personas.dan)
    _attendance(personas, client, count="15")
    response = client.post(
        reverse("event-attendance-take-back"),
        {"date": "2026-11-20", "municipality": "2380", "count": "1", **data},
    )
    assert response.status_code == 400
    assert response.context["take_back_error"][0] == ""
    assert StatEvent.objects.filter(detail="undone").count() == 0


def test_only_what_is_recorded_by_hand_can_be_taken_back(personas):
    from talang.reporting import services

    with pytest.raises(ValueError, match="not recorded by hand"):
        services.recorded_take_back(
            region=personas.region,
            kind=StatKind.REGISTRATION,
            date=D(2026, 11, 20),
            municipality=None,
            count=1,
        )
    with pytest.raises(services.TakeBackTooMany) as nothing:
        services.recorded_take_back(
            region=personas.region,
            kind=StatKind.EVENT_ATTENDANCE,
            date=D(2026, 11, 20),
            municipality=None,
            count=1,
        )
    assert nothing.value.counted == 0


@pytest.mark.parametrize("name", ["anna", "eva"])
def test_it_refuses_event_attendance_to_guides_and_viewers(personas, client_for, name):
    response = client_for(getattr(personas, name)).post(
        reverse("event-attendance"), {"date": "2026-11-20", "municipality": "", "count": "1"}
    )
    assert response.status_code == 403
    assert not StatEvent.objects.exists()


def _sv(text: str) -> str:
    with translation.override("sv"):
        return translation.gettext(text)


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_lists_the_municipalities_by_name(ledger, client_for):
    response = client_for(ledger.cecilia).get(URL)
    labels = [row["label"] for row in response.context["breakdowns"][0]["rows"]]
    names = sorted(ledger.region.municipalities.values_list("name", flat=True), key=str.casefold)
    assert labels == [*names, _sv("The region (no municipality)")]
    assert labels[:3] == ["Berg", "Bräcke", "Härjedalen"]


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_heads_each_breakdown_with_its_own_name(ledger, client_for):
    html = client_for(ledger.cecilia).get(URL + "?unit=quarter").content.decode()
    for key, heading in [
        ("by_municipality", "Municipality"),
        ("by_quarter", "Quarter"),
        ("by_channel", "Channel"),
        ("by_campaign", "Campaign"),
        ("by_origin", "Origin"),
        ("by_size_band", "Household size"),
    ]:
        table = html[html.index(f'id="{key}-caption"') :]
        assert table.index(f'<th scope="col">{_sv(heading)}</th>') < table.index("</thead>"), key
    assert f'<th scope="col">{_sv("Group")}</th>' not in html


def test_it_names_the_months_and_the_quarters_as_the_report_does(personas, client_for):
    client = client_for(personas.cecilia)
    statistics = client.get(URL).content.decode()
    assert f'<option value="1">{_sv("January")}</option>' in statistics
    assert f'<option value="12">{_sv("December")}</option>' in statistics
    report = client.get(reverse("reports")).content.decode()
    for page in (statistics, report):
        assert f">{_sv('Q2')}</option>" in page


@pytest.fixture
def moves(ledger):
    for days in (170, 177):
        stat_record(
            kind=StatKind.MOVE,
            date=D(2026, 8, 3),
            region_code=ledger.region.code,
            municipality_code="2380",
            cohort=D(2026, 3, 1),
            days=days,
        )
    for kind in (StatKind.MAGAZINE_ORDER, StatKind.SUBSCRIPTION):
        stat_record(kind=kind, date=D(2026, 8, 3), region_code=ledger.region.code)
    Goal.objects.create(
        region=ledger.region,
        kind="households_moved",
        target=200,
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    return ledger


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_writes_the_median_in_the_pages_language(moves, client_for):
    html = client_for(moves.cecilia).get(URL + "?municipality=2380&quarter=3&year=2026")
    html = html.content.decode()
    median = html[html.index(_sv("Median days from registration to move")) :]
    with translation.override("sv"):
        expected = formats.number_format(173.5, 1)
    assert median[: median.index("</tr>")].endswith(f'<td class="number">{expected}</td>')
    assert "173.5" not in html


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_shows_the_regions_figures_as_the_regions(moves, client_for):
    response = client_for(moves.cecilia).get(URL + "?municipality=2380&quarter=3&year=2026")
    totals = [label for label, _value in response.context["totals"]]
    region_wide = [label for label, _value in response.context["region_totals"]]
    assert _sv("Magazine orders") in region_wide and _sv("Magazine orders") not in totals
    assert _sv("Newsletter subscribers at the end of the period") in region_wide
    assert _sv("Households moved") in totals
    html = response.content.decode()
    caption = html[html.index('id="region-totals-caption"') :]
    assert caption[: caption.index("</caption>")].count(moves.region.name) == 1
    # Without a municipality, every figure is the region's: one table.
    assert not client_for(moves.cecilia).get(URL).context["region_totals"]


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_it_says_what_a_goal_counts(moves, client_for):
    html = client_for(moves.cecilia).get(URL + "?municipality=2380&quarter=3&year=2026")
    caption = html.content.decode().split("<figcaption>", 1)[1].split("</figcaption>")[0]
    with translation.override("sv"):
        expected = translation.gettext(
            "%(label)s %(start)s – %(end)s: %(achieved)s of %(target)s (%(share)s), counted "
            "for all of %(region)s from %(start)s to %(until)s"
        ) % {
            "label": GoalKind.HOUSEHOLDS_MOVED.label,
            "start": "2026-01-01",
            "end": "2026-12-31",
            "achieved": 2,
            "target": 200,
            "share": "1,0 %",
            "region": moves.region.name,
            "until": "2026-09-30",
        }
    assert caption == expected
