"""Every write to accounts, regions and tokens goes through one of these services."""

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talang.accounts.models import (
    ApiToken,
    Membership,
    Municipality,
    PopulationFigure,
    Region,
    Role,
    User,
    UserChange,
)
from talang.lib.emails import send_after_commit

TOKEN_PREFIX = "tlg_"


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "talang.accounts.invitation"

    @property
    def timeout(self) -> int:  # read at use, so tests can change the setting
        return settings.TALANG_INVITATION_DAYS * 24 * 3600


invitation_tokens = InvitationTokenGenerator()


def _check_role(*, role: str, municipality: Municipality | None, region: Region) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the roles in the list.")})
    if role == Role.GUIDE and municipality is None:
        raise ValidationError({"municipality": _("A guide belongs to a municipality.")})
    if municipality is not None and municipality.region_id != region.pk:
        raise ValidationError({"municipality": _("The municipality is not in this region.")})


def _record(user: User, action: str, *, by: User | None, via: str = "web", **details) -> None:
    UserChange.objects.create(user=user, actor=by, action=action, details=details, via=via)


def _role_details(membership: Membership | None) -> list:
    if membership is None:
        return [None, None]
    return [membership.role, membership.municipality.code if membership.municipality else None]


@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    role: str,
    municipality: Municipality | None,
    region: Region,
    by: User | None,
    language: str = "sv",
) -> User:
    """Create an account without a password and e-mail an invitation to choose one."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("There is already an account with this address.")})
    _check_role(role=role, municipality=municipality, region=region)
    user = User.objects.create_user(email, full_name=full_name.strip())
    Membership.objects.create(user=user, region=region, role=role, municipality=municipality)
    _record(
        user,
        UserChange.Action.INVITED,
        by=by,
        role=[None, role],
        municipality=[None, municipality.code if municipality else None],
    )
    invitation_send(user=user, language=language)
    return user


def invitation_path(*, user: User) -> str:
    """The link to choose a password, valid TALANG_INVITATION_DAYS days and once."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/invitation/{uid}/{invitation_tokens.make_token(user)}/"


def invitation_link(*, user: User) -> str:
    return settings.TALANG_BASE_URL + invitation_path(user=user)


def invitation_send(*, user: User, language: str) -> None:
    """E-mail ``user`` the link to choose a password."""
    send_after_commit(
        "invitation",
        user.email,
        {
            "full_name": user.full_name,
            "path": invitation_path(user=user),
            "days": settings.TALANG_INVITATION_DAYS,
        },
        language=language,
    )


@transaction.atomic
def user_change_role(
    *, user: User, role: str, municipality: Municipality | None, by: User | None, via: str = "web"
) -> None:
    membership = Membership.objects.select_for_update().select_related("region").get(user=user)
    _check_role(role=role, municipality=municipality, region=membership.region)
    before = _role_details(membership)
    membership.role = role
    membership.municipality = municipality
    membership.save(update_fields=["role", "municipality"])
    after = _role_details(membership)
    if before != after:
        _record(
            user,
            UserChange.Action.ROLE_CHANGED,
            by=by,
            via=via,
            role=[before[0], after[0]],
            municipality=[before[1], after[1]],
        )


@transaction.atomic
def user_set_active(*, user: User, active: bool, by: User | None, via: str = "web") -> None:
    """Deactivate or reactivate. A deactivated user's sessions and tokens stop working."""
    if by is not None and by.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = UserChange.Action.REACTIVATED if active else UserChange.Action.DEACTIVATED
    _record(user, action, by=by, via=via)


@transaction.atomic
def user_password_set(*, user: User, password: str, by: User | None = None) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    _record(user, UserChange.Action.PASSWORD_SET, by=by)


@dataclass
class CliResult:
    user: User
    created: bool
    token: str | None


@transaction.atomic
def user_upsert(
    *,
    email: str,
    role: str,
    region: Region,
    municipality: Municipality | None,
    full_name: str = "",
    password: str | None = None,
    api_token: bool = False,
) -> CliResult:
    """Create or update an account from the command line; optionally issue an API token."""
    email = User.objects.normalize_email(email).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    _check_role(role=role, municipality=municipality, region=region)
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(email, password, full_name=full_name or email)
        Membership.objects.create(user=user, region=region, role=role, municipality=municipality)
        _record(
            user,
            UserChange.Action.CREATED,
            by=None,
            via="cli",
            role=[None, role],
            municipality=[None, municipality.code if municipality else None],
        )
    else:
        if full_name and full_name != user.full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        if password:
            user_password_set(user=user, password=password)
        if not Membership.objects.filter(user=user).exists():
            Membership.objects.create(
                user=user, region=region, role=role, municipality=municipality
            )
            _record(
                user,
                UserChange.Action.ROLE_CHANGED,
                by=None,
                via="cli",
                role=[None, role],
                municipality=[None, municipality.code if municipality else None],
            )
        else:
            user_change_role(user=user, role=role, municipality=municipality, by=None, via="cli")
        user_set_active(user=user, active=True, by=None, via="cli")
    token = None
    if api_token:
        _token, token = api_token_create(user=user, name="command line", by=None, via="cli")
    return CliResult(user=user, created=created, token=token)


# The second factor ---------------------------------------------------------------


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is enrolling, made once and kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns fresh recovery codes, or None."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _record(user, UserChange.Action.SECOND_FACTOR_ENROLLED, by=user)
    return _recovery_codes_make(user)


def _recovery_code() -> str:
    digits = secrets.token_hex(5)
    return f"{digits[:5]}-{digits[5:]}"


def normalise_recovery_code(text: str) -> str:
    """Accept a recovery code typed with or without the dash, spaces or capitals."""
    digits = re.sub(r"[^0-9a-f]", "", text.lower())
    return f"{digits[:5]}-{digits[5:]}" if len(digits) == 10 else ""


def _recovery_codes_make(user: User) -> list[str]:
    static, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes", "confirmed": True}
    )
    static.token_set.all().delete()
    codes = [_recovery_code() for _i in range(settings.TALANG_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    codes = _recovery_codes_make(user)
    _record(user, UserChange.Action.RECOVERY_CODES_RENEWED, by=user)
    return codes


@transaction.atomic
def second_factor_reset(*, user: User, by: User | None, via: str = "web") -> None:
    """Forget a user's authenticator and recovery codes; they enrol again at next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _record(user, UserChange.Action.SECOND_FACTOR_RESET, by=by, via=via)


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# API tokens ---------------------------------------------------------------------


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, by: User | None, via: str = "web"
) -> tuple[ApiToken, str]:
    """Issue a token; the plain text is returned once and only its hash is stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100] or "token", prefix=raw[:10], digest=token_digest(raw)
    )
    _record(user, UserChange.Action.TOKEN_CREATED, by=by, via=via, token=[None, token.prefix])
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None, via: str = "web") -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _record(token.user, UserChange.Action.TOKEN_REVOKED, by=by, via=via, token=[token.prefix, None])


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind an unrevoked token, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user__membership")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write the last use at most once a minute, not on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# Regions -------------------------------------------------------------------------


@transaction.atomic
def region_load(*, data: dict) -> Region:
    """Create or update a region, its municipalities and population figures from a dict."""
    defaults = {"name": data["name"]}
    if "contact" in data:  # else whatever the region has stays
        contact = data["contact"] or {}
        defaults.update(
            contact_email=contact.get("email", ""), contact_phone=contact.get("phone", "")
        )
    region, _created = Region.objects.update_or_create(code=data["code"], defaults=defaults)
    for item in data["municipalities"]:
        municipality, _created = Municipality.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "region": region}
        )
        for figure in item.get("population", []):
            PopulationFigure.objects.update_or_create(
                municipality=municipality,
                reference_date=figure["reference_date"],
                defaults={"count": figure["count"], "source": figure["source"]},
            )
    return region


def user_language_set(*, user: User, language: str) -> None:
    """Remember the language a user chose on the language switch, for pages and e-mails."""
    if language not in settings.TALANG_STAFF_LANGUAGES:
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
