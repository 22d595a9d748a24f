"""Households for guidance tests, registered the way the public form does it."""

import datetime as dt
import itertools

from django.utils import timezone

from talang.accounts.models import Municipality, Region
from talang.contacts import services as contacts
from talang.contacts.models import Household
from talang.guidance import services as guidance

_numbers = itertools.count(1)


def register(
    region: Region,
    *,
    municipality: str | None = "2380",
    first_name: str = "Åsa",
    last_name: str = "Öberg",
    email: str | None = None,
    phone: str = "",
    channel: str = "email",
    at: dt.datetime | None = None,
) -> Household:
    number = next(_numbers)
    at = at or timezone.now()
    municipalities = list(Municipality.objects.filter(code=municipality)) if municipality else []
    household = contacts.household_register(
        region=region,
        data=contacts.RegistrationData(
            person={
                "first_name": first_name,
                "last_name": last_name,
                "email": email if email is not None else f"person{number}@example.org",
                "phone": phone,
                "preferred_channel": channel,
            },
            household={},
            municipalities=municipalities,
        ),
        language="sv",
        channel={"form": "guidance:23"},
        registered_at=at,
    ).household
    guidance.case_open(household=household, municipalities=municipalities, opened_at=at)
    return household
