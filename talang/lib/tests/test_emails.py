"""The e-mail pipeline queues a message with the transaction it belongs to."""

import pytest
from asgiref.local import Local
from django.db import transaction
from django_tasks import task_backends
from django_tasks_db.models import DBTaskResult

from talang.lib.emails import send_after_commit

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def tasks_configure() -> None:
    """Make django-tasks read TASKS again (it keeps the backends of the first read)."""
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def database_queue(settings):
    original = settings.TASKS
    settings.TASKS = DATABASE_QUEUE
    tasks_configure()
    yield
    settings.TASKS = original
    tasks_configure()


class Stop(Exception):
    pass


def queue(to: str) -> None:
    send_after_commit("registration-confirmation", to, {}, language="sv")


def test_with_the_database_queue_the_message_commits_with_its_transaction(database_queue):
    with transaction.atomic():
        queue("kept@example.org")
        # In the transaction itself: no callback after the commit is needed to keep it.
        assert DBTaskResult.objects.count() == 1
    with pytest.raises(Stop), transaction.atomic():
        queue("rolled.back@example.org")
        raise Stop
    tasks = list(DBTaskResult.objects.all())
    assert len(tasks) == 1
    assert tasks[0].args_kwargs["kwargs"]["to"] == "kept@example.org"


def test_another_queue_gets_the_message_after_the_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queue("after@example.org")
        assert mailoutbox == []
    assert len(callbacks) == 1
    assert [message.to for message in mailoutbox] == [["after@example.org"]]


def test_households_get_subjects_without_the_systems_name():
    from talang.lib.emails import make_message

    context = {"region": "Region Jämtland Härjedalen", "due": "2026-11-30", "first_name": "Åsa"}
    confirmation = make_message(
        "registration-confirmation", "a@example.org", context, language="sv"
    )
    assert not confirmation.subject.startswith("[Talang]")
    invitation = make_message(
        "invitation", "b@example.org", {"link": "/x", "region": "R", "days": 7}, language="sv"
    )
    assert invitation.subject.startswith("[Talang] ")
