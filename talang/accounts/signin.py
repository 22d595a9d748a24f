"""The steps of signing in: password, then the second factor, kept in the session between."""

import hashlib
import hmac
import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import login, user_login_failed
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from talang.accounts.models import User
from talang.accounts.services import normalise_recovery_code

PENDING_KEY = "talang_signin_pending"
PENDING_SECONDS = 600


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """What django-axes counts failures against: a keyed hash, so no address is stored."""
    raw = (credentials or {}).get("username") or request.POST.get("email", "")
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, raw.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def credentials_for(email: str) -> dict:
    return {"username": email.strip().lower()}


def is_locked(request: HttpRequest, email: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials_for(email))


def pending_start(request: HttpRequest, user: User) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "at": int(time.time())}


def pending_user(request: HttpRequest) -> User | None:
    """The user who passed the password step in this session, for ten minutes."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending.get("user"), is_active=True).first()


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def second_factor_fail(request: HttpRequest, user: User) -> None:
    """Count a wrong code like a wrong password, so guessing codes also locks the account."""
    user_login_failed.send(
        sender=__name__, credentials=credentials_for(user.email), request=request
    )


def verify_code(user: User, code: str):
    """The device that accepts ``code`` (an authenticator code or a recovery code), or None.

    Each code works once: the authenticator refuses a code already used, and a
    recovery code is deleted when used.
    """
    code = "".join(code.split())
    if code.isdigit() and len(code) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        return None
    recovery = normalise_recovery_code(code)
    if recovery:
        for device in StaticDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(recovery):
                return device
    return None


def complete(request: HttpRequest, user: User, device=None) -> None:
    pending_clear(request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
