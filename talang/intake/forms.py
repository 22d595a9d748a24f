"""The public forms. One validator serves both the web form and the registration API:
the API's nested JSON is flattened onto these fields (see ``FIELD_PATHS``)."""

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Municipality, Region
from talang.contacts.models import (
    AgeBand,
    CitizenshipCategory,
    ContactChannel,
    HousingNeed,
    PermitNeed,
    Relation,
    Timeline,
    WorkSituation,
)
from talang.lib.countries import COUNTY_CODES, SWEDISH_COUNTIES, countries
from talang.lib.formfields import (
    EmailField,
    FixedChoiceField,
    PhoneField,
    TextField,
    blank,
    error_summary,
)

MAX_CHILDREN = 20
CHILD_ROWS_SHOWN = 4
MAX_COPIES = 20
MAX_ADULTS = 20


class PublicRenderer(DjangoTemplates):
    """The public forms' fields: the label above the field (a checkbox's beside it, after the
    box), without a colon, and "(required)" in words where the form marks required fields."""

    field_template_name = "intake/field.html"


# One renderer for every public form: it keeps its compiled templates.
PUBLIC_RENDERER = PublicRenderer()


class PublicForm(forms.Form):
    default_renderer = PUBLIC_RENDERER
    # Whether a required field says so in its label (where most fields are optional).
    mark_required = False

    def has_field_errors(self) -> bool:
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    def error_summary(self) -> list[tuple[str, str]]:
        return error_summary(self)


def _range_messages(message) -> dict:
    """The same clear message for a number out of range or not a number at all."""
    return {"invalid": message, "min_value": message, "max_value": message}


class CountryField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=self.language_choices, **kwargs)

    @staticmethod
    def language_choices():
        from django.utils.translation import get_language

        return blank(countries(get_language() or "sv"))


def birth_year_bounds() -> tuple[int, int]:
    this_year = timezone.localdate().year
    return this_year - 120, this_year


class BirthYearField(forms.IntegerField):
    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            # Not a number: the same message as a year out of range.
            raise ValidationError(self._range_message(), code="birth_year") from None

    def validate(self, value):
        super().validate(value)
        low, high = birth_year_bounds()
        if value is not None and not low <= value <= high:
            raise ValidationError(self._range_message(), code="birth_year")

    @staticmethod
    def _range_message() -> str:
        low, high = birth_year_bounds()
        return _("Enter a year between %(low)s and %(high)s.") % {"low": low, "high": high}


def _numbered(message, number: int) -> str:
    return message % {"number": number}


# Translated when shown, in the language of that request, not when the class is declared.
numbered = lazy(_numbered, str)


def child_fields(index: int) -> dict[str, forms.Field]:
    """The two fields of the ``index``th child row (counted from 1)."""
    return {
        f"child_{index}_birth_year": BirthYearField(
            label=numbered(_("Child %(number)s, year of birth"), index), required=False
        ),
        f"child_{index}_age_band": FixedChoiceField(
            label=numbered(_("Child %(number)s, age group"), index),
            required=False,
            choices=blank(AgeBand.choices),
        ),
    }


class RegistrationForm(PublicForm):
    """Registration for relocation guidance. The first part is required; the rest is optional.
    The fields are in the order of the page (``PAGE_ORDER``), which the error summary follows."""

    mark_required = True

    # The short first part.
    first_name = TextField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
        error_messages={"required": _("Enter your first name.")},
    )
    last_name = TextField(
        label=_("Last name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = EmailField(label=_("E-mail address"), required=False)
    phone = PhoneField(
        label=_("Phone number"),
        required=False,
        help_text=_("Swedish numbers as you dial them; others starting with +."),
    )
    preferred_channel = FixedChoiceField(
        label=_("How would you like us to contact you?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose phone or e-mail.")},
    )
    municipalities = forms.MultipleChoiceField(
        label=_("Which municipalities are you interested in?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose one or several. Leave empty if you don't know yet."),
    )
    consent_guidance = forms.BooleanField(
        label=_("I have read the privacy notice and want relocation guidance."),
        error_messages={
            "required": _(
                "Tick the box to accept the privacy notice and ask for relocation guidance."
            )
        },
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    # Optional: the household.
    adults = forms.IntegerField(
        label=_("Adults moving, including you"),
        required=False,
        min_value=1,
        max_value=MAX_ADULTS,
        error_messages=_range_messages(
            numbered(_("Enter a number from 1 to %(number)s."), MAX_ADULTS)
        ),
    )
    partner_first_name = TextField(label=_("Partner's first name"), max_length=100, required=False)
    partner_occupation = TextField(label=_("Partner's occupation"), max_length=200, required=False)
    partner_job_wishes = TextField(
        label=_("What work is your partner looking for?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Optional: about you.
    occupation = TextField(label=_("Occupation"), max_length=200, required=False)
    education = TextField(label=_("Education"), max_length=200, required=False)
    skills = TextField(
        label=_("Skills"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = TextField(label=_("Languages you speak"), max_length=200, required=False)
    work_situation = FixedChoiceField(
        label=_("Work situation"), required=False, choices=blank(WorkSituation.choices)
    )
    # Optional: the move.
    housing_need = FixedChoiceField(
        label=_("Housing"), required=False, choices=blank(HousingNeed.choices)
    )
    timeline = FixedChoiceField(
        label=_("When would you like to move?"), required=False, choices=blank(Timeline.choices)
    )
    expected_date = forms.DateField(
        label=_("Expected moving date, if you know it"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2027-06-01."),
    )
    relation = FixedChoiceField(
        label=_("Your relation to the region"), required=False, choices=blank(Relation.choices)
    )
    origin_country = CountryField(label=_("Country you live in now"), required=False)
    origin_county = FixedChoiceField(
        label=_("County, if you live in Sweden"), required=False, choices=blank(SWEDISH_COUNTIES)
    )
    origin_place = TextField(
        label=_("Town or city you live in now"), max_length=100, required=False
    )
    citizenship = FixedChoiceField(
        label=_("Your citizenship"), required=False, choices=blank(CitizenshipCategory.choices)
    )
    permit_needed = FixedChoiceField(
        label=_("Do you need a residence or work permit?"),
        required=False,
        choices=blank(PermitNeed.choices),
    )
    heard_from = TextField(label=_("How did you hear about us?"), max_length=200, required=False)
    help_wanted = TextField(
        label=_("What would you like help with?"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    # Optional: newsletter and magazine.
    newsletter = forms.BooleanField(
        label=_("Send me the newsletter"),
        required=False,
        help_text=_("We send an e-mail to confirm the address first."),
    )
    magazine = forms.BooleanField(label=_("Send me the printed magazine"), required=False)
    magazine_street = TextField(
        label=_("Street address"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    magazine_postal_code = TextField(
        label=_("Postal code"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    magazine_city = TextField(
        label=_("City"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    magazine_country = CountryField(label=_("Country"), required=False)

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        # The region's municipalities by name; processing takes the chosen ones from here.
        self.region_municipalities = list(
            Municipality.objects.filter(region=region).order_by("name")
        )
        self.fields["municipalities"].choices = [
            (m.code, m.name) for m in self.region_municipalities
        ]
        # The rows shown are declared with the class; the others only when the data name them,
        # after the rows before them, as on the page.
        extra = {}
        for index in range(CHILD_ROWS_SHOWN + 1, MAX_CHILDREN + 1):
            if self._child_row_needed(index):
                extra.update(child_fields(index))
        if extra:
            fields = list(self.fields.items())
            at = [name for name, _field in fields].index(LAST_CHILD_SHOWN) + 1
            self.fields = dict([*fields[:at], *extra.items(), *fields[at:]])

    def clean(self):
        data = super().clean()
        channel = data.get("preferred_channel")
        if (
            not data.get("email")
            and not data.get("phone")
            and not self.has_error("email")
            and not self.has_error("phone")
        ):
            self.add_error("email", _("Give an e-mail address or a phone number, or both."))
        elif (
            channel == ContactChannel.EMAIL
            and not data.get("email")
            and not self.has_error("email")
        ):
            self.add_error("email", _("You asked to be contacted by e-mail: give the address."))
        elif (
            channel == ContactChannel.PHONE
            and not data.get("phone")
            and not self.has_error("phone")
        ):
            self.add_error("phone", _("You asked to be contacted by phone: give the number."))
        if data.get("newsletter") and not data.get("email") and not self.has_error("email"):
            self.add_error("email", _("The newsletter needs an e-mail address."))
        if data.get("magazine"):
            for name in ("magazine_street", "magazine_postal_code", "magazine_city"):
                if not data.get(name) and not self.has_error(name):
                    self.add_error(name, _("The magazine needs a full postal address."))
        county = data.get("origin_county")
        if county and county in COUNTY_CODES and data.get("origin_country") not in ("", "SE"):
            self.add_error("origin_county", _("A county is only for addresses in Sweden."))
        expected = data.get("expected_date")
        if expected and not dt.date(2000, 1, 1) <= expected <= dt.date(2100, 12, 31):
            self.add_error("expected_date", _("Enter a date between 2000 and 2100."))
        return data

    def _child_row_needed(self, index: int) -> bool:
        """A row beyond those shown gets its fields only when the data name it. The others
        could only ever be empty, and building their 32 fields was most of the cost of every
        registration form (see `make bench`)."""
        names = (f"child_{index}_birth_year", f"child_{index}_age_band")
        return any(self.add_prefix(name) in self.data for name in names)

    def municipalities_chosen(self) -> list[Municipality]:
        """The chosen municipalities (after validation), in the order of their names."""
        codes = set(self.cleaned_data.get("municipalities") or [])
        return [m for m in self.region_municipalities if m.code in codes]

    def children(self) -> list[dict]:
        rows = []
        for index in range(1, MAX_CHILDREN + 1):
            year = self.cleaned_data.get(f"child_{index}_birth_year")
            band = self.cleaned_data.get(f"child_{index}_age_band")
            if year or band:
                rows.append({"birth_year": year, "age_band": band or ""})
        return rows

    def child_rows(self) -> list[tuple]:
        """The child fields to show: a few empty rows, and every row that holds something."""
        shown = []
        for index in range(1, MAX_CHILDREN + 1):
            if f"child_{index}_birth_year" not in self.fields:
                continue
            year, band = self[f"child_{index}_birth_year"], self[f"child_{index}_age_band"]
            if index <= CHILD_ROWS_SHOWN or year.value() or band.value():
                shown.append((index, year, band))
        return shown


for _index in range(1, CHILD_ROWS_SHOWN + 1):
    RegistrationForm.base_fields.update(child_fields(_index))
LAST_CHILD_SHOWN = f"child_{CHILD_ROWS_SHOWN}_age_band"
# The fields in the order of the page (intake/guidance_form.html).
PAGE_ORDER = [
    *("first_name", "last_name", "email", "phone", "preferred_channel", "municipalities"),
    *("consent_guidance", "consent_version", "adults"),
    *(name for index in range(1, CHILD_ROWS_SHOWN + 1) for name in child_fields(index)),
    *("partner_first_name", "partner_occupation", "partner_job_wishes"),
    *("work_situation", "occupation", "education", "skills", "languages"),
    *("timeline", "expected_date", "housing_need", "relation"),
    *("origin_country", "origin_county", "origin_place", "citizenship", "permit_needed"),
    *("help_wanted", "heard_from", "newsletter", "magazine"),
    *("magazine_street", "magazine_postal_code", "magazine_city", "magazine_country"),
]
assert sorted(PAGE_ORDER) == sorted(RegistrationForm.base_fields), "PAGE_ORDER is not complete"
RegistrationForm.base_fields = {name: RegistrationForm.base_fields[name] for name in PAGE_ORDER}


class MagazineOrderForm(PublicForm):
    name = TextField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    street = TextField(
        label=_("Street address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = TextField(
        label=_("Postal code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    city = TextField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    country = CountryField(label=_("Country"), initial="SE")
    language = forms.ChoiceField(
        label=_("Language of the magazine"), choices=[("sv", "Svenska"), ("en", "English")]
    )
    copies = forms.IntegerField(
        label=_("Number of copies"),
        min_value=1,
        max_value=MAX_COPIES,
        initial=1,
        error_messages=_range_messages(
            numbered(_("Enter a number from 1 to %(number)s."), MAX_COPIES)
        ),
    )


class NewsletterForm(PublicForm):
    email = EmailField(label=_("E-mail address"))
    topics = forms.MultipleChoiceField(
        label=_("What would you like to read about?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from talang.outreach.models import Topic

        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = Topic.choices


class SelfServiceLinkForm(PublicForm):
    """Ask for a new link to a household's own data: the address the link is sent to."""

    email = EmailField(
        label=_("E-mail address"),
        help_text=_("The address you registered with. The link is sent there."),
    )


class PreferencesForm(NewsletterForm):
    language = forms.ChoiceField(label=_("Language of the e-mails"))

    def __init__(self, *args, **kwargs):
        from talang.intake.languages import PUBLIC_LANGUAGES

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = PUBLIC_LANGUAGES
        del self.fields["email"]


# Where each field of RegistrationForm lives in the API's JSON body.
FIELD_PATHS = {
    "first_name": "contact.first_name",
    "last_name": "contact.last_name",
    "email": "contact.email",
    "phone": "contact.phone",
    "preferred_channel": "contact.preferred_channel",
    "occupation": "contact.occupation",
    "education": "contact.education",
    "skills": "contact.skills",
    "languages": "contact.languages",
    "work_situation": "contact.work_situation",
    "municipalities": "municipalities",
    "consent_guidance": "consent_guidance",
    "consent_version": "consent_version",
    "adults": "household.adults",
    "partner_first_name": "household.partner.first_name",
    "partner_occupation": "household.partner.occupation",
    "partner_job_wishes": "household.partner.job_wishes",
    "housing_need": "move.housing_need",
    "timeline": "move.timeline",
    "expected_date": "move.expected_date",
    "relation": "move.relation",
    "origin_country": "move.origin_country",
    "origin_county": "move.origin_county",
    "origin_place": "move.origin_place",
    "citizenship": "move.citizenship",
    "permit_needed": "move.permit_needed",
    "heard_from": "heard_from",
    "help_wanted": "help_wanted",
    "newsletter": "newsletter",
    "magazine": "magazine.wanted",
    "magazine_street": "magazine.street",
    "magazine_postal_code": "magazine.postal_code",
    "magazine_city": "magazine.city",
    "magazine_country": "magazine.country",
}
