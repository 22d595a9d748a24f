"""The records of processing activities (GDPR article 30), described here once and combined
with the live configuration: the region as controller, its retention rule and the consent
texts published. Change the description here when Talang starts processing something new."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talang.accounts.models import Region, Role
from talang.contacts.models import ConsentPurpose, ConsentText
from talang.privacy import retention
from talang.privacy.models import RetentionRule

NO_TRANSFERS = _(
    "None. All data is stored and processed in Sweden; no transfer to a third country."
)

COMMON_SECURITY = (
    _("Staff sign in with a password and a second factor (TOTP); repeated failures lock out."),
    _("Each role sees only what it needs; viewers see statistics only, never a name."),
    _("Encrypted connections (HTTPS) only."),
    _("Every opening of a household's card is recorded in the access log."),
)


@dataclass(frozen=True)
class Purpose:
    key: str
    name: Promise
    legal_basis: Promise
    data_subjects: tuple[Promise, ...]
    personal_data: tuple[Promise, ...]
    recipients: tuple[Role, ...]
    # A fixed description; the guidance purpose's comes from the region's retention rule.
    retention: Promise | None
    consent_purposes: tuple[str, ...] = ()
    security: tuple[Promise, ...] = COMMON_SECURITY
    transfers: Promise = NO_TRANSFERS


PURPOSES = (
    Purpose(
        key="guidance",
        name=_("Relocation guidance"),
        legal_basis=_(
            "Consent (GDPR art. 6.1 a), given in the registration form and withdrawable at any "
            "time."
        ),
        data_subjects=(
            _("People who consider moving to the region, and the members of their household"),
        ),
        personal_data=(
            _("Name, e-mail address, phone number, postal address"),
            _("Household composition, children's birth years or age bands"),
            _("Occupation, education, skills, languages, work situation"),
            _("Where they come from, relation to the region, timeline, housing needs"),
            _("Notes, calls, meetings and e-mails of the guidance (the timeline)"),
            _("The submitted forms as received"),
        ),
        recipients=(Role.GUIDE, Role.COORDINATOR, Role.COMMUNICATOR),
        retention=None,
        consent_purposes=(ConsentPurpose.GUIDANCE,),
    ),
    Purpose(
        key="newsletter",
        name=_("Newsletter"),
        legal_basis=_("Consent (GDPR art. 6.1 a), confirmed by e-mail (double opt-in)."),
        data_subjects=(_("Subscribers of the newsletter"),),
        personal_data=(_("E-mail address, language, chosen topics"),),
        recipients=(Role.COMMUNICATOR, Role.COORDINATOR),
        retention=_(
            "Until the subscriber unsubscribes. A request not confirmed within 30 days, and an "
            "unsubscribed address, are deleted at the next approved retention review."
        ),
        consent_purposes=(ConsentPurpose.NEWSLETTER,),
    ),
    Purpose(
        key="magazine",
        name=_("The magazine"),
        legal_basis=_("Consent (GDPR art. 6.1 a): the person orders the magazine."),
        data_subjects=(_("People who order the magazine"),),
        personal_data=(_("Name and postal address, language, number of copies"),),
        recipients=(Role.COMMUNICATOR, Role.COORDINATOR),
        retention=_(
            "An order made with a registration is deleted with the household; an order made "
            "on its own at the first approved retention review after the retention rule's "
            "months, or earlier when the person asks for erasure."
        ),
        consent_purposes=(ConsentPurpose.MAGAZINE,),
    ),
    Purpose(
        key="statistics",
        name=_("Statistics and reports"),
        legal_basis=_(
            "No personal data: anonymous counts (date, municipality, kind, channel, origin, "
            "household size band) written when something happens, without any household id."
        ),
        data_subjects=(_("None (anonymous counts)"),),
        personal_data=(_("None"),),
        recipients=(Role.VIEWER, Role.COORDINATOR),
        retention=_(
            "Kept without limit; deleting households never changes them. Counts under 5 are "
            "hidden from viewers."
        ),
    ),
    Purpose(
        key="access_log",
        name=_("Access log"),
        legal_basis=_(
            "Legal obligation (GDPR art. 6.1 c, art. 32): accountability for access to "
            "personal data."
        ),
        data_subjects=(_("Staff who open a household's card"),),
        personal_data=(_("Which staff member opened which household reference, and when"),),
        recipients=(Role.COORDINATOR,),
        retention=_("Append-only; kept while Talang is in use."),
    ),
    Purpose(
        key="staff_accounts",
        name=_("Staff accounts"),
        legal_basis=_(
            "Public task and employment (GDPR art. 6.1 e): staff need an account to do their work."
        ),
        data_subjects=(_("Staff of the region and its municipalities"),),
        personal_data=(
            _("Name, work e-mail address, role, municipality, language"),
            _("Second-factor keys, API tokens, sign-in history and account changes"),
        ),
        recipients=(Role.COORDINATOR,),
        retention=_(
            "While the person works with Talang; a deactivated account is kept so that its "
            "actions stay attributable."
        ),
    ),
)


@dataclass
class ConsentVersion:
    version: int
    languages: list[str]
    published_at: object


@dataclass
class Record:
    purpose: Purpose
    recipients: list[str]
    retention: str
    consent_texts: list[ConsentVersion] = field(default_factory=list)


@dataclass
class Records:
    controller: str
    rule: RetentionRule
    records: list[Record]


def _guidance_retention(rule: RetentionRule) -> str:
    text = gettext(
        "Deleted, with everything about the household, after %(months)d months without "
        "activity, unless someone in the household has an active newsletter subscription. "
        "A coordinator approves every deletion; anonymous statistics are kept."
    ) % {"months": rule.inactive_months}
    if rule.decision_reference:
        text += " " + gettext("Retention decision: %(reference)s.") % {
            "reference": rule.decision_reference
        }
    else:
        text += " " + gettext("No retention decision has been recorded for the rule yet.")
    return text


def _consent_versions(purposes: tuple[str, ...]) -> list[ConsentVersion]:
    versions: dict[int, ConsentVersion] = {}
    texts = ConsentText.objects.filter(purpose__in=purposes).order_by("version", "language")
    for text in texts:
        entry = versions.setdefault(text.version, ConsentVersion(text.version, [], None))
        entry.languages.append(text.language)
        if entry.published_at is None or text.published_at < entry.published_at:
            entry.published_at = text.published_at
    return list(versions.values())


def records_of_processing(*, region: Region) -> Records:
    """Every purpose with its live details: the region as controller, the retention rule,
    the consent text versions published."""
    rule = retention.retention_rule_for(region=region)
    labels = dict(Role.choices)
    records = [
        Record(
            purpose=purpose,
            recipients=[str(labels[role]) for role in purpose.recipients],
            retention=str(purpose.retention) if purpose.retention else _guidance_retention(rule),
            consent_texts=_consent_versions(purpose.consent_purposes),
        )
        for purpose in PURPOSES
    ]
    return Records(controller=region.name, rule=rule, records=records)
