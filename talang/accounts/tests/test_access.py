"""Every staff URL refuses the roles that must not see it, and anonymous visitors."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from talang.accounts.models import Role

pytestmark = pytest.mark.django_db


def staff_patterns():
    """(name, roles) of every URL whose view is wrapped by access.staff_required."""
    found = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                roles = getattr(pattern.callback, "talang_roles", None)
                if roles is not None:
                    found.append((pattern.name, roles, tuple(pattern.pattern.converters)))

    walk(get_resolver().url_patterns)
    return found


def test_it_finds_the_staff_urls():
    names = {name for name, _roles, _arguments in staff_patterns()}
    assert {
        "home",
        "users",
        "user",
        "user-invite",
        "tokens",
        "security",
        "intake-embed",
        "intake-appearance",
        "intake-submissions",
        "intake-replay",
        "event-attendance-take-back",
        "employer-found-staff-take-back",
    } <= names


@pytest.mark.parametrize(("name", "roles", "arguments"), staff_patterns())
def test_it_refuses_roles_without_access(name, roles, arguments, personas, client_for, client):
    from talang.guidance.tests.factories import register

    household = register(personas.region, municipality="2380")
    values = {
        "pk": personas.anna.pk,
        "code": "2380",
        "reference": household.reference,
        "name": "first-contact",
        "language": "sv",
    }
    url = reverse(name, kwargs={argument: values[argument] for argument in arguments})
    method = "post" if client.get(url).status_code == 405 else "get"
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    for user in personas.all():
        role = user.membership.role
        response = getattr(client_for(user), method)(url)
        if role in roles:
            # Past the role check: the page answers, or the object's own rules or the
            # (empty) input decide; the object rules have their own tests per app.
            assert response.status_code in (200, 302, 400, 403, 404), (name, role)
        else:
            assert response.status_code == 403, (name, role)
            assert "Anna" not in response.content.decode()


def test_it_refuses_a_user_without_membership(personas, client_for):
    personas.dan.membership.delete()
    personas.dan.refresh_from_db()
    assert client_for(personas.dan).get(reverse("home")).status_code == 403


def test_it_hides_users_of_another_region(personas, client_for):
    from talang.accounts.models import Membership, Region
    from talang.testing import make_user

    other = Region.objects.create(name="Region Gävleborg", code="21")
    stranger = make_user("s@example.org", "Stina", Role.COORDINATOR, None, other)
    response = client_for(personas.cecilia).get(reverse("user", kwargs={"pk": stranger.pk}))
    assert response.status_code == 404
    listing = client_for(personas.cecilia).get(reverse("users")).content.decode()
    assert "Stina" not in listing
    assert Membership.objects.filter(region=other).count() == 1


def test_it_requires_the_second_factor_for_a_signed_in_session(personas, client):
    client.force_login(personas.cecilia, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("users"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_ends_a_deactivated_users_session(personas, client_for):
    client = client_for(personas.anna)
    assert client.get(reverse("home")).status_code == 200
    personas.anna.is_active = False
    personas.anna.save(update_fields=["is_active"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_lets_demo_accounts_skip_the_second_factor_only_in_a_demo(personas, client, settings):
    personas.anna.is_demo = True
    personas.anna.save(update_fields=["is_demo"])
    client.force_login(personas.anna, backend="django.contrib.auth.backends.ModelBackend")
    settings.TALANG_DEMO = True
    assert client.get(reverse("home")).status_code == 200
    settings.TALANG_DEMO = False
    assert client.get(reverse("home")).status_code == 302
