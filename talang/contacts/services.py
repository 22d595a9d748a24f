"""Writes to households and people: registration, duplicates, consents."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
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
from talang.contacts.search import search_text

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


# The details that reach a person: a registration that matches someone by one of them must
# not add the others to that person's record (see household_register).
CONTACT_FIELDS = ("email", "phone")
# What a registration can leave waiting for a guide to confirm: those, and the postal address.
POSTAL_ADDRESS = "postal_address"
UNCONFIRMED_FIELDS = (*CONTACT_FIELDS, POSTAL_ADDRESS)


@dataclass
class Registered:
    """What household_register did. ``unconfirmed``: the contact details the registration gave
    that were not put on the matched person's record (field → value; the postal address as a
    dict), for a guide to confirm with the person."""

    household: Household
    person: Person
    created: bool
    unconfirmed: dict = field(default_factory=dict)


# People read at once when looking for a duplicate; more only for a number many people share.
LOOKUP_LIMIT = 50


def person_find_by_contact(*, region: Region, email: str, phone: str) -> Person | None:
    """The person who already has this e-mail address or phone number (normalised), if any:
    the first with the address, else the first with the number. One query; the choice between
    the few people it finds is made here, which costs less than asking SQL to order them."""
    if not (email or phone):
        return None
    match = Q(email=email) if email else Q()
    if phone:
        match |= Q(phone=phone)
    in_region = Person.objects.filter(household__region=region).order_by("pk")
    people = list(in_region.filter(match)[:LOOKUP_LIMIT])
    by_email = [person for person in people if email and person.email == email]
    if email and phone and not by_email and len(people) == LOOKUP_LIMIT:
        # A number shared by many (a switchboard): the address may be further on.
        by_email = list(in_region.filter(email=email)[:1])
    return (by_email or people or [None])[0]


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


@transaction.atomic(savepoint=False)  # part of the caller's transaction when it has one
def household_register(
    *,
    region: Region,
    data: RegistrationData,
    language: str,
    channel: dict,
    registered_at: dt.datetime,
) -> Registered:
    """Create a household with its people, or attach to the one that already has this contact.

    An existing household only gets what it was missing; nothing a guide recorded is
    overwritten. Nor does it get contact details from the registration: anyone can send the
    public form with somebody else's phone number, and an e-mail address, number or postal
    address added that way would send that person's confirmation, data links, magazine or
    guide's call to the sender (docs/decisions/0005-duplicates.md). Details that differ from
    the record are returned as ``unconfirmed`` instead.
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
        protected = [*existing.guide_edited, *CONTACT_FIELDS]
        changed = _fill(existing, data.person, PERSON_FIELDS, protected)
        if changed:
            existing.save(update_fields=changed)
        unconfirmed = {
            name: data.person[name]
            for name in CONTACT_FIELDS
            if data.person.get(name) and data.person[name] != getattr(existing, name)
        }
        recorded = PostalAddress.objects.filter(person=existing).first()
        if data.postal_address and not same_address(recorded, data.postal_address):
            unconfirmed[POSTAL_ADDRESS] = data.postal_address
        household_search_refresh(household=household)
        return Registered(household, existing, created=False, unconfirmed=unconfirmed)

    household = Household(
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
    person = Person(
        household=household,
        role=PersonRole.MAIN,
        created_at=registered_at,
        **{name: data.person[name] for name in PERSON_FIELDS if data.person.get(name)},
    )
    adults = [person]
    if data.partner:
        adults.append(Person(household=household, role=PersonRole.PARTNER, **data.partner))
    children = [
        Person(
            household=household,
            role=PersonRole.CHILD,
            birth_year=child.get("birth_year"),
            age_band=child.get("age_band", ""),
        )
        for child in data.children
    ]
    # The search text from the people in hand, as household_search_refresh would read them
    # back: saved with the household instead of in a second write.
    household.search_text = search_text(reference=household.reference, people=adults + children)
    household.save(force_insert=True)
    household.municipalities.add(*data.municipalities)  # new: nothing to compare with
    for adult in adults:
        adult.save(force_insert=True)
    Person.objects.bulk_create(children)
    if data.postal_address:
        PostalAddress.objects.create(person=person, **data.postal_address)
    return Registered(household, person, created=True)


def household_search_refresh(*, household: Household) -> None:
    """Recompute the household's search text from its reference and its people."""
    household.search_text = search_text(
        reference=household.reference, people=Person.objects.filter(household=household)
    )
    household.save(update_fields=["search_text"])


def same_address(recorded: PostalAddress | None, address: dict) -> bool:
    """Whether the recorded postal address is ``address`` (case and spaces aside)."""
    if recorded is None:
        return False

    def plain(value) -> str:
        return " ".join(str(value or "").split()).casefold()

    return all(plain(getattr(recorded, name)) == plain(value) for name, value in address.items())


def address_line(address: dict | PostalAddress | None) -> str:
    """A postal address on one line, as the timeline shows it."""
    if address is None:
        return ""
    get = address.get if isinstance(address, dict) else lambda name: getattr(address, name)
    line = f"{get('street')}, {get('postal_code')} {get('city')}"
    return line if get("country") in (None, "", "SE") else f"{line}, {get('country')}"


def on_record(person: Person, name: str, value) -> bool:
    """Whether the person's record already holds this contact detail (see CONTACT_FIELDS)."""
    if name == POSTAL_ADDRESS:
        return same_address(getattr(person, POSTAL_ADDRESS, None), value)
    return getattr(person, name) == value


@transaction.atomic
def contact_detail_add(*, household: Household, person: Person, name: str, value, by) -> dict:
    """Put a contact detail on the person's record once a guide has confirmed it with them:
    one that a registration gave but household_register kept off the record. Returns the
    changes as household_update does."""
    # Locked first: an edit saved meanwhile cannot make this one a conflict.
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if name in CONTACT_FIELDS:
        return household_update(
            household=household,
            person=person,
            version=locked.version,
            household_data={},
            person_data={name: value},
            by=by,
        )
    recorded = PostalAddress.objects.filter(person=person).first()
    if same_address(recorded, value):
        return {}
    before = address_line(recorded)
    PostalAddress.objects.update_or_create(person=person, defaults=value)
    locked.version += 1
    locked.last_activity_at = timezone.now()
    locked.save(update_fields=["version", "last_activity_at"])
    household.version = locked.version
    return {"person.postal_address": [before, address_line(value)]}


def consent_text_current(*, purpose: str, language: str, version: int | None = None) -> ConsentText:
    """The consent text shown in ``language`` (Swedish if none), the given version or the latest."""
    texts = list(
        ConsentText.objects.filter(purpose=purpose, language__in={language, "sv"}).order_by(
            "-version"
        )
    )
    for code in (language, "sv"):
        candidates = [text for text in texts if text.language == code]
        chosen = [text for text in candidates if text.version == version]
        if chosen or candidates:
            return (chosen or candidates)[0]
    raise ConsentText.DoesNotExist(purpose)


def consent_give(*, person: Person, text: ConsentText, source: str, at=None) -> Consent:
    return Consent.objects.create(
        person=person, purpose=text.purpose, text=text, source=source, given_at=at or timezone.now()
    )


class HouseholdConflict(Exception):
    """The household changed since the form was opened; nothing was saved."""


@transaction.atomic
def household_update(
    *,
    household: Household,
    person: Person,
    version: int,
    household_data: dict,
    person_data: dict,
    by,
) -> dict:
    """Save a guide's edit of the household and its contact person, if no one else saved first.

    Returns the changes as field → [before, after]; fields a guide set are never overwritten
    by a later registration.
    """
    locked = Household.objects.select_for_update().get(pk=household.pk)
    if locked.version != version:
        raise HouseholdConflict
    changes = {}
    for name, value in household_data.items():
        if getattr(locked, name) != value:
            changes[name] = [str(getattr(locked, name) or ""), str(value or "")]
            setattr(locked, name, value)
    person = Person.objects.select_for_update().get(pk=person.pk, household=locked)
    edited = set(person.guide_edited)
    for name, value in person_data.items():
        if getattr(person, name) != value:
            changes[f"person.{name}"] = [str(getattr(person, name) or ""), str(value or "")]
            setattr(person, name, value)
            edited.add(name)
    if not changes:
        return changes
    person.guide_edited = sorted(edited)
    person.save()
    locked.version += 1
    locked.last_activity_at = timezone.now()
    locked.save()
    household_search_refresh(household=locked)
    household.version = locked.version
    return changes
