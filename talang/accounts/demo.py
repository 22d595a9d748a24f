"""The demo region: the real region and municipalities, and fictitious staff, clearly marked."""

import json
from pathlib import Path

from django.db import transaction

from talang.accounts.models import Membership, Municipality, Region, Role, User
from talang.accounts.services import region_load

REGIONS_DIR = Path(__file__).parent / "regions"
DEMO_REGION = "jamtland-harjedalen"
DEMO_PASSWORD = "talang-demo"
DEMO_DOMAIN = "demo.talang.example"

# The personas of the architecture; the same people as in talang/testing.py.
PERSONAS = [
    ("anna", "Anna Andersson (demo)", Role.GUIDE, "2380"),
    ("bengt", "Bengt Berg (demo)", Role.GUIDE, "2321"),
    ("cecilia", "Cecilia Carlsson (demo)", Role.COORDINATOR, None),
    ("dan", "Dan Dahl (demo)", Role.COMMUNICATOR, None),
    ("eva", "Eva Ek (demo)", Role.VIEWER, None),
    ("filip", "Filip Falk (demo)", Role.NETWORK_COORDINATOR, None),
]


def region_data(name: str) -> dict:
    path = REGIONS_DIR / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def demo_logins() -> list[tuple[str, str]]:
    """(e-mail, role) of each demo account, as printed by `make run`."""
    return [(f"{login}@{DEMO_DOMAIN}", Role(role).label) for login, _n, role, _c in PERSONAS]


@transaction.atomic
def demo_load() -> None:
    """Load the region and the demo staff; running it again changes nothing."""
    region = region_load(data=region_data(DEMO_REGION))
    # Fictitious: an address of the demo's domain and a number of the range the Swedish Post
    # and Telecom Authority keeps for fiction.
    Region.objects.filter(pk=region.pk).update(
        contact_email=f"flytta@{DEMO_DOMAIN}", contact_phone="+46701740605"
    )
    for login, full_name, role, code in PERSONAS:
        email = f"{login}@{DEMO_DOMAIN}"
        municipality = Municipality.objects.get(code=code) if code else None
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, is_demo=True)
        Membership.objects.update_or_create(
            user=user, defaults={"region": region, "role": role, "municipality": municipality}
        )


def demo_region() -> Region | None:
    return Region.objects.filter(code=region_data(DEMO_REGION)["code"]).first()
