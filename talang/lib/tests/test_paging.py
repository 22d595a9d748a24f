import pytest
from django.conf import settings

from talang.accounts.models import Municipality
from talang.lib.paging import CappedPaginator

pytestmark = pytest.mark.django_db


def test_it_counts_up_to_the_cap_and_says_when_there_are_more(personas):
    municipalities = Municipality.objects.order_by("code")  # the region's eight
    exact = CappedPaginator(municipalities, 3, cap=8)
    assert (exact.count, exact.capped, exact.num_pages) == (8, False, 3)
    capped = CappedPaginator(municipalities, 3, cap=5)
    assert (capped.count, capped.capped) == (6, True)
    assert [m.code for m in capped.get_page(1).object_list] == ["2303", "2305", "2309"]


def test_the_queue_says_more_than_the_cap(personas, client_for, monkeypatch):
    from talang.guidance.tests.factories import register

    for _ in range(3):
        register(personas.region, municipality="2380")
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    client = client_for(personas.anna)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "More than 2 households" in client.get("/queue/").content.decode()
