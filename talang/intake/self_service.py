"""The household corrects its own details through its signed /my-data/ link (the right to
rectification): the contact person's name, contact details and preferred channel, and what the
move is about. A correction is recorded on the timeline as the household's own, like a guide's
edit, and is kept from being overwritten by a later registration."""

from django.utils.translation import gettext as _

from talang.contacts import services as contacts
from talang.contacts.models import Household, PersonRole
from talang.guidance import services as guidance
from talang.guidance.forms import HouseholdForm
from talang.lib.validators import display_phone


def _contact(household: Household):
    people = list(household.persons.all())
    return next((p for p in people if p.role == PersonRole.MAIN), people[0] if people else None)


def correction_form(household: Household, data=None) -> HouseholdForm | None:
    """The form with the household's details as they are, or None without a contact person."""
    person = _contact(household)
    if person is None:
        return None
    initial = {
        "version": household.version,
        **{name: getattr(person, name) for name in HouseholdForm.PERSON_FIELDS},
        "phone": display_phone(person.phone) if person.phone else "",
        **{name: getattr(household, name) for name in HouseholdForm.HOUSEHOLD_FIELDS},
    }
    return HouseholdForm(data, initial=initial, prefix="correct")


def correct(*, household: Household, form: HouseholdForm | None) -> str | None:
    """Save a valid correction; returns the message for the person, or None when the form has
    errors (on the form) or the record changed since the page was opened (a form error too)."""
    if form is None or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        changes = contacts.household_update(
            household=household,
            person=_contact(household),
            version=data["version"],
            by=None,
            household_data={name: data[name] for name in HouseholdForm.HOUSEHOLD_FIELDS},
            person_data={name: data[name] for name in HouseholdForm.PERSON_FIELDS},
        )
    except contacts.HouseholdConflict:
        form.add_error(
            None,
            _(
                "Your details were changed while you had this page open. Open the page again "
                "to see them; nothing you sent was saved."
            ),
        )
        return None
    if not changes:
        return _("Nothing was changed.")
    guidance.details_changed(
        household=household,
        case=guidance.case_open_for(household=household),
        changes=changes,
        by=None,
    )
    return _("Thank you. Your details are corrected, and your guide sees the change.")
