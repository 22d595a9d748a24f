import importlib
import os

import pytest
from django.core.cache import cache

from talang.browsing import browser, new_page, page  # noqa: F401 - browser fixtures
from talang.testing import Personas, make_personas, sign_in


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure: PostgreSQL and the browser must really run."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must run every test: {report.longrepr}"


def _publish_migration_data() -> None:
    from django.apps import apps

    importlib.import_module("talang.contacts.migrations.0002_consent_texts_guidance_v1").publish(
        apps, None
    )


@pytest.fixture(autouse=True)
def _migration_data(request, django_db_blocker):
    """Every test that uses the database starts with the rows data migrations publish (the
    privacy notices). A transactional test (the browser tests) empties every table when it
    ends, and pytest-django's own fixtures, set up before this one, flush only after this
    fixture's teardown: so the rows are put back here, at the start of the next test."""
    marker = request.node.get_closest_marker("django_db")
    if marker or {"db", "transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("django_db_setup")  # the test database, never the real one
        with django_db_blocker.unblock():
            _publish_migration_data()
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def personas(db) -> Personas:
    _publish_migration_data()  # idempotent; whatever ran before in this process
    return make_personas()


@pytest.fixture
def client_for(client):
    """client_for(user): a test client signed in as ``user`` with the second factor passed."""
    from django.test import Client

    def make(user):
        return sign_in(Client(), user)

    return make
