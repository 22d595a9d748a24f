"""Writing to the statistics ledger; every countable event goes through ``stat_record``."""

import datetime as dt

from talang.reporting.models import SizeBand, StatEvent


def size_band(size: int) -> str:
    if size <= 1:
        return SizeBand.ONE
    if size == 2:
        return SizeBand.TWO
    if size <= 4:
        return SizeBand.THREE_FOUR
    return SizeBand.FIVE_PLUS


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
) -> StatEvent:
    """Write one anonymous ledger row. Callers pass codes and bands, never a person."""
    return StatEvent.objects.create(
        kind=kind,
        date=date,
        region_code=region_code,
        municipality_code=municipality_code,
        channel=channel[:32],
        campaign=campaign[:100],
        origin=origin[:8],
        size_band=size_band(size) if size is not None else "",
        detail=detail,
    )
