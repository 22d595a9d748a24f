"""The budget: the agreement loaded as data, the coordinator's pages for lines and quarterly
outcomes, their validation, the copy of a year, and who may open them."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from talang.reporting.budget import agreement_data, agreement_load, budget_lines
from talang.reporting.budget_forms import AmountField
from talang.reporting.demo import budget_demo_load
from talang.reporting.models import BudgetLine, BudgetOutcome, Goal, GoalKind
from talang.reporting.templatetags.report_format import amount

pytestmark = pytest.mark.django_db

COSTS = {
    "Gemensamt CRM-system": Decimal("540000"),
    "Webbplattform": Decimal("325000"),
    "Strategiskt talangattraktionsarbete": Decimal("340000"),
    "Kommunikation": Decimal("1505000"),
    "Regionala ambassadörer": Decimal("240000"),
    "Coworkingnätverk": Decimal("70000"),
    "Magasinet Ta steget": Decimal("550000"),
}


@pytest.fixture
def agreement(personas):
    agreement_load(region=personas.region, data=agreement_data("jamtland-harjedalen"))
    return personas.region


def _line(region, name, year=2024) -> BudgetLine:
    return BudgetLine.objects.get(region=region, year=year, name=name)


def test_it_loads_the_agreement_of_2024_as_data(agreement):
    costs = budget_lines(region=agreement, year=2024).filter(kind="cost")
    assert {line.name: line.amount for line in costs} == COSTS
    assert sum(COSTS.values()) == Decimal("3570000")
    financing = {line.name: line.amount for line in budget_lines(region=agreement, year=2024)}
    assert financing["Näringslivet"] == Decimal("641000")
    assert financing["Gemensam utvecklingspott, region och kommuner"] == Decimal("2929000")
    assert all(line.description for line in costs)
    goals = {goal.kind: goal for goal in Goal.objects.filter(region=agreement)}
    assert goals[GoalKind.HOUSEHOLDS_MOVED].target == 400
    assert goals[GoalKind.EMPLOYERS_FOUND_STAFF].target == 200
    assert goals[GoalKind.HOUSEHOLDS_MOVED].starts_on == dt.date(2024, 1, 1)
    assert goals[GoalKind.HOUSEHOLDS_MOVED].ends_on == dt.date(2024, 12, 31)
    assert goals[GoalKind.HOUSEHOLDS_MOVED].source == "Samarbetsavtal kompetensattraktion 2024"


def test_it_loads_the_agreement_again_without_changing_anything(agreement):
    line = _line(agreement, "Kommunikation")
    BudgetOutcome.objects.create(line=line, quarter=1, amount=Decimal("100"))
    agreement_load(region=agreement, data=agreement_data("jamtland-harjedalen"))
    assert BudgetLine.objects.filter(region=agreement).count() == 9
    assert Goal.objects.filter(region=agreement).count() == 2
    assert BudgetOutcome.objects.get(line=line).amount == Decimal("100")


def test_it_refuses_an_agreement_for_another_region(personas):
    data = agreement_data("jamtland-harjedalen") | {"region": "21"}
    with pytest.raises(ValueError, match="region 21"):
        agreement_load(region=personas.region, data=data)
    assert not BudgetLine.objects.exists()


def test_the_command_loads_a_file_and_explains_a_bad_one(personas, tmp_path, capsys):
    from django.core.management.base import CommandError

    call_command("talang_agreement", "jamtland-harjedalen")
    assert "9 budget lines (2024)" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"region": "23", "starts_on": "2025-01-01", "ends_on": "2025-12-31",'
        ' "budgets": [{"year": 2025, "cost": [{"name": "X", "amount": "-1"}]}]}'
    )
    with pytest.raises(CommandError, match="negative"), translation.override("en"):
        call_command("talang_agreement", str(bad))
    with pytest.raises(CommandError, match="No agreement file"):
        call_command("talang_agreement", str(tmp_path / "missing.json"))
    assert not BudgetLine.objects.filter(year=2025).exists()


def test_the_demo_copies_the_budget_to_this_year_with_outcomes(personas):
    today = dt.date(2026, 5, 10)
    entered = budget_demo_load(region=personas.region, today=today)
    lines = list(budget_lines(region=personas.region, year=2026))
    assert len(lines) == 9
    assert entered == 9 * 2  # quarters 1 and 2
    assert sum(line.amount for line in lines if line.kind == "cost") == Decimal("3570000")
    assert Goal.objects.filter(region=personas.region, starts_on=dt.date(2026, 1, 1)).count() == 2
    assert budget_demo_load(region=personas.region, today=today) == 0


def test_a_coordinator_adds_edits_and_removes_a_line(personas, client_for):
    client = client_for(personas.cecilia)
    response = client.post(
        f"{reverse('budget-line-add')}?year=2025",
        {
            "kind": "cost",
            "name": "Mässor",
            "description": "Rekryteringsmässor",
            "amount": "12 500,50",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('budget')}?year=2025"
    line = BudgetLine.objects.get(region=personas.region, year=2025, name="Mässor")
    assert line.amount == Decimal("12500.50")

    response = client.post(
        reverse("budget-line", kwargs={"pk": line.pk}),
        {"kind": "cost", "name": "Mässor och event", "description": "", "amount": "13000"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.name, line.amount) == ("Mässor och event", Decimal("13000"))

    page = client.get(f"{reverse('budget')}?year=2025").content.decode()
    assert "Mässor och event" in page
    assert "13\xa0000" in page or "13 000" in page

    response = client.post(reverse("budget-line-remove", kwargs={"pk": line.pk}))
    assert response.status_code == 302
    assert not BudgetLine.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "The amount must not be negative."),
        ("12.505", "Write the amount with at most two decimals (öre)."),
        ("tolv", "Write the amount in kronor as a number, for example 12500 or 12500.50."),
        ("99999999999", "The amount is too large."),
        ("", "Write the amount in kronor."),
    ],
)
def test_it_explains_a_bad_budget_amount(personas, client_for, amount, message):
    client = _english(client_for(personas.cecilia))
    response = client.post(
        f"{reverse('budget-line-add')}?year=2025",
        {"kind": "cost", "name": "Mässor", "amount": amount},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'href="#id_amount"' in page  # the summary names and links the field
    assert not BudgetLine.objects.exists()


def test_it_refuses_a_second_line_of_the_same_name(agreement, client_for, personas):
    response = client_for(personas.cecilia).post(
        f"{reverse('budget-line-add')}?year=2024",
        {"kind": "cost", "name": "kommunikation", "amount": "1"},
    )
    assert response.status_code == 400
    assert BudgetLine.objects.filter(year=2024).count() == 9


def test_it_answers_a_bad_year_with_a_message(personas, client_for):
    client = client_for(personas.cecilia)
    for year in ["abc", "1999", "99999"]:
        assert client.get(f"{reverse('budget')}?year={year}").status_code == 400
        assert client.get(f"{reverse('budget-outcome')}?year={year}").status_code == 400
    assert client.get(f"{reverse('budget-outcome')}?year=2024&quarter=5").status_code == 400


def test_a_coordinator_enters_the_outcome_of_a_quarter(agreement, personas, client_for):
    client = client_for(personas.cecilia)
    crm, web = _line(agreement, "Gemensamt CRM-system"), _line(agreement, "Webbplattform")
    url = f"{reverse('budget-outcome')}?year=2024&quarter=2"
    page = client.get(url)
    assert page.status_code == 200
    assert f'name="line_{crm.pk}"' in page.content.decode()

    response = client.post(url, {f"line_{crm.pk}": "135 000", f"line_{web.pk}": "80000,25"})
    assert response.status_code == 302
    outcome = BudgetOutcome.objects.get(line=crm, quarter=2)
    assert outcome.amount == Decimal("135000")
    assert outcome.entered_by == personas.cecilia
    assert BudgetOutcome.objects.get(line=web, quarter=2).amount == Decimal("80000.25")
    assert "Cecilia Carlsson" in client.get(url).content.decode()  # who entered it

    # Saving the same amounts again keeps who entered them; an empty field clears one.
    first_entered = outcome.entered_at
    client.post(url, {f"line_{crm.pk}": "135000", f"line_{web.pk}": ""})
    outcome.refresh_from_db()
    assert outcome.entered_at == first_entered
    assert not BudgetOutcome.objects.filter(line=web).exists()


def test_it_explains_a_bad_outcome_and_saves_nothing(agreement, personas, client_for):
    crm, web = _line(agreement, "Gemensamt CRM-system"), _line(agreement, "Webbplattform")
    response = _english(client_for(personas.cecilia)).post(
        f"{reverse('budget-outcome')}?year=2024&quarter=1",
        {f"line_{crm.pk}": "100", f"line_{web.pk}": "-3"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'href="#id_line_{web.pk}"' in page
    assert "Webbplattform: The amount must not be negative." in page
    assert not BudgetOutcome.objects.exists()


def test_a_line_with_outcomes_is_not_removed(agreement, personas, client_for):
    line = _line(agreement, "Kommunikation")
    BudgetOutcome.objects.create(line=line, quarter=1, amount=Decimal("100"))
    response = client_for(personas.cecilia).post(
        reverse("budget-line-remove", kwargs={"pk": line.pk}), follow=True
    )
    assert response.status_code == 200
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_it_copies_the_lines_of_the_previous_year_into_an_empty_year(
    agreement, personas, client_for
):
    BudgetOutcome.objects.create(line=_line(agreement, "Kommunikation"), quarter=1, amount=1)
    client = client_for(personas.cecilia)
    page = client.get(f"{reverse('budget')}?year=2025").content.decode()
    assert reverse("budget-copy") in page
    response = client.post(reverse("budget-copy"), {"year": "2025"})
    assert response.status_code == 302
    copied = {line.name: line.amount for line in budget_lines(region=agreement, year=2025)}
    assert copied == {line.name: line.amount for line in budget_lines(region=agreement, year=2024)}
    assert not BudgetOutcome.objects.filter(line__year=2025).exists()

    # Into a year that has lines, or from a year without any, nothing is copied.
    client.post(reverse("budget-copy"), {"year": "2025"})
    client.post(reverse("budget-copy"), {"year": "2030"})
    assert BudgetLine.objects.filter(year=2025).count() == 9
    assert not BudgetLine.objects.filter(year=2030).exists()


def test_a_coordinator_of_another_region_cannot_open_a_line(agreement, personas, client_for):
    from talang.accounts.models import Region, Role
    from talang.testing import make_user

    other = Region.objects.create(name="Region Gävleborg", code="21")
    stranger = make_user("s@example.org", "Stina", Role.COORDINATOR, None, other)
    line = _line(agreement, "Kommunikation")
    client = client_for(stranger)
    assert client.get(reverse("budget-line", kwargs={"pk": line.pk})).status_code == 404
    assert client.post(reverse("budget-line-remove", kwargs={"pk": line.pk})).status_code == 404
    page = client.get(f"{reverse('budget')}?year=2024").content.decode()
    main = page[page.index("<main") : page.index("</main>")]  # the menu has a "Kommunikation"
    assert "Kommunikation" not in main


@pytest.mark.parametrize("persona", ["anna", "bengt", "dan", "eva", "filip"])
def test_only_coordinators_open_the_budget(agreement, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    line = _line(agreement, "Kommunikation")
    assert client.get(reverse("budget")).status_code == 403
    assert client.get(reverse("budget-outcome")).status_code == 403
    assert client.get(reverse("budget-line", kwargs={"pk": line.pk})).status_code == 403
    assert client.post(reverse("budget-copy"), {"year": "2025"}).status_code == 403
    response = client.post(
        f"{reverse('budget-outcome')}?year=2024&quarter=1", {f"line_{line.pk}": "1"}
    )
    assert response.status_code == 403
    assert not BudgetOutcome.objects.exists()


def test_the_budget_page_makes_a_fixed_number_of_queries(
    agreement, personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.cecilia)
    client.get(f"{reverse('budget')}?year=2024")
    with django_assert_max_num_queries(12):
        assert client.get(f"{reverse('budget')}?year=2024").status_code == 200


def _english(client):
    """The pages in English (the language switch's cookie), so the messages read as written."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_demo_command_loads_this_years_budget_with_outcomes(db, settings):
    import io

    from django.utils import timezone

    from talang.lib.workdays import local_date

    settings.TALANG_DEMO = True
    call_command("talang_demo", stdout=io.StringIO())
    year = local_date(timezone.now()).year
    assert BudgetLine.objects.filter(year=year).count() == 9
    assert BudgetOutcome.objects.filter(line__year=year, quarter=1).count() == 9
    assert Goal.objects.filter(kind=GoalKind.HOUSEHOLDS_MOVED, ends_on__year=year).exists()


def test_fictitious_outcomes_need_the_demo(personas, settings):
    from django.core.management.base import CommandError

    settings.TALANG_DEMO = False
    with pytest.raises(CommandError, match="TALANG_DEMO"):
        call_command("talang_agreement", "jamtland-harjedalen", "--demo")
    assert not BudgetLine.objects.exists()


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_the_pages_show_the_year_and_quarter_they_show(agreement, personas, client_for):
    client = client_for(personas.cecilia)
    budget = client.get(reverse("budget")).content.decode()
    assert 'name="year" value="2026"' in budget
    # A year without a quarter: the fourth of a past year, this one of this year.
    for year, quarter in ((2024, 4), (2026, 4)):
        response = client.get(f"{reverse('budget-outcome')}?year={year}")
        page = response.content.decode()
        assert (response.context["year"], response.context["quarter"]) == (year, quarter)
        assert f'name="year" value="{year}"' in page
        assert f'<option value="{quarter}" selected>' in page
    page = client.get(f"{reverse('budget-outcome')}?year=2024&quarter=2").content.decode()
    assert '<option value="2" selected>' in page


@time_machine.travel("2026-11-23 10:00:00+01:00", tick=False)
def test_the_outcome_form_shows_amounts_in_the_language_and_reads_them_back(
    agreement, personas, client_for
):
    crm = _line(agreement, "Gemensamt CRM-system")
    client = client_for(personas.cecilia)
    url = f"{reverse('budget-outcome')}?year=2024&quarter=4"
    client.post(url, {f"line_{crm.pk}": "130950"})
    with translation.override("sv"):
        shown = amount(Decimal("130950"))
    assert f'value="{shown}"' in client.get(url).content.decode()
    assert "130950.00" not in client.get(url).content.decode()
    with translation.override("sv"):
        budgeted = amount(Decimal("540000"))
    line = client.get(reverse("budget-line", kwargs={"pk": crm.pk})).content.decode()
    assert f'value="{budgeted}"' in line
    # What the page shows reads back as the same amount.
    client.post(url, {f"line_{crm.pk}": shown})
    assert BudgetOutcome.objects.get(line=crm, quarter=4).amount == Decimal("130950")


@pytest.mark.parametrize(
    ("language", "written", "read"),
    [
        ("sv", "12 500,50", "12500.50"),
        ("sv", "12\xa0500", "12500"),
        ("sv", "12500.50", "12500.50"),
        ("en", "12,500.50", "12500.50"),
        ("en", "12,500", "12500"),
        ("en", "12500,50", "12500.50"),
        ("de", "1.000.000", "1000000"),
        ("de", "12.500,50", "12500.50"),
        ("nl", "130.950", "130950"),
    ],
)
def test_it_reads_an_amount_as_the_language_writes_it(language, written, read):
    with translation.override(language):
        assert AmountField().clean(written) == Decimal(read)
