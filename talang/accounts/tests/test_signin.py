"""Signing in: password, enrolment of the authenticator, codes, recovery codes, lockout."""

import re
import time

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talang.accounts.models import UserChange
from talang.testing import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, at: float) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at
    return f"{totp.token():06d}"


def password_step(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"email": email, "password": password})


def enrol(client, user, at):
    password_step(client, user.email)
    client.get(reverse("login-enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("login-enrol"), {"code": code_for(device, at)})
    return device, response


def test_it_asks_a_new_user_to_enrol_and_shows_a_qr_code(personas, client):
    response = password_step(client, personas.anna.email)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login-enrol"))
    page = client.get(reverse("login-enrol")).content.decode()
    assert "<svg" in page
    assert 'id="manual-key"' in page
    assert SESSION_KEY not in client.session


@time_machine.travel("2026-11-23 09:00:00+01:00", tick=False)  # the session is read in it too
def test_it_signs_in_after_enrolment_and_shows_recovery_codes(personas, client):
    device, response = enrol(client, personas.anna, time.time())
    assert response.status_code == 200
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.content.decode())
    assert len(codes) == 10
    assert client.session[SESSION_KEY] == str(personas.anna.pk)
    device.refresh_from_db()
    assert device.confirmed
    assert UserChange.objects.filter(
        user=personas.anna, action=UserChange.Action.SECOND_FACTOR_ENROLLED
    ).exists()
    assert client.get(reverse("home")).status_code == 200


@time_machine.travel("2026-11-23 09:00:00+01:00", tick=False)
def test_it_refuses_a_wrong_enrolment_code(personas, client):
    password_step(client, personas.anna.email)
    client.get(reverse("login-enrol"))
    device = TOTPDevice.objects.get(user=personas.anna)
    wrong = f"{(int(code_for(device, time.time())) + 1) % 1000000:06d}"
    response = client.post(reverse("login-enrol"), {"code": wrong})
    assert response.status_code == 200
    assert "aria-invalid" in response.content.decode()
    assert SESSION_KEY not in client.session
    device.refresh_from_db()
    assert not device.confirmed


def _enrolled(client, user):
    password_step(client, user.email)
    client.get(reverse("login-enrol"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("login-enrol"), {"code": code_for(device, time.time())})
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.content.decode())
    client.post(reverse("logout"))
    return device, codes


def test_it_needs_the_code_at_every_sign_in_and_refuses_a_reused_one(personas, client):
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        device, _codes = _enrolled(client, personas.anna)
    with time_machine.travel("2026-11-23 09:05:00+01:00", tick=False):
        response = password_step(client, personas.anna.email)
        assert response["Location"].startswith(reverse("login-verify"))
        assert client.get(reverse("home")).status_code == 302
        code = code_for(device, time.time())
        response = client.post(reverse("login-verify"), {"code": code})
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200
        client.post(reverse("logout"))
        password_step(client, personas.anna.email)
        response = client.post(reverse("login-verify"), {"code": code})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert "aria-invalid" in response.content.decode()


def test_it_accepts_a_recovery_code_once(personas, client):
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        _device, codes = _enrolled(client, personas.anna)
    password_step(client, personas.anna.email)
    response = client.post(reverse("login-verify"), {"code": codes[0].upper().replace("-", " ")})
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=personas.anna).count() == 9
    client.post(reverse("logout"))
    password_step(client, personas.anna.email)
    response = client.post(reverse("login-verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_it_gives_the_same_answer_for_unknown_address_and_wrong_password(personas, client):
    wrong = password_step(client, personas.anna.email, "not the password").content.decode()
    unknown = password_step(client, "nobody@example.org", "not the password").content.decode()
    message = "The e-mail address or the password is wrong."
    assert message in wrong or "E-postadressen eller lösenordet är fel." in wrong
    strip = lambda html: re.sub(r'value="[^"]*"|name="csrfmiddlewaretoken"[^>]*', "", html)  # noqa: E731
    assert strip(wrong) == strip(unknown)


def test_it_refuses_a_deactivated_user_with_the_same_message(personas, client):
    personas.anna.is_active = False
    personas.anna.save(update_fields=["is_active"])
    response = password_step(client, personas.anna.email)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_it_locks_out_after_repeated_failures_with_a_translated_message(personas, client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        password_step(client, personas.anna.email, "wrong")
    response = password_step(client, personas.anna.email)  # even the right password
    assert response.status_code == 429
    assert "Försök igen om 15 minuter" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_it_counts_wrong_codes_towards_the_lockout(personas, client, settings):
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        _enrolled(client, personas.anna)
    password_step(client, personas.anna.email)
    statuses = [
        client.post(reverse("login-verify"), {"code": "000000"}).status_code
        for _attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429
    assert SESSION_KEY not in client.session


def test_it_forgets_a_half_finished_sign_in_after_ten_minutes(personas, client):
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        password_step(client, personas.anna.email)
    with time_machine.travel("2026-11-23 09:11:00+01:00", tick=False):
        response = client.get(reverse("login-enrol"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_it_does_not_redirect_to_another_site_after_sign_in(personas, client, settings):
    settings.TALANG_DEMO = True
    personas.anna.is_demo = True
    personas.anna.save(update_fields=["is_demo"])
    response = client.post(
        reverse("login"),
        {"email": personas.anna.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_it_signs_out_only_by_post(personas, client_for):
    client = client_for(personas.anna)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_it_expires_the_session_after_inactivity(personas, client_for, settings):
    client = client_for(personas.anna)
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert settings.SESSION_COOKIE_AGE - 60 < remaining <= settings.SESSION_COOKIE_AGE
