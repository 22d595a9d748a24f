"""POST /api/v1/registrations: the registration form as an API, with the same validation."""

import datetime as dt
from typing import Literal

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from talang.accounts.models import Region
from talang.api.auth import TooManyRequests, Unavailable
from talang.intake import abuse, altcha, services
from talang.intake.forms import RegistrationForm
from talang.intake.models import Submission
from talang.lib.clients import client_address

router = Router(tags=["registrations"])

Language = Literal["sv", "en", "de", "nl"]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ContactIn(Strict):
    first_name: str = Field(..., description="Any script; at most 100 characters.")
    last_name: str | None = None
    email: str | None = Field(None, description="E-mail and/or phone: at least one.")
    phone: str | None = Field(None, description="Swedish numbers as dialled; others with +.")
    preferred_channel: Literal["phone", "email"]
    occupation: str | None = None
    education: str | None = None
    skills: str | None = None
    languages: str | None = None
    work_situation: (
        Literal["job_offer", "job_seeking", "remote", "business", "studying", "retired"] | None
    ) = None


class ChildIn(Strict):
    birth_year: int | None = None
    age_band: Literal["0_5", "6_12", "13_17", "18_plus"] | None = None


class PartnerIn(Strict):
    first_name: str | None = None
    occupation: str | None = None
    job_wishes: str | None = None


class HouseholdIn(Strict):
    adults: int | None = Field(None, description="1–20, including the contact person.")
    children: list[ChildIn] | None = Field(None, max_length=20)
    partner: PartnerIn | None = None


class MoveIn(Strict):
    housing_need: Literal["rent", "buy", "build", "temporary", "arranged"] | None = None
    timeline: Literal["within_3_months", "3_12_months", "1_2_years", "exploring"] | None = None
    expected_date: dt.date | None = None
    relation: Literal["returner", "second_home", "seasonal", "student", "none"] | None = None
    origin_country: str | None = Field(None, description="ISO 3166-1 alpha-2, e.g. NL.")
    origin_county: str | None = Field(None, description="ISO 3166-2:SE, e.g. SE-AB.")
    origin_place: str | None = None
    citizenship: Literal["nordic", "eu_eea", "other"] | None = None
    permit_needed: Literal["yes", "no", "unknown"] | None = None


class MagazineIn(Strict):
    wanted: bool = True
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None


class ChannelIn(Strict):
    site: str | None = Field(None, description="The site that embedded or linked the form.")
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_content: str | None = None
    utm_term: str | None = None


class RegistrationIn(Strict):
    language: Language
    municipalities: list[str] = Field(
        ..., max_length=20, description="Official codes; [] = don't know yet."
    )
    consent_guidance: bool
    consent_version: int | None = None
    contact: ContactIn
    household: HouseholdIn | None = None
    move: MoveIn | None = None
    heard_from: str | None = None
    help_wanted: str | None = None
    newsletter: bool | None = None
    magazine: MagazineIn | None = None
    channel: ChannelIn | None = None
    altcha: str | None = Field(
        None,
        max_length=altcha.MAX_LENGTH,
        description="The solved proof-of-work challenge (ALTCHA payload, base64), when the "
        "service asks for one: see GET /api/v1/registrations/challenge.",
    )


class ChallengeOut(Schema):
    algorithm: str
    challenge: str
    maxNumber: int  # the ALTCHA widget's name
    salt: str
    signature: str


class RegisteredOut(Schema):
    """About this registration only: a registration that joins a household already known
    gets the same kind of answer, which says nothing about that household."""

    reference: str = Field(..., description="This registration's reference.")
    submission: str = Field(..., description="The same reference, as in the 202 answer.")
    first_response_due: dt.date = Field(
        ..., description="A guide contacts the person by this day (Stockholm time)."
    )
    municipality: str | None = Field(
        None, description="Code of the municipality whose guide answers; null: the region's."
    )


class AcceptedOut(Schema):
    submission: str
    detail: str


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


class DetailOut(Schema):
    detail: str


@router.post(
    "/registrations",
    response={
        201: RegisteredOut,
        202: AcceptedOut,
        400: ErrorsOut,
        413: DetailOut,
        503: DetailOut,
        429: DetailOut,
    },
    auth=None,
    summary="Register a household for relocation guidance",
)
def register(request: HttpRequest, payload: RegistrationIn):
    """The same validation as the public form. 201 when the household is registered; 202 when
    the submission is stored but could not be processed yet (it will be, by the worker)."""
    translation.activate(payload.language)
    client = services.client_hash(client_address(request))
    if wait := abuse.rate_limited(client):
        raise TooManyRequests(wait, translation.gettext("Too many registrations. Try again later."))
    # Validated as it will be stored: without what the database cannot keep.
    body = services.storable(payload.model_dump(mode="json", exclude_none=True))
    solution = body.pop(altcha.FIELD, None)
    flat, structural = services.api_payload_to_form(body)
    region = Region.objects.order_by("pk").first()
    form = RegistrationForm(data=services.form_data(flat), region=region)
    if structural or not form.is_valid():
        errors = {path: [translation.gettext("This value is not valid.")] for path in structural}
        for field, messages in form.errors.items():
            errors.setdefault(services.form_error_path(field), []).extend(messages)
        return Status(400, {"errors": errors})
    if altcha.enabled() and not altcha.verified(solution):
        message = translation.gettext(
            "Solve a new challenge from GET /api/v1/registrations/challenge and send its "
            "solution here."
        )
        return Status(400, {"errors": {altcha.FIELD: [message]}})
    channel = {"region": region.code, "form": "api", **(body.get("channel") or {})}
    try:
        submission = services.submission_store(
            source=Submission.Source.API,
            kind=Submission.Kind.GUIDANCE,
            language=payload.language,
            channel=channel,
            payload=body,
            client=client,
        )
    except DatabaseError:
        raise Unavailable(translation.gettext("Nothing was saved. Please try again.")) from None
    household = services.submission_process(submission=submission, form=form)
    if household is None:
        return Status(
            202,
            {
                "submission": submission.reference,
                "detail": translation.gettext("Received. It will be processed shortly."),
            },
        )
    answer = services.registration_answer(submission, form.municipalities_chosen())
    return Status(
        201,
        {
            "reference": submission.reference,
            "submission": submission.reference,
            "first_response_due": answer.due,
            "municipality": answer.municipality.code if answer.municipality else None,
        },
    )


@router.get(
    "/registrations/challenge",
    response={200: ChallengeOut, 404: DetailOut},
    auth=None,
    summary="A proof-of-work challenge for the next registration (ALTCHA)",
)
def registration_challenge(request: HttpRequest, response: HttpResponse):
    """When the service asks for proof of work, each registration carries the solution of a
    challenge from here (the ALTCHA widget's `challengeurl`). 404 when it does not ask."""
    response["Cache-Control"] = "no-store"  # each challenge counts once: never a shared copy
    if not altcha.enabled():
        return Status(404, {"detail": translation.gettext("Proof of work is not required.")})
    return Status(200, altcha.challenge())
