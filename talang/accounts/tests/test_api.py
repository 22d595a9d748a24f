"""The API answers 401 without a valid token, 403 without the role, 429 when hammered."""

import pytest
from django.urls import reverse

from talang.accounts.models import ApiToken
from talang.accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_it_publishes_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Talang API"
    assert "/api/v1/users" in schema["paths"]


def test_it_answers_a_valid_token(personas, client):
    _token, raw = api_token_create(user=personas.cecilia, name="integration", by=None)
    response = client.get("/api/v1/users", **bearer(raw))
    assert response.status_code == 200
    assert {row["email"] for row in response.json()} >= {personas.anna.email}
    assert ApiToken.objects.get().last_used_at is not None
    assert ApiToken.objects.get().digest != raw


def test_it_refuses_a_missing_or_unknown_token_with_401(personas, client):
    for headers in (
        {},
        bearer("tlg_unknown"),
        bearer("garbage"),
        {"HTTP_AUTHORIZATION": "Basic x"},
    ):
        response = client.get("/api/v1/me", **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json()["detail"]


def test_it_translates_the_answer(personas, client):
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "A valid API token is required."


def test_it_refuses_a_token_without_the_role_with_403(personas, client):
    _token, raw = api_token_create(user=personas.eva, name="viewer", by=None)
    response = client.get("/api/v1/users", **bearer(raw))
    assert response.status_code == 403
    assert personas.anna.email not in response.content.decode()
    assert client.get("/api/v1/me", **bearer(raw)).json()["role"] == "viewer"


def test_it_refuses_a_revoked_token_and_a_deactivated_user(personas, client):
    token, raw = api_token_create(user=personas.cecilia, name="old", by=None)
    api_token_revoke(token=token, by=None)
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
    _token, raw = api_token_create(user=personas.anna, name="anna", by=None)
    personas.anna.is_active = False
    personas.anna.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401


def test_it_slows_down_a_client_trying_tokens_with_429(personas, client, settings):
    settings.TALANG_API_FAILURE_LIMIT = 3
    statuses = [client.get("/api/v1/me", **bearer(f"tlg_guess{i}")).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    response = client.get("/api/v1/me", **bearer("tlg_guess"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_it_lists_and_revokes_tokens_in_the_app(personas, client_for):
    client = client_for(personas.anna)
    response = client.post(reverse("tokens"), {"name": "Kalender"})
    raw = response.context["new_token"]
    assert raw.startswith("tlg_")
    token = ApiToken.objects.get(user=personas.anna)
    assert raw not in client.get(reverse("tokens")).content.decode()
    # Bengt cannot revoke Anna's token; Cecilia, the coordinator, can.
    url = reverse("token-revoke", kwargs={"pk": token.pk})
    assert client_for(personas.bengt).post(url).status_code == 404
    assert client_for(personas.cecilia).post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_names_the_missing_field_when_creating_a_token(personas, client_for):
    response = client_for(personas.anna).post(reverse("tokens"), {"name": ""})
    assert "name" in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_it_never_answers_500_to_odd_requests(personas, client):
    _token, raw = api_token_create(user=personas.cecilia, name="x", by=None)
    assert client.get("/api/v1/users?x=%00", **bearer(raw)).status_code == 200
    assert (
        client.post(
            "/api/v1/users",
            data=b"\x00\xff",
            content_type="application/octet-stream",
            **bearer(raw),
        ).status_code
        == 405
    )
    assert client.get("/api/v1/nothing-here", **bearer(raw)).status_code == 404
