"""Public pages, the health check, the language switch and the error pages."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import path, reverse

pytestmark = pytest.mark.django_db


def test_it_answers_the_health_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_it_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_it_shows_the_sign_in_page_in_swedish_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
    assert "Logga in" in response.content.decode()


def test_it_switches_language_and_remembers_it(client):
    response = client.post(reverse("set-language"), {"language": "en", "next": "/accessibility/"})
    assert response.status_code == 302
    assert response["Location"] == "/accessibility/"
    page = client.get("/accessibility/").content.decode()
    assert '<html lang="en">' in page
    assert "Accessibility statement" in page


def test_it_answers_an_unknown_language_clearly(client):
    response = client.post(reverse("set-language"), {"language": "xx"})
    assert response.status_code == 400
    assert "Språket finns inte" in response.content.decode()


def test_it_refuses_to_redirect_elsewhere_after_switching(client):
    response = client.post(
        reverse("set-language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_it_has_a_translated_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()
    client.cookies["talang_language"] = "en"
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Page not found" in response.content.decode()


def test_it_stays_swedish_whatever_the_browser_asks_for(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv">' in response.content.decode()


def test_it_has_an_accessibility_statement(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "WCAG 2.1" in response.content.decode()


def test_it_marks_every_page_as_a_demo_in_demo_mode(client, settings):
    settings.TALANG_DEMO = True
    assert "demo-banner" in client.get(reverse("login")).content.decode()
    settings.TALANG_DEMO = False
    assert "demo-banner" not in client.get(reverse("login")).content.decode()


def test_it_sends_a_content_security_policy_without_third_parties(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy
    assert '<script src="http' not in response.content.decode()


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("crash/", crash)]


@override_settings(ROOT_URLCONF=__name__)
def test_it_has_a_translated_500_page():
    from talang import urls

    global handler500
    handler500 = urls.handler500
    client = Client(raise_request_exception=False)
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()
    assert "boom" not in response.content.decode()


handler500 = None


def test_it_asks_the_admin_site_for_the_second_factor(client):
    from talang.accounts.models import User

    admin = User.objects.create_superuser("root@example.org", "x" * 20, full_name="Root")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/django-admin/")
    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("", 0, "10.0.0.9"),
        ("198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),
        ("198.51.100.7", 2, "10.0.0.9"),
    ],
)
def test_it_reads_the_client_address_behind_proxies(rf, settings, forwarded, proxies, expected):
    from talang.lib.clients import client_address

    settings.TALANG_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
