"""Writes to households and people: registration, duplicates, consents."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from talang.accounts.models import Municipality, Region
from talang.contacts.models import (
    Consent,
    ConsentText,
    Household,
    Person,
    PersonRole,
    PostalAddress,
)

HOUSEHOLD_FIELDS = [
    "origin_country",
    "origin_place",
    "relation",
    "timeline",
    "expected_date",
    "housing_need",
    "citizenship",
    "permit_needed",
    "heard_from",
    "help_wanted",
]
PERSON_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferred_channel",
    "occupation",
    "education",
    "skills",
    "languages",
    "work_situation",
]


@dataclass
class RegistrationData:
    """What a registration says about a household, already validated and normalised."""

    person: dict
    household: dict
    adults: int | None = None
    municipalities: list[Municipality] = field(default_factory=list)
    partner: dict = field(default_factory=dict)
    children: list[dict] = field(default_factory=list)
    postal_address: dict = field(default_factory=dict)


def person_find_by_contact(*, region: Region, email: str, phone: str) -> Person | None:
    """The person who already has this e-mail address or phone number (normalised), if any."""
    people = Person.objects.filter(household__region=region).select_related("household")
    if email:
        found = people.filter(email=email).order_by("pk").first()
        if found:
            return found
    if phone:
        return people.filter(phone=phone).order_by("pk").first()
    return None


def _fill(instance, values: dict, names: list[str], protected: list[str]) -> list[str]:
    """Set the fields that are empty; never touch what a guide recorded. Returns what changed."""
    changed = []
    for name in names:
        value = values.get(name)
        if value in (None, "", []) or name in protected:
            continue
        if getattr(instance, name) in (None, ""):
            setattr(instance, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def household_register(
    *,
    region: Region,
    data: RegistrationData,
    language: str,
    channel: dict,
    registered_at: dt.datetime,
) -> tuple[Household, Person, bool]:
    """Create a household with its people, or attach to the one that already has this contact.

    Returns (household, contact person, created). An existing household only gets what it
    was missing; nothing a guide recorded is overwritten.
    """
    existing = person_find_by_contact(
        region=region, email=data.person.get("email", ""), phone=data.person.get("phone", "")
    )
    if existing is not None:
        household = Household.objects.select_for_update().get(pk=existing.household_id)
        changed = _fill(household, data.household, HOUSEHOLD_FIELDS, [])
        if not household.municipalities.exists() and data.municipalities:
            household.municipalities.set(data.municipalities)
        household.last_activity_at = registered_at
        household.version += 1
        household.save(update_fields=[*changed, "last_activity_at", "version"])
        changed = _fill(existing, data.person, PERSON_FIELDS, existing.guide_edited)
        if changed:
            existing.save(update_fields=changed)
        _postal_address_fill(existing, data.postal_address)
        return household, existing, False

    household = Household.objects.create(
        region=region,
        language=language,
        adults=data.adults or 1 + (1 if data.partner else 0),
        registered_at=registered_at,
        last_activity_at=registered_at,
        channel_form=channel.get("form", "")[:32],
        channel_site=channel.get("site", "")[:200],
        utm_source=channel.get("utm_source", "")[:100],
        utm_medium=channel.get("utm_medium", "")[:100],
        utm_campaign=channel.get("utm_campaign", "")[:100],
        **{name: data.household[name] for name in HOUSEHOLD_FIELDS if data.household.get(name)},
    )
    household.municipalities.set(data.municipalities)
    person = Person.objects.create(
        household=household,
        role=PersonRole.MAIN,
        created_at=registered_at,
        **{name: data.person[name] for name in PERSON_FIELDS if data.person.get(name)},
    )
    if data.partner:
        Person.objects.create(household=household, role=PersonRole.PARTNER, **data.partner)
    Person.objects.bulk_create(
        Person(
            household=household,
            role=PersonRole.CHILD,
            birth_year=child.get("birth_year"),
            age_band=child.get("age_band", ""),
        )
        for child in data.children
    )
    _postal_address_fill(person, data.postal_address)
    return household, person, True


def _postal_address_fill(person: Person, address: dict) -> None:
    if address and not PostalAddress.objects.filter(person=person).exists():
        PostalAddress.objects.create(person=person, **address)


def consent_text_current(*, purpose: str, language: str, version: int | None = None) -> ConsentText:
    """The consent text shown in ``language`` (Swedish if none), the given version or the latest."""
    texts = ConsentText.objects.filter(purpose=purpose)
    for code in (language, "sv"):
        candidates = texts.filter(language=code)
        if version is not None and candidates.filter(version=version).exists():
            return candidates.get(version=version)
        latest = candidates.order_by("-version").first()
        if latest is not None:
            return latest
    raise ConsentText.DoesNotExist(purpose)


def consent_give(*, person: Person, text: ConsentText, source: str, at=None) -> Consent:
    return Consent.objects.create(
        person=person, purpose=text.purpose, text=text, source=source, given_at=at or timezone.now()
    )
