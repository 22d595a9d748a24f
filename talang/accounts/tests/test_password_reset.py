import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from talang.accounts.models import UserChange

pytestmark = pytest.mark.django_db


def ask(client, email):
    return client.post(reverse("password-reset"), {"email": email})


def test_it_sends_a_link_without_saying_whether_the_address_exists(
    personas, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, personas.anna.email)
        unknown = ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password-reset-sent")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.anna.email]


def test_it_sets_a_new_password_through_the_link(
    personas, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, personas.anna.email)
    path = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "kort", "new_password2": "kort"})
    assert "new_password2" in response.context["form"].errors
    response = client.post(
        form_url, {"new_password1": "storsjöodjuret 1894", "new_password2": "storsjöodjuret 1894"}
    )
    assert response.status_code == 302
    personas.anna.refresh_from_db()
    assert personas.anna.check_password("storsjöodjuret 1894")
    assert UserChange.objects.filter(user=personas.anna, action="password_set").exists()


def test_it_explains_an_expired_link(personas, client, django_capture_on_commit_callbacks):
    with (
        time_machine.travel("2026-11-01 09:00:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        ask(client, personas.anna.email)
    path = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    with time_machine.travel("2026-11-03 09:00:00+01:00", tick=False):
        response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert reverse("password-reset") in response.content.decode()


def test_it_writes_the_email_in_the_language_of_the_page(
    personas, client, django_capture_on_commit_callbacks
):
    client.cookies["talang_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, personas.anna.email)
    assert "Choose a new password" in mail.outbox[0].subject
