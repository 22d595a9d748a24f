"""A coordinator invites, changes and deactivates users; every change is recorded."""

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from talang.accounts.models import Municipality, Role, User, UserChange
from talang.testing import PASSWORD

pytestmark = pytest.mark.django_db


def invite(client, **overrides):
    data = {
        "full_name": "Greta Gran",
        "email": "Greta@Example.org",
        "role": Role.GUIDE,
        "municipality": Municipality.objects.get(code="2326").pk,
    }
    data.update(overrides)
    return client.post(reverse("user-invite"), data)


def link_in(message) -> str:
    return re.search(r"http://testserver(/accounts/invitation/\S+/)", message.body).group(1)


def test_it_invites_a_user_by_email(personas, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(personas.cecilia))
    greta = User.objects.get(email="greta@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("user", kwargs={"pk": greta.pk})
    assert greta.membership.role == Role.GUIDE
    assert greta.membership.municipality.code == "2326"
    assert not greta.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["greta@example.org"]
    assert "Greta" not in mail.outbox[0].subject
    change = UserChange.objects.get(user=greta)
    assert change.action == UserChange.Action.INVITED
    assert change.actor == personas.cecilia


def test_it_lets_the_invited_user_choose_a_password(
    personas, client_for, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(personas.cecilia))
    response = client.get(link_in(mail.outbox[0]), follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "fjällbjörk i snö", "new_password2": "fjällbjörk i snö"},
    )
    assert response["Location"] == reverse("password-reset-done")
    greta = User.objects.get(email="greta@example.org")
    assert greta.check_password("fjällbjörk i snö")
    assert UserChange.objects.filter(user=greta, action=UserChange.Action.PASSWORD_SET).exists()
    # The link worked once.
    assert client.get(link_in(mail.outbox[0]), follow=True).context["validlink"] is False


def test_it_refuses_an_expired_invitation(
    personas, client_for, client, settings, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel("2026-11-01 09:00:00+01:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        invite(client_for(personas.cecilia))
    with time_machine.travel("2026-11-20 09:00:00+01:00", tick=False):
        response = client.get(link_in(mail.outbox[0]), follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is False


def test_it_names_the_field_of_bad_input(personas, client_for):
    client = client_for(personas.cecilia)
    response = invite(client, email="not an address", municipality="")
    assert response.status_code == 200
    form = response.context["form"]
    assert "email" in form.errors
    response = invite(client, municipality="")
    assert "municipality" in response.context["form"].errors
    response = invite(client, email=personas.anna.email.upper())
    assert "email" in response.context["form"].errors
    response = invite(client, role="king")
    assert "role" in response.context["form"].errors
    assert not User.objects.filter(full_name="Greta Gran").exists()


def test_it_changes_role_and_records_it(personas, client_for):
    client = client_for(personas.cecilia)
    url = reverse("user", kwargs={"pk": personas.anna.pk})
    response = client.post(url, {"role": Role.COMMUNICATOR, "municipality": ""})
    assert response.status_code == 302
    personas.anna.refresh_from_db()
    assert personas.anna.membership.role == Role.COMMUNICATOR
    change = UserChange.objects.get(user=personas.anna, action=UserChange.Action.ROLE_CHANGED)
    assert change.details == {"role": ["guide", "communicator"], "municipality": ["2380", None]}
    assert change.actor == personas.cecilia
    page = client.get(url).content.decode()
    assert "Cecilia Carlsson" in page


def test_it_deactivates_and_reactivates(personas, client_for):
    client = client_for(personas.cecilia)
    url = reverse("user-active", kwargs={"pk": personas.anna.pk})
    client.post(url, {"active": "0"})
    personas.anna.refresh_from_db()
    assert not personas.anna.is_active
    client.post(url, {"active": "1"})
    personas.anna.refresh_from_db()
    assert personas.anna.is_active
    actions = list(UserChange.objects.filter(user=personas.anna).values_list("action", flat=True))
    assert actions == [UserChange.Action.REACTIVATED, UserChange.Action.DEACTIVATED]


def test_it_does_not_let_a_coordinator_deactivate_themselves(personas, client_for):
    client = client_for(personas.cecilia)
    client.post(reverse("user-active", kwargs={"pk": personas.cecilia.pk}), {"active": "0"})
    personas.cecilia.refresh_from_db()
    assert personas.cecilia.is_active


def test_it_resets_a_second_factor(personas, client_for, client):
    client_for(personas.anna)  # gives Anna a confirmed authenticator
    client_for(personas.cecilia).post(
        reverse("user-second-factor-reset", kwargs={"pk": personas.anna.pk})
    )
    response = client.post(reverse("login"), {"email": personas.anna.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("login-enrol"))


def test_it_lists_users_with_a_constant_number_of_queries(
    personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.cecilia)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("users"))
    assert response.status_code == 200
    for user in personas.all():
        assert user.full_name in response.content.decode()
