"""E-mail from and into the contact card.

Out: a guide writes on the card; the message goes through the one e-mail pipeline in the
household's language, replies go to the guide and the drop address, and the text is kept on
the timeline (where it meets the first response like any outgoing contact).

In: a message read from the drop mailbox (talang/guidance/mailbox.py) or uploaded as an .eml
file is kept once per Message-ID and put on the timeline of every household of the region
whose address it carries. One that matches nobody waits in the region's inbox until a guide
attaches it. Texts of messages are never logged.
"""

import datetime as dt
import email
import email.message
import email.policy
import email.utils
import hashlib
import html
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Region, User
from talang.contacts.models import Household, Person
from talang.guidance.models import (
    Activity,
    ActivityKind,
    GuidanceCase,
    InboundEmail,
    InboundState,
    RegionEmailTemplate,
)
from talang.guidance.services import activity_record, case_open_for
from talang.lib.emails import send_after_commit
from talang.lib.validators import clean_text

logger = logging.getLogger(__name__)

# The region's templates a guide starts from; texts in guidance/mail/<name>-*.txt.
TEMPLATES = {"first-contact": _("First contact"), "follow-up": _("Follow-up")}
MAX_SUBJECT_CHARS = 300
MAX_BODY_CHARS = 100_000
ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|vb|vs|wg|tr|doorst|rv)\s*:", re.IGNORECASE)
ATTRIBUTION = re.compile(r"(wrote|skrev|schrieb|schreef|écrit)\s*:\s*$", re.IGNORECASE)


class NotAnEmail(ValueError):
    """The bytes are not an e-mail message (an upload of some other file)."""


class AlreadyHandled(Exception):
    """Someone attached or dismissed the message first."""


# --- out ---------------------------------------------------------------------------------


def _place(household: Household, case: GuidanceCase | None, guide) -> str:
    membership = getattr(guide, "membership", None)
    municipality = getattr(membership, "municipality", None) or (case and case.municipality)
    return municipality.name if municipality else household.region.name


# What a region's own template may say in braces, e.g. "Hello {first_name},".
PLACEHOLDERS = {
    "first_name": _("the contact person's first name"),
    "guide": _("your name"),
    "place": _("your municipality (or the region)"),
    "region": _("the region's name"),
}
PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")


def placeholders_unknown(text: str) -> list[str]:
    """The placeholders in ``text`` that are not in PLACEHOLDERS, in order, once each."""
    return list(dict.fromkeys(m for m in PLACEHOLDER.findall(text) if m not in PLACEHOLDERS))


def _fill(text: str, values: dict[str, str]) -> str:
    filled = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
    return re.sub(r"[ \t]+([,.!?])", r"\1", filled)  # "Hello ," when there is no first name


def email_template_standard(*, name: str, language: str) -> tuple[str, str]:
    """Talang's standard subject and text of a template, with the placeholders in braces:
    what a coordinator starts from when giving the region its own wording."""
    context = {key: "{" + key + "}" for key in PLACEHOLDERS}
    with translation.override(language):
        subject = render_to_string(f"guidance/mail/{name}-subject.txt", context)
        body = render_to_string(f"guidance/mail/{name}-body.txt", context)
    return " ".join(subject.split()), body.strip()


def email_template_render(
    *, name: str, household: Household, case: GuidanceCase | None, person: Person | None, guide
) -> tuple[str, str]:
    """Subject and text of one of the region's templates, in the household's language: the
    region's own wording when a coordinator gave one, otherwise Talang's standard text."""
    if name not in TEMPLATES:
        raise ValueError(name)
    values = {
        "first_name": person.first_name if person else "",
        "guide": guide.full_name,
        "place": _place(household, case, guide),
        "region": household.region.name,
    }
    own = RegionEmailTemplate.objects.filter(
        region_id=household.region_id, name=name, language=household.language
    ).first()
    if own:
        return " ".join(_fill(own.subject, values).split()), _fill(own.body, values).strip()
    with translation.override(household.language):
        subject = render_to_string(f"guidance/mail/{name}-subject.txt", values)
        body = render_to_string(f"guidance/mail/{name}-body.txt", values)
    return " ".join(subject.split()), body.strip()


@transaction.atomic
def email_template_save(
    *, region: Region, name: str, language: str, subject: str, body: str, by
) -> RegionEmailTemplate:
    """Give the region its own wording of a template in one language (validated by the form:
    known name and language, known placeholders only)."""
    if name not in TEMPLATES or language not in dict(settings.LANGUAGES):
        raise ValueError("unknown template or language")
    template, _created = RegionEmailTemplate.objects.update_or_create(
        region=region,
        name=name,
        language=language,
        defaults={"subject": subject, "body": body, "updated_by": by, "updated_at": timezone.now()},
    )
    return template


@transaction.atomic
def email_template_reset(*, region: Region, name: str, language: str) -> None:
    """Go back to Talang's standard text for this template and language."""
    RegionEmailTemplate.objects.filter(region=region, name=name, language=language).delete()


@transaction.atomic
def email_compose_send(
    *,
    household: Household,
    case: GuidanceCase | None,
    person: Person,
    subject: str,
    body: str,
    by,
) -> Activity:
    """Send the guide's message to ``person`` after commit, in the household's language, with
    replies to the guide and the drop address; keep it on the timeline as an e-mail out."""
    if person.household_id != household.pk or not person.email:
        raise ValueError("the person has no e-mail address in this household")
    reply_to = [address for address in (by.email, settings.TALANG_DROP_ADDRESS) if address]
    send_after_commit(
        "guide-message",
        person.email,
        {
            "subject": subject,
            "body": body,
            "guide": by.full_name,
            "place": _place(household, case, by),
        },
        language=household.language,
        reply_to=reply_to,
    )
    return activity_record(
        household=household,
        case=case,
        kind=ActivityKind.EMAIL_OUT,
        author=by,
        body=body,
        person=person,
        data={"subject": subject, "to": person.email},
    )


# --- in ----------------------------------------------------------------------------------


@dataclass
class Parsed:
    message_id: str
    subject: str
    from_address: str
    header_addresses: set[str]  # From, To, Cc, Reply-To
    text_addresses: set[str]  # in the text and in attached messages (forwards)
    body: str
    sent_at: dt.datetime | None
    raw_size: int
    forwarded: bool
    # Whether the receiving server verified the sender; None when Talang is not told which
    # server's results to trust (TALANG_MAIL_AUTHSERV_ID).
    sender_verified: bool | None = None


@dataclass
class IngestResult:
    inbound: InboundEmail
    created: bool
    households: list[Household] = field(default_factory=list)


def _header_values(message, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name, [])]
    except Exception:  # a header the parser cannot read counts as absent
        return []


def _addresses(message, names=("From", "To", "Cc", "Reply-To")) -> list[str]:
    values = [value for name in names for value in _header_values(message, name)]
    found = []
    for _name, address in email.utils.getaddresses(values):
        address = address.strip().lower()
        if ADDRESS.fullmatch(address):
            found.append(address)
    return found


def _header(message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _text(message) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return ""
    try:
        text = part.get_content()
    except Exception:  # an unknown charset or a broken transfer encoding
        text = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return ""
    if part.get_content_type() == "text/html":
        text = html.unescape(strip_tags(text))
    return text


def _without_quote(text: str) -> str:
    """The reply without the quoted message under it ("On … wrote:" and "> " lines)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        rest = [other for other in lines[index + 1 :] if other.strip()]
        if ATTRIBUTION.search(line) and rest and all(other.startswith(">") for other in rest):
            return "\n".join(lines[:index]).rstrip()
    return text


def _sent_at(message) -> dt.datetime | None:
    try:
        header = message.get("Date")
        value = header.datetime if header is not None else None
    except Exception:
        return None
    if value is None:
        return None
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


def _message_id(message, raw_bytes: bytes) -> str:
    value = _header(message, "Message-ID").strip()
    if not value:
        return "sha256:" + hashlib.sha256(raw_bytes).hexdigest()
    if len(value) > 255:
        return "sha256:" + hashlib.sha256(value.encode()).hexdigest()
    return value


_COMMENT = re.compile(r"\([^()]*\)")


def _aligned(domain: str, other: str) -> bool:
    """``other`` is the sender's domain or one of its parents (relaxed alignment)."""
    other = other.rpartition("@")[2].strip().lower().rstrip(".")
    return bool(other) and (domain == other or domain.endswith("." + other))


def _results_pass(results: str, domain: str) -> bool:
    """Whether one Authentication-Results header's results verify ``domain``: DMARC passed
    for it, or DKIM or SPF passed for it or a parent domain."""
    for statement in _COMMENT.sub(" ", results).split(";"):
        tokens = statement.split()
        if not tokens or "=" not in tokens[0]:
            continue
        method, _, result = tokens[0].lower().partition("=")
        if result != "pass":
            continue
        properties = {
            key.lower(): value.strip('"')
            for key, _, value in (token.partition("=") for token in tokens[1:])
            if value
        }
        if method == "dmarc" and _aligned(domain, properties.get("header.from", domain)):
            return True
        if method == "dkim" and _aligned(domain, properties.get("header.d", "")):
            return True
        if method == "spf" and _aligned(domain, properties.get("smtp.mailfrom", "")):
            return True
    return False


def _sender_verified(message, from_address: str) -> bool | None:
    """Whether the server that received the message verified its From address, by the
    topmost Authentication-Results header that server wrote (RFC 8601); None when no server
    is trusted. A header lower down, or naming another server, can be written by anyone."""
    trusted = settings.TALANG_MAIL_AUTHSERV_ID
    if not trusted:
        return None
    domain = from_address.rpartition("@")[2]
    if not domain:
        return False
    for value in _header_values(message, "Authentication-Results"):
        authserv, _, results = value.partition(";")
        words = authserv.split()
        if words and words[0].lower() == trusted:
            return _results_pass(results, domain)
    return False


def email_parse(raw_bytes: bytes, *, strict: bool = False) -> Parsed:
    """Read a message with the standard library. ``strict`` (uploads): raise NotAnEmail for
    a file that is not an e-mail message; otherwise read whatever is there."""
    if strict and b"\x00" in raw_bytes[:8192]:
        raise NotAnEmail("binary file")
    message = email.message_from_bytes(raw_bytes, policy=email.policy.default)
    senders = _addresses(message, names=("From",))
    if strict:
        names = {name.lower() for name in message}
        if not senders or not names & {"date", "message-id", "to", "subject"}:
            raise NotAnEmail("no e-mail headers")
    subject = _header(message, "Subject")[:MAX_SUBJECT_CHARS]
    text = _text(message)
    attached = [
        part.get_content()
        for part in message.walk()
        if part.get_content_type() == "message/rfc822"
        and isinstance(part.get_content(), email.message.Message)
    ]
    text_addresses = set(ADDRESS.findall(text.lower()))
    for inner in attached:
        text_addresses.update(_addresses(inner))
    if not text.strip() and attached:
        text = _text(attached[0])
    body = clean_text(_without_quote(text.replace("\r\n", "\n")))[:MAX_BODY_CHARS]
    from_address = senders[0] if senders else ""
    return Parsed(
        message_id=_message_id(message, raw_bytes),
        subject=clean_text(subject),
        from_address=from_address,
        header_addresses=set(_addresses(message)),
        text_addresses=text_addresses,
        body=body,
        sent_at=_sent_at(message),
        raw_size=len(raw_bytes),
        forwarded=bool(attached) or bool(FORWARD_SUBJECT.match(subject)),
        sender_verified=_sender_verified(message, from_address),
    )


def _ours() -> set[str]:
    """Talang's own addresses: never a household's."""
    own = {email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()}
    return own | ({settings.TALANG_DROP_ADDRESS} if settings.TALANG_DROP_ADDRESS else set())


def _staff(addresses: set[str]) -> dict[str, User]:
    users = User.objects.filter(email__in=addresses, is_active=True, membership__isnull=False)
    return {user.email: user for user in users.select_related("membership")}


def _occurred_at(parsed_sent_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    # The time the message was written, never later than now (a clock ahead or a forgery).
    return min(parsed_sent_at, now) if parsed_sent_at else now


def _put_on_timeline(
    *, inbound: InboundEmail, household: Household, person: Person | None, author, now
) -> Activity:
    sender = _staff({inbound.from_address}).get(inbound.from_address) if inbound.outgoing else None
    return activity_record(
        household=household,
        case=case_open_for(household=household),
        kind=ActivityKind.EMAIL_OUT if sender else ActivityKind.EMAIL_IN,
        author=sender or author,
        body=inbound.body,
        occurred_at=_occurred_at(inbound.sent_at, now),
        person=person,
        data={"subject": inbound.subject, "from": inbound.from_address, "inbound": inbound.pk},
    )


def _sole_region() -> Region | None:
    regions = list(Region.objects.all()[:2])
    return regions[0] if len(regions) == 1 else None


@transaction.atomic
def email_ingest(*, raw_bytes: bytes, source: str) -> IngestResult:
    """Keep an incoming message once (by Message-ID) and put it on the timeline of every
    household whose contact address is among its senders and recipients; a message a guide
    forwarded is also matched by the addresses in its text. A guide's own message (the drop
    address in Bcc) is an e-mail out by that guide. No match: it waits in the region's inbox."""
    parsed = email_parse(raw_bytes)
    now = timezone.now()
    existing = InboundEmail.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return IngestResult(inbound=existing, created=False)
    addresses = parsed.header_addresses - _ours()
    staff = _staff(addresses | parsed.text_addresses)
    # A sender the receiving server could not verify may be anyone: the message is neither
    # a guide's own nor put on a card by itself; it waits in the inbox for a guide.
    verified = parsed.sender_verified is not False
    sender = staff.get(parsed.from_address) if verified else None
    candidates = addresses - set(staff)
    if sender is not None and parsed.forwarded:
        candidates |= parsed.text_addresses - set(staff) - _ours()
    regions = {user.membership.region_id for user in staff.values()}
    persons = Person.objects.filter(email__in=candidates).select_related("household__region")
    if regions:
        persons = persons.filter(household__region_id__in=regions)
    by_household: dict[int, Person] = {}
    for person in persons.order_by("household_id", "pk") if verified else []:
        by_household.setdefault(person.household_id, person)
    matched = [person.household for person in by_household.values()]
    # Unmatched: the inbox of the region of the guide who sent, forwarded or received it.
    guide = sender or next(iter(staff.values()), None)
    region = matched[0].region if matched else (guide.membership.region if guide else None)
    inbound, created = InboundEmail.objects.get_or_create(
        message_id=parsed.message_id,
        defaults={
            "region": region or _sole_region(),
            "household": matched[0] if matched else None,
            "state": InboundState.MATCHED if matched else InboundState.UNMATCHED,
            "source": source,
            "received_at": now,
            "sent_at": parsed.sent_at,
            "subject": parsed.subject,
            "from_address": parsed.from_address,
            "body": parsed.body,
            "raw_size": parsed.raw_size,
            "outgoing": sender is not None and not parsed.forwarded,
            "sender_verified": parsed.sender_verified,
        },
    )
    if not created:  # another worker stored it a moment ago
        return IngestResult(inbound=inbound, created=False)
    for person in by_household.values():
        _put_on_timeline(
            inbound=inbound,
            household=person.household,
            person=person,
            author=sender if parsed.forwarded else None,
            now=now,
        )
    logger.info("inbound e-mail %s from %s: %d households", inbound.pk, source, len(matched))
    return IngestResult(inbound=inbound, created=True, households=matched)


@transaction.atomic
def email_upload(*, raw_bytes: bytes, household: Household, by) -> tuple[InboundEmail, bool]:
    """Put an uploaded .eml file on this household's timeline (once); NotAnEmail if the file
    is not an e-mail message. Returns the message and whether it was added now."""
    parsed = email_parse(raw_bytes, strict=True)
    now = timezone.now()
    sender = _staff({parsed.from_address}).get(parsed.from_address)
    inbound, created = InboundEmail.objects.get_or_create(
        message_id=parsed.message_id,
        defaults={
            "region": household.region,
            "household": household,
            "state": InboundState.ATTACHED,
            "source": "upload",
            "received_at": now,
            "sent_at": parsed.sent_at,
            "subject": parsed.subject,
            "from_address": parsed.from_address,
            "body": parsed.body,
            "raw_size": parsed.raw_size,
            "outgoing": sender is not None and not parsed.forwarded,
            "handled_by": by,
            "handled_at": now,
        },
    )
    if not created:
        inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
        on_card = Activity.objects.filter(
            household=household,
            kind__in=(ActivityKind.EMAIL_IN, ActivityKind.EMAIL_OUT),
            data__inbound=inbound.pk,
        ).exists()
        if on_card:
            return inbound, False
        if inbound.state in (InboundState.UNMATCHED, InboundState.DISMISSED):
            _mark_attached(inbound, household, by, now, parsed=parsed)
    person = Person.objects.filter(
        household=household, email__in=parsed.header_addresses | parsed.text_addresses
    ).first()
    _put_on_timeline(inbound=inbound, household=household, person=person, author=by, now=now)
    logger.info("inbound e-mail %s uploaded", inbound.pk)
    return inbound, True


def _mark_attached(inbound: InboundEmail, household: Household, by, now, parsed=None) -> None:
    inbound.state = InboundState.ATTACHED
    inbound.household = household
    inbound.handled_by, inbound.handled_at = by, now
    fields = ["state", "household", "handled_by", "handled_at"]
    if parsed is not None and not inbound.body:  # a dismissed message had its text removed
        inbound.subject, inbound.body, inbound.from_address = (
            parsed.subject,
            parsed.body,
            parsed.from_address,
        )
        fields += ["subject", "body", "from_address"]
    inbound.save(update_fields=fields)


@transaction.atomic
def email_attach(*, inbound: InboundEmail, household: Household, by) -> Activity:
    """Attach a message from the inbox to a household's timeline (AlreadyHandled if another
    guide was first)."""
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.state != InboundState.UNMATCHED:
        raise AlreadyHandled
    now = timezone.now()
    _mark_attached(inbound, household, by, now)
    person = Person.objects.filter(household=household, email=inbound.from_address).first()
    return _put_on_timeline(inbound=inbound, household=household, person=person, author=by, now=now)


@transaction.atomic
def email_dismiss(*, inbound: InboundEmail, by) -> None:
    """Take a message that concerns no household out of the inbox, and delete its text
    (only the Message-ID stays, so that it is not read in again)."""
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.state != InboundState.UNMATCHED:
        raise AlreadyHandled
    inbound.state = InboundState.DISMISSED
    inbound.subject, inbound.body, inbound.from_address = "", "", ""
    inbound.handled_by, inbound.handled_at = by, timezone.now()
    inbound.save(
        update_fields=["state", "subject", "body", "from_address", "handled_by", "handled_at"]
    )
