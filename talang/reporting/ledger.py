"""Writing to the statistics ledger; every countable event goes through ``stat_record``."""

import datetime as dt

from django.db import transaction

from talang.reporting.models import SizeBand, StatEvent
from talang.reporting.monthly import monthly_add


def size_band(size: int) -> str:
    if size <= 1:
        return SizeBand.ONE
    if size == 2:
        return SizeBand.TWO
    if size <= 4:
        return SizeBand.THREE_FOUR
    return SizeBand.FIVE_PLUS


def ledger_origin(*, country: str, county: str = "") -> str:
    """Where a household comes from, as the ledger counts it: the Swedish county ("SE-Z") if
    one is known, else the country ("NO", "SE")."""
    return county or country


def stat_record(
    *,
    kind: str,
    date: dt.date,
    region_code: str,
    municipality_code: str = "",
    channel: str = "",
    campaign: str = "",
    origin: str = "",
    size: int | None = None,
    detail: str = "",
    cohort: dt.date | None = None,
    days: int | None = None,
) -> StatEvent:
    """Write one anonymous ledger row and count it in the monthly table, in the caller's
    transaction (two statements). Callers pass codes and bands, never a person."""
    with transaction.atomic(savepoint=False):
        event = StatEvent.objects.create(
            kind=kind,
            date=date,
            region_code=region_code,
            municipality_code=municipality_code,
            channel=channel[:32],
            campaign=campaign[:100],
            origin=origin[:8],
            size_band=size_band(size) if size is not None else "",
            detail=detail,
            cohort=cohort.replace(day=1) if cohort else None,
            days=max(days, 0) if days is not None else None,
        )
        monthly_add(event=event)
    return event
