"""Households and the people in them, their consents and postal addresses."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Municipality, Region

# Crockford's alphabet: no I, L, O or U, so a reference read aloud is not misheard.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference(prefix: str = "H") -> str:
    return prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class MoveStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    IN_DIALOGUE = "in_dialogue", _("In dialogue")
    VISITING = "visiting", _("Visiting")
    MOVED = "moved", _("Moved")
    NOT_MOVING = "not_moving", _("Not moving")
    PAUSED = "paused", _("Paused")
    UNREACHABLE = "unreachable", _("Unreachable")


class Relation(models.TextChoices):
    RETURNER = "returner", _("Grew up or lived here before")
    SECOND_HOME = "second_home", _("Owns a second home here")
    SEASONAL = "seasonal", _("Seasonal worker")
    STUDENT = "student", _("Student")
    NONE = "none", _("No relation")


class Timeline(models.TextChoices):
    WITHIN_3_MONTHS = "within_3_months", _("Within 3 months")
    MONTHS_3_12 = "3_12_months", _("In 3–12 months")
    YEARS_1_2 = "1_2_years", _("In 1–2 years")
    EXPLORING = "exploring", _("Just exploring")


class HousingNeed(models.TextChoices):
    RENT = "rent", _("Rent")
    BUY = "buy", _("Buy")
    BUILD = "build", _("Build")
    TEMPORARY = "temporary", _("A temporary first home")
    ARRANGED = "arranged", _("Already arranged")


class CitizenshipCategory(models.TextChoices):
    NORDIC = "nordic", _("Nordic country")
    EU_EEA = "eu_eea", _("EU/EEA country")
    OTHER = "other", _("Other country")


class PermitNeed(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Don't know")


class Household(models.Model):
    reference = models.CharField(max_length=9, unique=True, default=new_reference, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="households")
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="interested_households"
    )
    status = models.CharField(max_length=16, choices=MoveStatus.choices, default=MoveStatus.NEW)
    language = models.CharField(max_length=8, default="sv")
    adults = models.PositiveSmallIntegerField(default=1)
    origin_country = models.CharField(max_length=2, blank=True)  # ISO 3166-1 alpha-2
    origin_place = models.CharField(max_length=100, blank=True)
    relation = models.CharField(max_length=16, choices=Relation.choices, blank=True)
    timeline = models.CharField(max_length=16, choices=Timeline.choices, blank=True)
    expected_date = models.DateField(null=True, blank=True)
    housing_need = models.CharField(max_length=16, choices=HousingNeed.choices, blank=True)
    citizenship = models.CharField(max_length=8, choices=CitizenshipCategory.choices, blank=True)
    permit_needed = models.CharField(max_length=8, choices=PermitNeed.choices, blank=True)
    heard_from = models.CharField(max_length=200, blank=True)
    help_wanted = models.TextField(max_length=4000, blank=True)
    # How the household came: the form (region or a municipality code, or "api"),
    # the site that embedded it, and the campaign parameters.
    channel_form = models.CharField(max_length=32, blank=True)
    channel_site = models.CharField(max_length=200, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Raised by every edit, so that two guides editing at once are told (optimistic lock).
    version = models.PositiveIntegerField(default=1)
    # Reference, names, e-mail addresses and phone digits, normalised for search
    # (talang/contacts/search.py); kept up to date by the services that change them.
    search_text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-registered_at"]
        # The search and the lists show the newest households first.
        indexes = [models.Index(fields=["-registered_at"], name="household_registered_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(adults__lte=20), name="household_adults_max"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def size(self) -> int:
        return self.adults + self.persons.filter(role=PersonRole.CHILD).count()


class PersonRole(models.TextChoices):
    MAIN = "main", _("Contact person")
    PARTNER = "partner", _("Accompanying partner")
    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child")


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")


class AgeBand(models.TextChoices):
    AGE_0_5 = "0_5", _("0–5 years")
    AGE_6_12 = "6_12", _("6–12 years")
    AGE_13_17 = "13_17", _("13–17 years")
    AGE_18_PLUS = "18_plus", _("18 years or older")


class WorkSituation(models.TextChoices):
    JOB_OFFER = "job_offer", _("Has a job offer in the region")
    JOB_SEEKING = "job_seeking", _("Looking for work")
    REMOTE = "remote", _("Works remotely")
    BUSINESS = "business", _("Starting or moving a business")
    STUDYING = "studying", _("Studying")
    RETIRED = "retired", _("Retired")


class Person(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(max_length=8, choices=PersonRole.choices, default=PersonRole.MAIN)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    # Lower-cased; matched exactly for duplicates.
    email = models.EmailField(max_length=254, blank=True, db_index=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)  # E.164
    preferred_channel = models.CharField(max_length=8, choices=ContactChannel.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)
    occupation = models.CharField(max_length=200, blank=True)
    education = models.CharField(max_length=200, blank=True)
    skills = models.TextField(max_length=2000, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    work_situation = models.CharField(max_length=16, choices=WorkSituation.choices, blank=True)
    job_wishes = models.TextField(max_length=2000, blank=True)
    # Fields a guide has set by hand; a later registration never overwrites them.
    guide_edited = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["household", "pk"]

    def __str__(self) -> str:
        return f"person {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ConsentPurpose(models.TextChoices):
    GUIDANCE = "guidance", _("Relocation guidance")
    NEWSLETTER = "newsletter", _("Newsletter")
    MAGAZINE = "magazine", _("The magazine")
    AMBASSADOR = "ambassador", _("Contact with an ambassador")
    SURVEY = "survey", _("Follow-up survey")


class ConsentText(models.Model):
    """The exact text a person is shown and agrees to; a new wording is a new version."""

    purpose = models.CharField(max_length=16, choices=ConsentPurpose.choices)
    version = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8)
    text = models.TextField()
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version", "language"], name="consent_text_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.version} ({self.language})"


class Consent(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=16, choices=ConsentPurpose.choices)
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=16, default="form")

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.purpose} {self.given_at:%Y-%m-%d}"


class PostalAddress(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="postal_address")
    street = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=16)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, default="SE")

    def __str__(self) -> str:
        return f"address {self.pk}"
