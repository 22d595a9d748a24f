"""From a public post to a registered household: store first, then process, retry on failure."""

import datetime as dt
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from talang.accounts.models import Municipality, Region
from talang.contacts import services as contacts
from talang.contacts.models import ConsentPurpose, ConsentText, Household, Person
from talang.guidance import services as guidance
from talang.guidance.models import ActivityKind
from talang.intake.forms import FIELD_PATHS, MagazineOrderForm, NewsletterForm, RegistrationForm
from talang.intake.models import Submission
from talang.lib.emails import send_after_commit
from talang.lib.links import make_token, read_token
from talang.lib.validators import display_phone
from talang.lib.workdays import first_response_due
from talang.outreach import services as outreach
from talang.reporting.ledger import ledger_origin, stat_record
from talang.reporting.models import StatKind

logger = logging.getLogger(__name__)


class _ProcessedElsewhere(Exception):
    """Another process processed the submission first; this one's transaction is undone."""


class SubmissionInvalid(Exception):
    """A stored submission no longer passes validation (e.g. a municipality was removed)."""


def client_hash(address: str) -> str:
    """A salted hash of the client address: enough to limit abuse, useless to identify anyone."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(value):
    """``value`` without what PostgreSQL cannot keep in JSON or text, wherever it sits in it:
    U+0000 is dropped (the forms drop it anyway) and a lone surrogate, which only a JSON
    escape can spell, becomes U+FFFD, as undecodable bytes in a form post do."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value.replace("\x00", ""))
    if isinstance(value, list):
        return [storable(item) for item in value]
    if isinstance(value, dict):
        return {storable(key): storable(item) for key, item in value.items()}
    return value


@transaction.atomic
def submission_store(
    *,
    source: str,
    kind: str,
    language: str,
    channel: dict,
    payload: dict,
    client: str,
    received_at: dt.datetime | None = None,
) -> Submission:
    """Write the raw submission to the append-only log. Nothing else happens in this transaction."""
    return Submission.objects.create(
        received_at=received_at or timezone.now(),
        source=source,
        kind=kind,
        language=language,
        channel=storable(channel),
        payload=storable(payload),
        client_hash=client,
    )


@dataclass
class Prepared:
    """A submission validated, with what processing it reads, before its transaction starts:
    the transaction (on SQLite, the database's one write lock) then holds only the writes."""

    submission: Submission
    region: Region
    form: forms.Form  # valid
    consent: ConsentText | None = None  # guidance: the text the person agreed to


def submission_process(
    *, submission: Submission, form: forms.Form | None = None
) -> Household | None:
    """Process a stored submission once; on failure it is marked for the worker to retry.

    ``form``: the submission's form as the view that stored it has just validated it, from the
    same data, which spares validating it again. Returns the household for a guidance
    registration; raises nothing.
    """
    if submission.state == Submission.State.PROCESSED:
        return submission.household
    try:
        prepared = _prepare(submission, form)
        with transaction.atomic():
            household = PROCESSORS[submission.kind](prepared)
            processed_at = timezone.now()
            # Claimed at the end, in one statement: if another process (the worker's retry,
            # a replay) has processed it meanwhile, this one's work is rolled back. On
            # PostgreSQL the update waits for that other transaction to end, then finds the
            # row processed.
            claimed = (
                Submission.objects.filter(pk=submission.pk)
                .exclude(state=Submission.State.PROCESSED)
                .update(
                    state=Submission.State.PROCESSED,
                    processed_at=processed_at,
                    attempts=F("attempts") + 1,
                    household=household,
                    last_error="",
                )
            )
            if not claimed:
                raise _ProcessedElsewhere
    except _ProcessedElsewhere:
        submission.refresh_from_db()
        return submission.household
    except Exception as error:
        # The class name only: an exception message could quote personal data.
        logger.warning("submission %s failed: %s", submission.pk, type(error).__name__)
        Submission.objects.filter(pk=submission.pk).update(
            state=Submission.State.FAILED,
            attempts=F("attempts") + 1,
            last_error=type(error).__name__[:100],
        )
        submission.refresh_from_db()
        return None
    submission.state = Submission.State.PROCESSED
    submission.processed_at = processed_at
    submission.attempts += 1
    submission.household = household
    submission.last_error = ""
    return household


def submissions_unprocessed():
    return Submission.objects.exclude(state=Submission.State.PROCESSED).order_by("received_at")


# The worker stops retrying on its own after this many attempts; a coordinator can still replay.
MAX_AUTOMATIC_ATTEMPTS = 30


def submissions_replay(*, automatic: bool = False, progress=None) -> tuple[int, int]:
    """Process every unprocessed submission again; returns (processed, still failing).
    ``progress``: called with (submissions handled, submissions to handle) as it goes."""
    done = failed = 0
    pending = submissions_unprocessed()
    if automatic:
        pending = pending.filter(attempts__lt=MAX_AUTOMATIC_ATTEMPTS)
    total = pending.count() if progress else 0
    for submission in pending.iterator():
        submission_process(submission=submission)
        if submission.state == Submission.State.PROCESSED:
            done += 1
        else:
            failed += 1
        if progress and done + failed <= total:  # any that arrived after the count: no bar
            progress(done + failed, total)
    if progress and done + failed < total:  # fewer than counted: others processed some
        progress(total, total)
    return done, failed


def form_data(payload: dict) -> QueryDict:
    """A stored form payload (field → list of values) as the form's data."""
    data = QueryDict(mutable=True)
    for name, values in payload.items():
        data.setlist(name, values if isinstance(values, list) else [values])
    return data


def _region(submission: Submission) -> Region:
    code = submission.channel.get("region")
    return Region.objects.get(code=code) if code else Region.objects.get()


def _validated(form_class, submission: Submission, **kwargs):
    payload = submission.payload
    if submission.source == Submission.Source.API:
        payload, _errors = api_payload_to_form(payload)
    with translation.override(submission.language):
        form = form_class(data=form_data(payload), **kwargs)
        if not form.is_valid():
            raise SubmissionInvalid(",".join(sorted(form.errors)))
    return form


def _prepare(submission: Submission, form: forms.Form | None) -> Prepared:
    """Validate (unless ``form`` already is the valid form of this submission) and look up."""
    form_class = FORMS[submission.kind]
    if form is not None and (type(form) is not form_class or not form.is_valid()):
        form = None
    if form_class is RegistrationForm:
        region = form.region if form is not None else _region(submission)
        form = form or _validated(form_class, submission, region=region)
        consent = contacts.consent_text_current(
            purpose=ConsentPurpose.GUIDANCE,
            language=submission.language,
            version=form.cleaned_data.get("consent_version"),
        )
        return Prepared(submission=submission, region=region, form=form, consent=consent)
    region = _region(submission)
    return Prepared(
        submission=submission, region=region, form=form or _validated(form_class, submission)
    )


@dataclass(frozen=True)
class Answer:
    """What a person is told about their registration, on the thank-you page, in the API's
    answer and in the confirmation: a guide from ``municipality`` (None: the region) will
    contact them by ``due``. Read from the registration alone, never from a household it was
    attached to, so that it says nothing about anyone else's registration."""

    municipality: Municipality | None
    due: dt.date


def registration_answer(submission: Submission, chosen: list[Municipality] | None = None) -> Answer:
    """The answer to a guidance registration. ``chosen``: its municipalities when the caller
    has them validated; else they are read from the stored payload. The rule is case_open's:
    one municipality chosen → that one; none or several → the region."""
    if chosen is None:
        codes = submission.payload.get("municipalities") or []
        codes = {codes} if isinstance(codes, str) else set(codes)
        region_code = submission.channel.get("region", "")
        chosen = (
            list(Municipality.objects.filter(code__in=codes, region__code=region_code))
            if len(codes) == 1
            else []
        )
    return Answer(
        municipality=chosen[0] if len(chosen) == 1 else None,
        due=first_response_due(submission.received_at),
    )


def _process_guidance(prepared: Prepared) -> Household:
    submission, region, form = prepared.submission, prepared.region, prepared.form
    data = form.cleaned_data
    municipalities = form.municipalities_chosen()
    registration = contacts.RegistrationData(
        person={name: data.get(name) for name in contacts.PERSON_FIELDS},
        household={name: data.get(name) for name in contacts.HOUSEHOLD_FIELDS},
        adults=data.get("adults"),
        municipalities=municipalities,
        partner={
            key: value
            for key, value in {
                "first_name": data.get("partner_first_name"),
                "occupation": data.get("partner_occupation"),
                "job_wishes": data.get("partner_job_wishes"),
            }.items()
            if value
        },
        children=form.children(),
        postal_address={
            "street": data["magazine_street"],
            "postal_code": data["magazine_postal_code"],
            "city": data["magazine_city"],
            "country": data.get("magazine_country") or "SE",
        }
        if data.get("magazine")
        else {},
    )
    at = submission.received_at
    registered = contacts.household_register(
        region=region,
        data=registration,
        language=submission.language,
        channel=submission.channel,
        registered_at=at,
    )
    household, person, created = registered.household, registered.person, registered.created
    contacts.consent_give(person=person, text=prepared.consent, source=submission.source, at=at)
    # A new household has no case yet.
    case = None if created else guidance.case_open_for(household=household)
    if case is None and created:
        case = guidance.case_open(household=household, municipalities=municipalities, opened_at=at)
    guidance.activity_add(
        household=household,
        case=case,
        person=person,
        kind=ActivityKind.REGISTRATION,
        occurred_at=at,
        data={
            "submission": submission.reference,
            "form": submission.channel.get("form", ""),
            "first": created,
            # Given here but not put on the matched person's record: for a guide to confirm.
            **({"unconfirmed": registered.unconfirmed} if registered.unconfirmed else {}),
            # The ledger's origin, which the household alone does not keep (the county).
            "origin": ledger_origin(
                country=data.get("origin_country") or "", county=data.get("origin_county") or ""
            ),
        },
    )
    if created:
        stat_record(
            kind=StatKind.REGISTRATION,
            date=timezone.localdate(at),
            region_code=region.code,
            municipality_code=case.municipality.code if case.municipality else "",
            channel=submission.channel.get("form", ""),
            campaign=submission.channel.get("utm_campaign", ""),
            origin=ledger_origin(
                country=data.get("origin_country") or "", county=data.get("origin_county") or ""
            ),
            size=household.adults + len(registration.children),
        )
    if data.get("newsletter") and data.get("email"):
        outreach.subscription_request(
            region=region,
            email=data["email"],
            language=submission.language,
            topics=[],
            # Only the household's own address is tied to it.
            household=household if data["email"] == person.email else None,
        )
    if data.get("magazine"):
        outreach.magazine_order_create(
            region=region,
            household=household,
            language=submission.language,
            copies=1,
            # The name sent with the order: the record's could be someone else's.
            name=" ".join(filter(None, (data.get("first_name"), data.get("last_name")))),
            channel=submission.channel.get("form", ""),
            **{key: value for key, value in registration.postal_address.items()},
        )
    answer = registration_answer(submission, municipalities)
    if person.email:
        # The confirmation with the data link goes only to the address on the record (see
        # household_register).
        send_after_commit(
            "registration-confirmation",
            person.email,
            _confirmation_context(
                answer,
                region,
                first_name=person.first_name,
                channel=person.preferred_channel,
                household=household,
            ),
            language=submission.language,
        )
    if data.get("email") and data["email"] != person.email:
        # An address the record does not have: a receipt that names nothing of the household.
        send_after_commit(
            "registration-confirmation",
            data["email"],
            _confirmation_context(
                answer, region, first_name=data["first_name"], channel=data["preferred_channel"]
            ),
            language=submission.language,
        )
    return household


def _confirmation_context(
    answer: Answer, region: Region, *, first_name: str, channel: str, household=None
) -> dict:
    """The confirmation's context; without ``household``, no reference and no data link."""
    context = {
        "first_name": first_name,
        "municipality": answer.municipality.name if answer.municipality else "",
        "region": region.name,
        "channel": channel,
        "due": answer.due.isoformat(),
        "contact_email": region.contact_email,
        "contact_phone": display_phone(region.contact_phone) if region.contact_phone else "",
    }
    if household is not None:
        context.update(
            reference=household.reference,
            data_path=self_service_path(household),
            link_days=settings.TALANG_SELF_SERVICE_LINK_DAYS,
        )
    return context


def self_service_path(household: Household) -> str:
    """The household's signed link to its own data; it works TALANG_SELF_SERVICE_LINK_DAYS."""
    return reverse("my-data", kwargs={"token": make_token("household", household.reference)})


def self_service_reference(token: str) -> str | None:
    """The household reference of a self-service link, or None if altered or expired."""
    max_age = settings.TALANG_SELF_SERVICE_LINK_DAYS * 24 * 3600
    reference = read_token("household", token, max_age=max_age)
    return reference if isinstance(reference, str) else None


def self_service_links_send(*, email: str) -> int:
    """E-mail a new self-service link to ``email`` for each household where a person has this
    address (normalised). Returns how many were queued; the caller must not tell the visitor
    (that would say whether the address is registered)."""
    people = (
        Person.objects.filter(email=email)
        .select_related("household")
        .order_by("household_id", "pk")
    )
    sent = set()
    for person in people:
        household = person.household
        if household.pk in sent:
            continue
        sent.add(household.pk)
        send_after_commit(
            "my-data-link",
            email,
            {
                "first_name": person.first_name,
                "data_path": self_service_path(household),
                "link_days": settings.TALANG_SELF_SERVICE_LINK_DAYS,
                "region": household.region.name,
            },
            language=household.language or "sv",
        )
    return len(sent)


def _process_magazine(prepared: Prepared) -> None:
    outreach.magazine_order_create(
        region=prepared.region,
        channel=prepared.submission.channel.get("form", ""),
        **prepared.form.cleaned_data,
    )


def _process_newsletter(prepared: Prepared) -> None:
    data = prepared.form.cleaned_data
    outreach.subscription_request(
        region=prepared.region,
        email=data["email"],
        language=prepared.submission.language,
        topics=data["topics"],
    )


FORMS = {
    Submission.Kind.GUIDANCE: RegistrationForm,
    Submission.Kind.MAGAZINE: MagazineOrderForm,
    Submission.Kind.NEWSLETTER: NewsletterForm,
}
PROCESSORS = {
    Submission.Kind.GUIDANCE: _process_guidance,
    Submission.Kind.MAGAZINE: _process_magazine,
    Submission.Kind.NEWSLETTER: _process_newsletter,
}


def api_payload_to_form(body: dict) -> tuple[dict, dict]:
    """Flatten the API's JSON onto the form's fields. Returns (form payload, structural errors)."""
    flat: dict[str, list] = {}
    errors: dict[str, list[str]] = {}
    for name, path in FIELD_PATHS.items():
        value = body
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                flat[name] = ["on"]
        elif isinstance(value, list):
            flat[name] = [str(item) for item in value]
        elif isinstance(value, dict):
            errors.setdefault(path, []).append("object")
        else:
            flat[name] = [str(value)]
    children = (
        (body.get("household") or {}).get("children")
        if isinstance(body.get("household"), dict)
        else None
    )
    if isinstance(children, list):
        for index, child in enumerate(children, start=1):
            if not isinstance(child, dict):
                errors.setdefault(f"household.children.{index - 1}", []).append("object")
                continue
            if child.get("birth_year") is not None:
                flat[f"child_{index}_birth_year"] = [str(child["birth_year"])]
            if child.get("age_band"):
                flat[f"child_{index}_age_band"] = [str(child["age_band"])]
    return flat, errors


def form_error_path(field: str) -> str:
    if field.startswith("child_"):
        index, rest = field[len("child_") :].split("_", 1)
        return f"household.children.{int(index) - 1}.{rest}"
    return FIELD_PATHS.get(field, field if field != "__all__" else "body")


@transaction.atomic
def form_appearance_save(
    *, key: str, colour: str, logo: tuple[bytes, str] | None, remove_logo: bool, thank_you: dict
) -> None:
    from talang.intake.models import FormAppearance

    appearance, _created = FormAppearance.objects.get_or_create(key=key)
    appearance.colour = colour.lower()
    appearance.thank_you = thank_you
    if remove_logo:
        appearance.logo, appearance.logo_type = None, ""
    elif logo is not None:
        appearance.logo, appearance.logo_type = logo
    appearance.save()
