"""Operators' commands: talang_user, talang_demo, talang_region."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from talang.accounts.demo import demo_load
from talang.accounts.models import Municipality, PopulationFigure, Region, Role, User, UserChange

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def test_it_loads_the_demo_region_with_population_figures():
    demo_load()
    demo_load()  # twice changes nothing
    region = Region.objects.get()
    assert region.name == "Region Jämtland Härjedalen"
    codes = dict(Municipality.objects.values_list("name", "code"))
    assert codes == {
        "Berg": "2326",
        "Bräcke": "2305",
        "Härjedalen": "2361",
        "Krokom": "2309",
        "Ragunda": "2303",
        "Strömsund": "2313",
        "Åre": "2321",
        "Östersund": "2380",
    }
    figures = dict(PopulationFigure.objects.values_list("municipality__name", "count"))
    assert figures["Östersund"] == 64979
    assert sum(figures.values()) == 132839
    assert PopulationFigure.objects.filter(reference_date="2024-12-31").count() == 8
    demo = User.objects.filter(is_demo=True)
    assert demo.count() == 6
    assert set(demo.values_list("membership__role", flat=True)) == set(Role.values)
    assert all("(demo)" in name for name in demo.values_list("full_name", flat=True))


def test_it_adds_a_user_and_prints_a_token_the_api_accepts(client):
    demo_load()
    lines = run(
        "talang_user",
        "add",
        "Ops@Example.org",
        "--role",
        "guide",
        "--municipality",
        "2380",
        "--api-token",
    )
    token = lines[-1]
    assert token.startswith("tlg_")
    user = User.objects.get(email="ops@example.org")
    assert user.membership.municipality.code == "2380"
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json() == {"role": "guide", "region": "23", "municipality": "2380"}
    assert UserChange.objects.filter(user=user, via="cli").count() == 2


def test_it_updates_an_existing_user():
    demo_load()
    run("talang_user", "add", "ops@example.org", "--role", "guide", "--municipality", "2380")
    lines = run("talang_user", "add", "ops@example.org", "--role", "coordinator")
    assert lines[0].startswith("Updated")
    user = User.objects.get(email="ops@example.org")
    assert user.membership.role == "coordinator"
    assert user.membership.municipality is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--role", "guide", "--municipality", "2380"], "email:"),
        (["a@example.org", "--role", "guide"], "municipality:"),
        (["a@example.org", "--role", "guide", "--municipality", "9999"], "9999"),
    ],
)
def test_it_explains_bad_input(args, message):
    demo_load()
    with pytest.raises(CommandError) as error:
        run("talang_user", "add", *args)
    assert message in str(error.value).lower()
    assert not User.objects.filter(is_demo=False).exists()


def test_it_deactivates_and_lists():
    demo_load()
    run("talang_user", "deactivate", "anna@demo.talang.example")
    assert not User.objects.get(email="anna@demo.talang.example").is_active
    listing = "\n".join(run("talang_user", "list"))
    assert "anna@demo.talang.example" in listing
    assert "inactive" in listing


def test_it_loads_demo_accounts_only_in_a_demo(settings):
    settings.TALANG_DEMO = False
    with pytest.raises(CommandError, match="TALANG_DEMO"):
        run("talang_demo")
    assert not User.objects.exists()


def test_it_prints_the_demo_logins(settings):
    settings.TALANG_DEMO = True
    lines = run("talang_demo")
    assert "talang-demo" in lines[0]
    from talang.contacts.models import Household

    # Fictitious households, registered through the real intake path, once.
    assert Household.objects.count() == 24
    assert all(
        "(demo)" in p for p in Household.objects.values_list("persons__last_name", flat=True)
    )
    run("talang_demo")
    assert Household.objects.count() == 24
    assert any("cecilia@demo.talang.example" in line for line in lines)
