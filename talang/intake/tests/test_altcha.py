"""Proof of work (ALTCHA) on the public forms and the registration API, when it is turned on."""

import base64
import html
import json
import time

import pytest
from altcha import solve_challenge_v1

from talang.contacts.models import Household
from talang.intake import abuse, altcha
from talang.intake.models import Submission
from talang.intake.tests.test_api import MINIMAL, post
from talang.intake.tests.test_forms import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def proof_of_work(settings):
    settings.TALANG_ALTCHA_MAX_NUMBER = 5000


def solved(challenge: dict, *, number: int | None = None) -> str:
    if number is None:
        number = solve_challenge_v1(
            challenge["challenge"],
            challenge["salt"],
            challenge["algorithm"],
            challenge["maxNumber"],
            0,
        ).number
    fields = ("algorithm", "challenge", "salt", "signature")
    payload = {**{key: challenge[key] for key in fields}, "number": number}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def form_challenge(page: str) -> dict:
    start = page.index('data-altcha-challenge="') + len('data-altcha-challenge="')
    raw = page[start : page.index('"', start)]
    return json.loads(html.unescape(raw))


def test_a_solution_counts_once_and_only_for_its_challenge(proof_of_work):
    challenge = altcha.challenge()
    assert challenge["maxNumber"] == 5000 and challenge["algorithm"] == "SHA-256"
    right = solved(challenge)
    wrong_number = solved(challenge, number=(json.loads(base64.b64decode(right))["number"] + 1))
    assert not altcha.verified(wrong_number)
    assert altcha.verified(right)
    assert not altcha.verified(right)  # the same solution again


@pytest.mark.parametrize(
    "bad",
    [
        None,
        "",
        "not base64!",
        base64.b64encode(b"[1, 2]").decode(),
        "A" * 5000,
        base64.b64encode(b'{"algorithm": "MD5"}').decode(),
        base64.b64encode(b"\xff\xfe").decode(),
    ],
)
def test_anything_else_is_no_solution(proof_of_work, bad):
    assert not altcha.verified(bad)


def test_a_forged_challenge_fails_its_signature(proof_of_work, settings):
    challenge = altcha.challenge()
    settings.SECRET_KEY = "another key entirely, so another signature key" * 2
    assert not altcha.verified(solved(challenge))


def test_an_expired_challenge_fails(proof_of_work, time_machine):
    challenge = altcha.challenge()
    time_machine.move_to(time.time() + altcha.LIFETIME.total_seconds() + 5)
    assert not altcha.verified(solved(challenge))


def test_it_is_off_unless_turned_on(personas, client):
    assert not altcha.enabled()
    page = client.get("/forms/sv/guidance/").content.decode()
    assert "data-altcha-challenge" not in page and "altcha.js" not in page
    off = client.get("/api/v1/registrations/challenge", HTTP_ACCEPT_LANGUAGE="sv")
    assert off.status_code == 404
    assert off.json() == {"detail": "Inget arbetsbevis krävs."}


@pytest.mark.parametrize("kind", ["guidance", "magazine", "newsletter"])
def test_each_form_carries_a_challenge_and_the_script(personas, client, proof_of_work, kind):
    page = client.get(f"/forms/en/{kind}/").content.decode()
    assert form_challenge(page)["maxNumber"] == 5000
    assert "/static/talang/altcha.js" in page
    assert "needs JavaScript" in page  # the <noscript> note


def test_the_form_is_refused_without_a_solution_and_accepted_with_one(
    personas, client, proof_of_work
):
    refused = client.post("/forms/en/guidance/", fill(), HTTP_COOKIE="")
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "did not finish" in page
    assert 'value="asa@example.org"' in page  # kept as filled in
    assert Submission.objects.count() == 0

    solution = solved(form_challenge(page))
    accepted = client.post("/forms/en/guidance/", fill(altcha=solution))
    assert accepted.status_code == 302
    submission = Submission.objects.get()
    assert "altcha" not in submission.payload and "started" not in submission.payload
    assert Household.objects.count() == 1

    # The same solution a second time is no proof of any new work.
    again = client.post("/forms/en/guidance/", fill(altcha=solution, email="other@example.org"))
    assert again.status_code == 400
    assert Submission.objects.count() == 1


def test_the_form_says_it_in_swedish(personas, client, proof_of_work):
    page = client.post("/forms/sv/guidance/", fill()).content.decode()
    assert "JavaScript" in page and "did not finish" not in page


def test_an_invalid_form_does_not_use_up_the_solution(personas, client, proof_of_work):
    page = client.get("/forms/en/newsletter/").content.decode()
    solution = solved(form_challenge(page))
    bad = {"email": "not an address", "started": abuse.started_token(at=time.time() - 60)}
    assert client.post("/forms/en/newsletter/", {**bad, "altcha": solution}).status_code == 400
    good = {**bad, "email": "jan@example.nl", "topics": ["jobs"], "altcha": solution}
    assert client.post("/forms/en/newsletter/", good).status_code == 302


def test_the_api_asks_for_a_solution_and_takes_one(personas, client, proof_of_work):
    refused = post(client, {**MINIMAL, "language": "en"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["altcha"]
    assert "challenge" in refused.json()["errors"]["altcha"][0]

    response = client.get("/api/v1/registrations/challenge")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    challenge = response.json()
    assert set(challenge) == {"algorithm", "challenge", "maxNumber", "salt", "signature"}
    created = post(client, {**MINIMAL, "altcha": solved(challenge)})
    assert created.status_code == 201
    assert "altcha" not in Submission.objects.get().payload

    reused = post(client, {**MINIMAL, "altcha": solved(challenge)})
    assert reused.status_code == 400 and "altcha" in reused.json()["errors"]


def test_the_api_names_bad_fields_before_the_proof_of_work(personas, client, proof_of_work):
    body = {**MINIMAL, "contact": {**MINIMAL["contact"], "email": "nope"}}
    errors = post(client, body).json()["errors"]
    assert "contact.email" in errors
