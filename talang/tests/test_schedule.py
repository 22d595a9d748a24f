import pytest

from talang.lib import schedule


def test_it_claims_each_period_once():
    jobs = [schedule.Job("talang.accounts.tasks.sessions_clear", every=3600)]
    assert schedule.due_jobs(7200.0, jobs) == jobs
    assert schedule.due_jobs(7300.0, jobs) == []
    assert schedule.due_jobs(10800.0, jobs) == jobs


@pytest.mark.django_db
def test_it_clears_expired_sessions(client):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    store = SessionStore()
    store.set_expiry(-10)
    store.save()
    from talang.accounts.tasks import sessions_clear

    sessions_clear.enqueue()
    assert not Session.objects.filter(session_key=store.session_key).exists()
