"""talang_ledger_check: the ledger against the live data, every difference explained."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from talang.contacts.models import Household
from talang.privacy.models import ErasureRecord
from talang.privacy.services import household_erase
from talang.reporting.check import ledger_check
from talang.reporting.ledger import stat_record
from talang.reporting.models import StatEvent, StatKind
from talang.reporting.tests.ledger_data import household_with_history

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _june():
    with time_machine.travel("2026-06-15 10:00:00+02:00", tick=False):
        yield


def run(*arguments) -> tuple[int, str]:
    """The command's exit code and output, in English (operators get the site's language)."""
    out = io.StringIO()
    try:
        with translation.override("en"):
            call_command("talang_ledger_check", *arguments, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def two_households(personas, client):
    return [
        household_with_history(client, personas.anna, email="asa@example.org"),
        household_with_history(client, personas.bengt, email="bo@example.org", municipality="2321"),
    ]


def rows(check) -> dict:
    return {kind.kind: (kind.ledger, kind.live) for kind in check.kinds}


def test_it_finds_the_ledger_and_the_live_data_equal(personas, two_households):
    check = ledger_check(region=personas.region)
    assert check.ok
    counted = rows(check)
    for kind in (
        StatKind.REGISTRATION,
        StatKind.FIRST_RESPONSE_ON_TIME,
        StatKind.MOVE,
        StatKind.MAGAZINE_ORDER,
        StatKind.SUBSCRIPTION,
    ):
        assert counted[kind] == (2, 2), kind
    assert counted[StatKind.FIRST_RESPONSE_LATE] == (0, 0)
    code, output = run("--region", "23", "--from", "2026-01-01", "--to", "2026-06-15")
    assert code == 0, output
    assert "NOT EXPLAINED" not in output


def test_it_explains_an_erasure(personas, two_households):
    household_erase(
        household=two_households[0], reason=ErasureRecord.Reason.STAFF_ON_REQUEST, by=None
    )
    check = ledger_check(region=personas.region, start=dt.date(2026, 1, 1))
    assert check.ok
    assert rows(check)[StatKind.REGISTRATION] == (2, 1)
    code, output = run("--region", "23", "--from", "2026-01-01")
    assert code == 0, output
    assert "households erased" in output


def test_an_erasure_before_the_period_explains_nothing_in_it(personas, two_households):
    household_erase(household=two_households[0], reason=ErasureRecord.Reason.DATA_SUBJECT)
    ErasureRecord.objects.update(erased_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    code, output = run("--region", "23", "--from", "2026-01-01")
    assert code == 1
    assert "NOT EXPLAINED" in output


def test_a_ledger_row_deleted_by_hand_is_not_explained(personas, two_households):
    StatEvent.objects.filter(kind=StatKind.MAGAZINE_ORDER).first().delete()
    check = ledger_check(region=personas.region)
    assert not check.ok
    code, output = run()
    assert code == 1
    assert "NOT EXPLAINED" in output
    assert "without a ledger row: 1" in output


def test_it_sets_apart_ledger_rows_from_before_the_live_data(personas, two_households):
    stat_record(kind=StatKind.REGISTRATION, date=dt.date(2019, 5, 1), region_code="23")
    check = ledger_check(region=personas.region)
    assert check.before_live == 1 and check.ok
    code, output = run("--region", "23")
    assert code == 0 and "from before the live data started" in output


def test_it_lists_events_without_a_live_counterpart(personas, two_households):
    stat_record(kind=StatKind.EMPLOYER_FOUND_STAFF, date=dt.date(2026, 6, 1), region_code="23")
    check = ledger_check(region=personas.region)
    assert rows(check)[StatKind.EMPLOYER_FOUND_STAFF] == (1, None)
    assert check.ok


def test_it_counts_what_was_taken_back_as_the_statistics_do(personas, two_households):
    from talang.reporting.services import recorded_take_back

    for _ in range(3):
        stat_record(kind=StatKind.EVENT_ATTENDANCE, date=dt.date(2026, 6, 1), region_code="23")
    recorded_take_back(
        region=personas.region,
        kind=StatKind.EVENT_ATTENDANCE,
        date=dt.date(2026, 6, 1),
        municipality=None,
        count=2,
    )
    check = ledger_check(region=personas.region)
    assert rows(check)[StatKind.EVENT_ATTENDANCE] == (1, None)
    assert check.ok


def test_it_explains_a_merge(personas, two_households):
    from talang.guidance.merge import household_merge

    household_merge(keep=two_households[1], merge=two_households[0], by=personas.cecilia)
    assert Household.objects.count() == 1
    check = ledger_check(region=personas.region)
    assert check.ok
    assert rows(check)[StatKind.REGISTRATION] == (2, 1)


@pytest.mark.parametrize(
    "arguments",
    [("--from", "2026-13-01"), ("--from", "2026-06-02", "--to", "2026-06-01"), ("--region", "99")],
)
def test_it_refuses_bad_arguments(personas, arguments):
    code, output = run(*arguments)
    assert code == 2 and output
