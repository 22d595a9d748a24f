"""Checks that only mean something on PostgreSQL; `make test` runs them there."""

import pytest
from django.db import IntegrityError, connection, transaction

from talang.accounts.models import User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_it_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000


def test_it_keeps_email_addresses_unique_whatever_the_case():
    User.objects.create(email="asa@example.org", full_name="Åsa")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="ASA@example.org", full_name="Åsa again")
