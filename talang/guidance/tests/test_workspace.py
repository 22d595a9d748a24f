"""The queue, the contact card and what guides do from it, through their URLs."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext

from talang.contacts.models import Household, MoveStatus, Person, PersonRole
from talang.guidance.models import Activity, FollowUp, GuidanceCase
from talang.guidance.tests.factories import register
from talang.privacy.models import AccessLog
from talang.reporting.models import StatEvent

pytestmark = pytest.mark.django_db


def card_url(household):
    return reverse("household-card", kwargs={"reference": household.reference})


def test_it_shows_each_guide_their_municipalitys_queue(personas, client_for):
    anna_household = register(personas.region, municipality="2380", first_name="Östen")
    bengt_household = register(personas.region, municipality="2321", first_name="Åke")
    register(personas.region, municipality=None, first_name="Regina")
    page = client_for(personas.anna).get(reverse("queue")).content.decode()
    assert "Östen" in page and "Åke" not in page and "Regina" not in page
    page = client_for(personas.anna).get(reverse("queue") + "?scope=region").content.decode()
    assert "Regina" in page and "Östen" not in page
    page = client_for(personas.cecilia).get(reverse("queue")).content.decode()
    assert all(name in page for name in ("Östen", "Åke", "Regina"))
    assert anna_household.reference in page and bengt_household.reference in page


def test_it_marks_overdue_first_responses(personas, client_for):
    with time_machine.travel("2026-11-02 10:00:00+01:00", tick=False):
        register(personas.region, first_name="Sen")
    with time_machine.travel("2026-11-23 10:00:00+01:00", tick=False):
        register(personas.region, first_name="Ny")
        page = client_for(personas.anna).get(reverse("queue")).content.decode()
    assert 'class="overdue"' in page
    assert "badge--overdue" in page


def test_it_filters_the_queue(personas, client_for):
    register(personas.region, first_name="Klara")
    household = register(personas.region, first_name="Moa")
    GuidanceCase.objects.filter(household=household).update(status="in_dialogue")
    page = client_for(personas.anna).get(reverse("queue") + "?status=in_dialogue").content.decode()
    assert "Moa" in page and "Klara" not in page


def test_it_uses_the_same_number_of_queries_for_10_and_100_rows(
    personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.cecilia)
    for _ in range(10):
        register(personas.region)
    with django_assert_max_num_queries(14) as small:
        client.get(reverse("queue"))
    for _ in range(90):
        register(personas.region)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("queue"))


def test_it_opens_the_card_and_logs_the_access(personas, client_for):
    household = register(personas.region, phone="070-123 45 67", channel="phone")
    Person.objects.filter(household=household).update(phone="+46701234567")
    response = client_for(personas.bengt).get(card_url(household))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="tel:+46701234567"' in page
    assert AccessLog.objects.filter(
        user=personas.bengt, household_reference=household.reference
    ).exists()


def test_the_card_names_where_the_household_lives_and_came_from(personas, client_for):
    household = register(personas.region)
    Household.objects.filter(pk=household.pk).update(
        origin_country="NL",
        origin_place="Utrecht",
        channel_form="guidance:2321",
        channel_site="www.are.se",
        utm_campaign="vinter26",
    )
    page = client_for(personas.anna).get(card_url(household)).content.decode()
    assert "Utrecht, Nederländerna" in page
    assert "Formuläret för Åre (www.are.se), kampanj vinter26" in page
    Household.objects.filter(pk=household.pk).update(
        origin_country="", origin_place="", channel_form="api", channel_site="", utm_campaign=""
    )
    page = client_for(personas.anna).get(card_url(household)).content.decode()
    assert "Anmälnings-API:et" in page


def test_it_logs_a_call_and_meets_the_first_response_on_time(personas, client_for):
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        household = register(personas.region)
        response = client_for(personas.anna).post(
            reverse("activity-create", kwargs={"reference": household.reference}),
            {"kind": "call", "outcome": "no_answer", "body": "Ringde, inget svar"},
        )
    assert response.status_code == 302
    case = GuidanceCase.objects.get(household=household)
    assert case.first_response_at is not None
    assert case.status == "contacted"
    assert (
        StatEvent.objects.filter(kind="first_response_on_time", municipality_code="2380").count()
        == 1
    )
    call = Activity.objects.get(household=household, kind="call")
    assert call.author == personas.anna
    assert call.data == {"outcome": "no_answer"}


def test_it_counts_a_late_first_response(personas, client_for):
    with time_machine.travel("2026-11-02 09:00:00+01:00", tick=False):
        household = register(personas.region)
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        client_for(personas.anna).post(
            reverse("activity-create", kwargs={"reference": household.reference}),
            {"kind": "meeting", "body": "Träffades på kontoret"},
        )
    assert StatEvent.objects.filter(kind="first_response_late").count() == 1


def test_a_note_does_not_meet_the_first_response(personas, client_for):
    household = register(personas.region)
    client_for(personas.anna).post(
        reverse("activity-create", kwargs={"reference": household.reference}),
        {"kind": "note", "body": "Läste anmälan"},
    )
    assert GuidanceCase.objects.get(household=household).first_response_at is None


def test_it_names_the_field_of_a_bad_entry(personas, client_for):
    household = register(personas.region)
    response = client_for(personas.anna).post(
        reverse("activity-create", kwargs={"reference": household.reference}), {"kind": "call"}
    )
    assert response.status_code == 400
    assert "outcome" in response.context["activity_form"].errors
    assert not Activity.objects.filter(kind="call").exists()


def test_bengt_cannot_write_to_annas_household_but_reads_it(personas, client_for):
    household = register(personas.region, municipality="2380")
    client = client_for(personas.bengt)
    assert client.get(card_url(household)).status_code == 200
    url = reverse("activity-create", kwargs={"reference": household.reference})
    assert client.post(url, {"kind": "note", "body": "x"}).status_code == 403
    assert not Activity.objects.filter(kind="note").exists()


def test_any_guide_writes_to_the_regions_unassigned_households(personas, client_for):
    household = register(personas.region, municipality=None)
    url = reverse("activity-create", kwargs={"reference": household.reference})
    assert (
        client_for(personas.bengt).post(url, {"kind": "note", "body": "Jag tar den"}).status_code
        == 302
    )


def test_a_communicator_sees_no_dialogue_and_a_viewer_no_household(personas, client_for):
    household = register(personas.region)
    client_for(personas.anna).post(
        reverse("activity-create", kwargs={"reference": household.reference}),
        {"kind": "note", "body": "Hemlig anteckning"},
    )
    page = client_for(personas.dan).get(card_url(household)).content.decode()
    assert "Hemlig anteckning" not in page
    assert (
        client_for(personas.dan)
        .post(
            reverse("activity-create", kwargs={"reference": household.reference}),
            {"kind": "note", "body": "x"},
        )
        .status_code
        == 403
    )
    assert client_for(personas.eva).get(card_url(household)).status_code == 403
    assert client_for(personas.filip).get(card_url(household)).status_code == 403


def test_it_records_a_move_and_plans_the_twelve_month_follow_up(personas, client_for):
    household = register(personas.region)
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        response = client_for(personas.anna).post(
            reverse("status-change", kwargs={"reference": household.reference}),
            {
                "status": "moved",
                "moved_on": "2026-11-01",
                "moved_to": personas.region.municipalities.get(code="2380").pk,
                "confirmed_by": "household",
            },
        )
    assert response.status_code == 302
    case = GuidanceCase.objects.get(household=household)
    assert (case.status, case.moved_on, case.moved_to.code) == (
        "moved",
        dt.date(2026, 11, 1),
        "2380",
    )
    assert Household.objects.get(pk=household.pk).status == "moved"
    assert FollowUp.objects.get(household=household).due_on == dt.date(2027, 11, 1)
    move = StatEvent.objects.get(kind="move")
    assert (move.date, move.municipality_code) == (dt.date(2026, 11, 1), "2380")


def test_it_needs_date_place_and_confirmation_for_a_move(personas, client_for):
    household = register(personas.region)
    response = client_for(personas.anna).post(
        reverse("status-change", kwargs={"reference": household.reference}), {"status": "moved"}
    )
    assert response.status_code == 400
    assert set(response.context["status_form"].errors) == {"moved_on", "moved_to", "confirmed_by"}


def test_it_assigns_and_hands_over_with_an_email(
    personas, client_for, django_capture_on_commit_callbacks
):
    household = register(personas.region, municipality="2380")
    client = client_for(personas.anna)
    client.post(reverse("household-assign", kwargs={"reference": household.reference}), {"me": "1"})
    assert GuidanceCase.objects.get(household=household).assigned_guide == personas.anna
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("household-hand-over", kwargs={"reference": household.reference}),
            {
                "municipality": personas.region.municipalities.get(code="2321").pk,
                "note": "Vill bo nära fjällen",
            },
        )
    assert response.status_code == 302
    case = GuidanceCase.objects.get(household=household)
    assert case.municipality.code == "2321" and case.assigned_guide is None
    assert [message.to for message in mail.outbox] == [[personas.bengt.email]]
    assert "Åsa" not in mail.outbox[0].subject
    # Bengt may write now; Anna may not.
    url = reverse("activity-create", kwargs={"reference": household.reference})
    assert client_for(personas.bengt).post(url, {"kind": "note", "body": "Hej"}).status_code == 302
    assert client.post(url, {"kind": "note", "body": "Hej"}).status_code == 403


def test_it_plans_and_completes_follow_ups(personas, client_for):
    household = register(personas.region)
    with time_machine.travel("2026-11-23 09:00:00+01:00", tick=False):
        client = client_for(personas.anna)
        client.post(
            reverse("follow-up-create", kwargs={"reference": household.reference}),
            {"due_on": "2026-12-01", "note": "Skicka info om förskola"},
        )
        bad = client.post(
            reverse("follow-up-create", kwargs={"reference": household.reference}),
            {"due_on": "2026-01-01", "note": "x"},
        )
    assert bad.status_code == 400, bad.status_code
    assert "due_on" in bad.context["follow_up_form"].errors
    follow_up = FollowUp.objects.get()
    client = client_for(personas.anna)
    assert "Skicka info om förskola" in client.get(reverse("queue")).content.decode()
    client.post(
        reverse("follow-up-done", kwargs={"reference": household.reference, "pk": follow_up.pk})
    )
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None


def test_it_edits_and_records_who_changed_what(personas, client_for):
    household = register(personas.region)
    client = client_for(personas.anna)
    url = reverse("household-edit", kwargs={"reference": household.reference})
    form = client.get(url).context["form"]
    data = {
        **{k: v or "" for k, v in form.initial.items()},
        "occupation": "Barnmorska",
        "timeline": "exploring",
    }
    assert client.post(url, data).status_code == 302
    person = Person.objects.get(household=household)
    assert person.occupation == "Barnmorska"
    assert "occupation" in person.guide_edited
    edit = Activity.objects.get(household=household, kind="edit")
    assert edit.data["changes"]["person.occupation"] == ["", "Barnmorska"]
    assert edit.author == personas.anna


def test_the_second_of_two_simultaneous_edits_gets_a_conflict(personas, client_for):
    household = register(personas.region)
    url = reverse("household-edit", kwargs={"reference": household.reference})
    anna, cecilia = client_for(personas.anna), client_for(personas.cecilia)
    anna_form = {k: v or "" for k, v in anna.get(url).context["form"].initial.items()}
    cecilia_form = {k: v or "" for k, v in cecilia.get(url).context["form"].initial.items()}
    assert anna.post(url, {**anna_form, "occupation": "Lärare"}).status_code == 302
    response = cecilia.post(url, {**cecilia_form, "occupation": "Pilot"})
    assert response.status_code == 409
    assert Person.objects.get(household=household).occupation == "Lärare"


def test_it_searches_names_emails_phones_and_references(personas, client_for):
    register(
        personas.region,
        first_name="Åsa",
        last_name="Öberg",
        email="asa.oberg@example.org",
        phone="+46701234567",
    )
    register(personas.region, first_name="Asa", last_name="Oberg", email="other@example.org")
    register(personas.region, first_name="José", last_name="Núñez", email="jose@example.org")
    client = client_for(personas.anna)

    def found(query):
        return [
            result.hit.first_name
            for result in client.post(reverse("search"), {"q": query}).context["results"]
        ]

    assert found("åsa") == ["Åsa"]
    assert found("ÖBERG") == ["Åsa"]
    assert sorted(found("oberg")) == ["Asa", "Åsa"]  # oberg is in both e-mail addresses
    assert found("jose nunez") == ["José"]
    assert found("070-123 45 67") == ["Åsa"]
    assert found("+46 70 123 45 67") == ["Åsa"]
    household = Household.objects.get(persons__first_name="José")
    assert found(household.reference.lower()) == ["José"]
    assert client_for(personas.eva).post(reverse("search"), {"q": "åsa"}).status_code == 403


def test_search_shows_the_newest_and_says_when_more_match(personas):
    from talang.guidance.selectors import households_search

    for number in range(4):
        register(personas.region, first_name=f"Berit{number}", last_name="Bergström")
    hits, more = households_search(user=personas.anna, query="bergs", limit=3)
    assert more and len(hits) == 3
    hits, more = households_search(user=personas.anna, query="bergs", limit=4)
    assert not more
    assert [found.hit.first_name for found in hits] == ["Berit3", "Berit2", "Berit1", "Berit0"]
    assert hits[0].hit.get_status_display()


def test_search_takes_wildcards_literally_and_short_words_too(personas):
    from talang.accounts.models import Region
    from talang.guidance.selectors import households_search

    register(personas.region, first_name="Li", last_name="Wu", email="li_wu@example.org")
    register(personas.region, first_name="Lisa", last_name="Lundh", email="liswu@example.org")
    other = Region.objects.create(name="Region Gävleborg", code="21")
    register(other, first_name="Li", last_name="Wu", email="li_wu@example.net")

    def names(query):
        return sorted(
            found.hit.first_name for found in households_search(user=personas.anna, query=query)[0]
        )

    assert names("li_wu") == ["Li"]  # "_" is not a wildcard, and Gävleborg is not searched
    assert names("%") == []
    assert names("wu") == ["Li", "Lisa"]  # two-letter words as well
    assert names("li lu") == ["Lisa"]


def test_it_searches_by_post_so_nothing_personal_reaches_a_url(personas, client_for):
    register(personas.region, first_name="Åsa")
    client = client_for(personas.anna)
    assert client.get(reverse("search"), {"q": "åsa"}).context["results"] == []
    page = client.get(reverse("queue")).content.decode()
    assert 'class="site-search" role="search" method="post"' in page


def sv(text: str) -> str:
    """``text`` as the Swedish catalogue has it (the English source until it is translated)."""
    with translation.override("sv"):
        return gettext(text)


def shown(response) -> str:
    """The page's text without its tags, spaces run together."""
    return " ".join(strip_tags(response.content.decode()).split())


def test_an_entry_other_than_a_call_has_no_outcome(personas, client_for):
    household = register(personas.region)
    client = client_for(personas.anna)
    url = reverse("activity-create", kwargs={"reference": household.reference})
    response = client.post(url, {"kind": "note", "outcome": "reached", "body": "Läste anmälan"})
    assert response.status_code == 302
    assert Activity.objects.get(household=household, kind="note").data == {}
    page = client.get(card_url(household)).content.decode()
    assert sv("Only for a call.") in page  # beside the outcome, which shows for a call only
    assert 'class="field activity-form__outcome"' in page


def test_htmx_gets_the_card_with_the_errors_of_an_entry(personas, client_for):
    household = register(personas.region)
    response = client_for(personas.anna).post(
        reverse("activity-create", kwargs={"reference": household.reference}),
        {"kind": "note", "body": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400  # swapped in by htmx-config's responseHandling
    assert sv("A note needs text.") in response.content.decode()
    assert not Activity.objects.filter(household=household, kind="note").exists()


def test_the_card_and_the_queue_show_the_same_deadline(personas, client_for):
    late = register(personas.region, first_name="Sen")
    today = register(personas.region, first_name="Idag")
    GuidanceCase.objects.filter(household=late).update(first_response_due=dt.date(2026, 11, 18))
    GuidanceCase.objects.filter(household=today).update(first_response_due=dt.date(2026, 11, 23))
    with translation.override("sv"):
        overdue = ngettext("%(days)s working day overdue", "%(days)s working days overdue", 3) % {
            "days": 3
        }
        none_left = ngettext("%(days)s working day left", "%(days)s working days left", 0) % {
            "days": 0
        }
        due_today = gettext("Due today")
    with time_machine.travel("2026-11-23 10:00:00+01:00", tick=False):
        client = client_for(personas.anna)
        queue = shown(client.get(reverse("queue")))
        late_card = shown(client.get(card_url(late)))
        today_card = shown(client.get(card_url(today)))
    assert overdue in queue and due_today in queue
    assert none_left not in queue
    assert overdue in late_card
    assert due_today in today_card


def test_the_card_names_children_by_year_or_age(personas, client_for):
    household = register(personas.region)
    Person.objects.create(household=household, role=PersonRole.CHILD, birth_year=2016)
    Person.objects.create(household=household, role=PersonRole.CHILD, age_band="0_5")
    Person.objects.create(
        household=household, role=PersonRole.CHILD, first_name="Elsa", birth_year=2019
    )
    page = shown(client_for(personas.anna).get(card_url(household)))
    with translation.override("sv"):
        child, born = gettext("Child"), gettext("born %(year)s")
        young = gettext("0–5 years")
    assert f"{child}, {born % {'year': 2016}}" in page
    assert f"{child}, {young}" in page
    assert f"{child}: Elsa, {born % {'year': 2019}}" in page
    assert f"{child}: –" not in page


def test_the_card_leads_back_where_the_role_may_go(personas, client_for):
    household = register(personas.region)
    queue_link = f'<a href="{reverse("queue")}">← {sv("Queue")}</a>'
    search_link = f'<a href="{reverse("search")}">← {sv("Search")}</a>'
    page = client_for(personas.anna).get(card_url(household)).content.decode()
    assert queue_link in page and search_link not in page
    page = client_for(personas.dan).get(card_url(household)).content.decode()
    assert search_link in page and reverse("queue") not in page


def test_the_edit_page_names_the_household_and_hides_the_version(personas, client_for):
    household = register(personas.region, first_name="Alva", last_name="Demosson")
    url = reverse("household-edit", kwargs={"reference": household.reference})
    page = client_for(personas.anna).get(url).content.decode()
    assert f"← Alva Demosson ({household.reference})</a>" in page
    assert 'type="hidden" name="version"' in page
    assert 'for="id_version"' not in page


def test_search_results_name_the_status_and_the_municipality(
    personas, client_for, django_assert_max_num_queries
):
    ostersund = register(personas.region, municipality="2380", first_name="Alva")
    are = register(personas.region, municipality="2321", first_name="Alva")
    queued = register(personas.region, municipality=None, first_name="Alva")
    client = client_for(personas.anna)
    with django_assert_max_num_queries(12) as few:
        page = shown(client.post(reverse("search"), {"q": "alva"}))
    with translation.override("sv"):
        new = str(MoveStatus.NEW.label)
    assert f"{ostersund.reference} · {new} · Östersund" in page
    assert f"{are.reference} · {new} · Åre" in page
    region_queue = sv("The region's queue")
    assert f"{queued.reference} · {new} · {region_queue}" in page
    for _ in range(10):
        register(personas.region, first_name="Alva")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.post(reverse("search"), {"q": "alva"})
