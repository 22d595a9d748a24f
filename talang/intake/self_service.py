"""The household corrects its own details through its signed /my-data/ link (the right to
rectification): the contact person's name, contact details and preferred channel, and what the
move is about. A correction is recorded on the timeline as the household's own, like a guide's
edit, and is kept from being overwritten by a later registration."""

from django.utils.translation import gettext as _

from talang.contacts import services as contacts
from talang.contacts.models import Household
from talang.contacts.selectors import contact_person
from talang.guidance import services as guidance
from talang.guidance.forms import HouseholdForm


def correction_form(household: Household, data=None) -> HouseholdForm | None:
    """The form with the household's details as they are, or None without a contact person."""
    person = contact_person(household.persons.all())
    if person is None:
        return None
    initial = HouseholdForm.initial_for(household, person)
    return HouseholdForm(data, initial=initial, prefix="correct")


def correct(*, household: Household, form: HouseholdForm | None) -> str | None:
    """Save a valid correction; returns the message for the person, or None when the form has
    errors (on the form) or the record changed since the page was opened (a form error too)."""
    if form is None or not form.is_valid():
        return None
    try:
        changes = form.update(
            household=household, person=contact_person(household.persons.all()), by=None
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
