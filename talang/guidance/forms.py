from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Membership, Municipality, Role
from talang.contacts import services as contacts
from talang.contacts.models import (
    ContactChannel,
    HousingNeed,
    MoveStatus,
    Relation,
    Timeline,
)
from talang.guidance.models import ActivityKind, CallOutcome, MoveConfirmation
from talang.lib.formfields import EmailField, PhoneField, TextField, blank
from talang.lib.validators import display_phone

ENTRY_KINDS = [
    (ActivityKind.NOTE, _("Note")),
    (ActivityKind.CALL, _("Call")),
    (ActivityKind.MEETING, _("Meeting")),
    (ActivityKind.VISIT, _("Visit")),
]


class CardForm(forms.Form):
    """A form on the contact card: ids carry the form's name, since several share a page."""

    id_prefix = "card"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ActivityForm(CardForm):
    id_prefix = "activity"
    kind = forms.ChoiceField(label=_("What happened"), choices=ENTRY_KINDS, initial="note")
    outcome = forms.ChoiceField(
        label=_("Outcome of the call"),
        required=False,
        choices=blank(CallOutcome.choices),
        help_text=_("Only for a call."),
    )
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty if it was just now."),
    )
    body = TextField(
        label=_("Text"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ActivityKind.CALL and not data.get("outcome"):
            self.add_error("outcome", _("Say how the call went."))
        elif data.get("kind") != ActivityKind.CALL:
            # Only a call has an outcome; the field may still hold one chosen before the kind
            # was changed (or shown, without :has() support).
            data["outcome"] = ""
        if data.get("kind") == ActivityKind.NOTE and not data.get("body"):
            self.add_error("body", _("A note needs text."))
        when = data.get("occurred_at")
        if when and when > timezone.now() + timezone.timedelta(minutes=5):
            self.add_error("occurred_at", _("This cannot be in the future."))
        return data


class StatusForm(CardForm):
    id_prefix = "status"
    status = forms.ChoiceField(label=_("Move status"), choices=MoveStatus.choices)
    moved_on = forms.DateField(
        label=_("Moved on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    moved_to = forms.ModelChoiceField(
        label=_("Moved to"), required=False, queryset=Municipality.objects.none()
    )
    confirmed_by = forms.ChoiceField(
        label=_("Confirmed by"), required=False, choices=blank(MoveConfirmation.choices)
    )
    note = TextField(label=_("Note"), max_length=2000, required=False)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moved_to"].queryset = Municipality.objects.filter(region=region)

    def clean(self):
        data = super().clean()
        if data.get("status") == MoveStatus.MOVED:
            for name in ("moved_on", "moved_to", "confirmed_by"):
                if not data.get(name):
                    self.add_error(name, _("Needed when the household has moved."))
            if data.get("moved_on") and data["moved_on"] > timezone.localdate():
                self.add_error("moved_on", _("This cannot be in the future."))
        return data


class AssignForm(CardForm):
    id_prefix = "assign"
    guide = forms.ModelChoiceField(
        label=_("Guide"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guide"].queryset = (
            Membership.objects.filter(
                region=region, role__in=[Role.GUIDE, Role.COORDINATOR], user__is_active=True
            )
            .select_related("user", "municipality")
            .order_by("user__full_name")
        )
        self.fields["guide"].label_from_instance = lambda m: (
            f"{m.user.full_name} ({m.municipality or m.get_role_display()})"
        )


class HandOverForm(CardForm):
    id_prefix = "handover"
    municipality = forms.ModelChoiceField(
        label=_("To municipality"), queryset=Municipality.objects.none()
    )
    note = TextField(
        label=_("Note to the receiving guides"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region)


class FollowUpForm(CardForm):
    id_prefix = "follow_up"
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    note = TextField(label=_("What to do"), max_length=500)

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("This date has passed."))
        return due


class HouseholdForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    first_name = TextField(label=_("First name"), max_length=100)
    last_name = TextField(label=_("Last name"), max_length=100, required=False)
    email = EmailField(label=_("E-mail address"), required=False)
    phone = PhoneField(label=_("Phone number"), required=False)
    preferred_channel = forms.ChoiceField(
        label=_("Preferred contact"), choices=ContactChannel.choices
    )
    occupation = TextField(label=_("Occupation"), max_length=200, required=False)
    timeline = forms.ChoiceField(label=_("When"), required=False, choices=blank(Timeline.choices))
    housing_need = forms.ChoiceField(
        label=_("Housing"), required=False, choices=blank(HousingNeed.choices)
    )
    relation = forms.ChoiceField(
        label=_("Relation to the region"), required=False, choices=blank(Relation.choices)
    )
    origin_place = TextField(label=_("Lives in"), max_length=100, required=False)
    help_wanted = TextField(
        label=_("Needs help with"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    PERSON_FIELDS = ["first_name", "last_name", "email", "phone", "preferred_channel", "occupation"]
    HOUSEHOLD_FIELDS = ["timeline", "housing_need", "relation", "origin_place", "help_wanted"]

    @classmethod
    def initial_for(cls, household, person) -> dict:
        """The household's details as they are, the phone number as people write it."""
        return {
            "version": household.version,
            **{name: getattr(person, name) for name in cls.PERSON_FIELDS},
            **{name: getattr(household, name) for name in cls.HOUSEHOLD_FIELDS},
            "phone": display_phone(person.phone) if person.phone else "",
        }

    def update(self, *, household, person, by) -> dict:
        """Save the valid form through contacts.household_update (``by`` None: the household
        itself); returns the changes, raises contacts.HouseholdConflict."""
        data = self.cleaned_data
        return contacts.household_update(
            household=household,
            person=person,
            version=data["version"],
            by=by,
            household_data={name: data[name] for name in self.HOUSEHOLD_FIELDS},
            person_data={name: data[name] for name in self.PERSON_FIELDS},
        )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and not self.errors:
            self.add_error("email", _("Give an e-mail address or a phone number, or both."))
        return data


class EraseForm(CardForm):
    """The coordinator types the household's reference, so that no household is erased by a
    slip of the mouse."""

    id_prefix = "erase"
    confirm = forms.CharField(label=_("Type the household's reference to confirm"), max_length=20)

    def __init__(self, *args, reference: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip().upper()
        if typed != self.reference:
            raise forms.ValidationError(
                _("This is not the household's reference. Type %(reference)s to erase it."),
                params={"reference": self.reference},
            )
        return typed


class MoveReviewForm(forms.Form):
    """The filters of the move status review: where, and how long without an update."""

    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    months = forms.IntegerField(
        label=_("No update for at least (months)"),
        min_value=1,
        max_value=120,
        error_messages={
            "invalid": _("Enter a whole number of months from 1 to 120."),
            "min_value": _("Enter a whole number of months from 1 to 120."),
            "max_value": _("Enter a whole number of months from 1 to 120."),
            "required": _("Enter a whole number of months from 1 to 120."),
        },
    )

    def __init__(self, *args, region, everything: bool, **kwargs):
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)
        choices = [(m.code, m.name) for m in Municipality.objects.filter(region=region)]
        choices.append(("region", _("The region's queue")))
        if everything:
            choices.insert(0, ("", _("All municipalities")))
        self.fields["municipality"].choices = choices
        self.fields["municipality"].required = not everything
