"""Named people for tests, as in the architecture: Anna (guide, Östersund), Bengt (guide, Åre),
Cecilia (coordinator), Dan (communicator), Eva (viewer), Filip (network coordinator).

A test reads "Bengt cannot edit Anna's household": ask for the ``personas`` fixture
(talang/conftest.py) and use ``personas.anna``.
"""

from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from talang.accounts.demo import DEMO_REGION, region_data
from talang.accounts.models import Membership, Municipality, Region, Role, User
from talang.accounts.services import region_load

PASSWORD = "correct horse battery staple"

PERSONAS = {
    "anna": ("Anna Andersson", Role.GUIDE, "2380"),
    "bengt": ("Bengt Berg", Role.GUIDE, "2321"),
    "cecilia": ("Cecilia Carlsson", Role.COORDINATOR, None),
    "dan": ("Dan Dahl", Role.COMMUNICATOR, None),
    "eva": ("Eva Ek", Role.VIEWER, None),
    "filip": ("Filip Falk", Role.NETWORK_COORDINATOR, None),
}


@dataclass
class Personas:
    region: Region
    anna: User
    bengt: User
    cecilia: User
    dan: User
    eva: User
    filip: User

    def all(self) -> list[User]:
        return [getattr(self, name) for name in PERSONAS]


def make_user(
    email: str, full_name: str, role: str, municipality: Municipality | None, region: Region
) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=full_name)
    Membership.objects.create(user=user, region=region, role=role, municipality=municipality)
    return user


def make_personas() -> Personas:
    region = region_load(data=region_data(DEMO_REGION))
    users = {}
    for login, (full_name, role, code) in PERSONAS.items():
        municipality = Municipality.objects.get(code=code) if code else None
        users[login] = make_user(f"{login}@example.org", full_name, role, municipality, region)
    return Personas(region=region, **users)


def sign_in(client: Client, user: User) -> Client:
    """Sign ``user`` in with a confirmed second factor, as after the real sign-in steps."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "test authenticator"}
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def registered_household(response):
    """The household a 201 answer of the registration API went to (the answer names only the
    registration)."""
    from talang.intake.models import Submission

    return (
        Submission.objects.select_related("household")
        .get(reference=response.json()["reference"])
        .household
    )
