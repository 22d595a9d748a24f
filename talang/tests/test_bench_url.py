"""The baseline view of `make bench` exists only when TALANG_BENCH is on."""

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

import talang.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def reload_urls():
    """Rebuild talang.urls under the settings of the test, and restore it afterwards."""

    def reload():
        importlib.reload(talang.urls)
        clear_url_caches()

    yield reload
    reload()


def test_it_is_not_there_by_default(client):
    response = client.get("/bench/bare")
    assert response.status_code == 404


def test_it_answers_when_the_bench_setting_is_on(client, reload_urls):
    with override_settings(TALANG_BENCH=True):
        reload_urls()
        response = client.get("/bench/bare")
    assert (response.status_code, response.content) == (200, b"ok")
    reload_urls()
    assert client.get("/bench/bare").status_code == 404
