"""The demo's agreement: the real 2024 budget of Jämtland Härjedalen, copied to this year with
fictitious outcomes in the quarters so far, so the quarterly report has something to show."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from talang.accounts.models import Region
from talang.reporting import budget
from talang.reporting.models import BudgetOutcome

DEMO_AGREEMENT = "jamtland-harjedalen"
# Share of a quarter's even part (a quarter of the year's budget) spent, per quarter and line;
# fixed, so every demo shows the same figures.
DEMO_PACE = [Decimal("0.82"), Decimal("1.05"), Decimal("0.64"), Decimal("1.12"), Decimal("0.97")]


@transaction.atomic
def budget_demo_load(*, region: Region, today: dt.date) -> int:
    """Load the shipped agreement, copy its budget to ``today``'s year if that year has none,
    and enter outcomes for the quarters up to today's where none are entered yet. Returns how
    many outcomes were entered (0 when run again)."""
    data = budget.agreement_data(DEMO_AGREEMENT)
    loaded = budget.agreement_load(region=region, data=data)
    year = today.year
    if not data["starts_on"] <= f"{year}-01-01" <= data["ends_on"]:
        # The same goals for this year, so the demo's report measures moves against a goal.
        budget.agreement_load(
            region=region,
            data={
                "region": region.code,
                "name": f"{data['name']} (demo {year})",
                "starts_on": f"{year}-01-01",
                "ends_on": f"{year}-12-31",
                "goals": data.get("goals", []),
            },
        )
    if not budget.budget_lines(region=region, year=year).exists() and loaded.years:
        budget.budget_copy(region=region, from_year=max(loaded.years), to_year=year)
    lines = list(budget.budget_lines(region=region, year=year))
    if BudgetOutcome.objects.filter(line__in=lines).exists():
        return 0
    entered = 0
    for quarter in range(1, (today.month - 1) // 3 + 2):
        amounts = {
            line.pk: (
                line.amount / 4 * DEMO_PACE[(line.position + quarter) % len(DEMO_PACE)]
            ).quantize(Decimal("1"))
            for line in lines
        }
        entered += budget.budget_outcome_enter(
            region=region, year=year, quarter=quarter, amounts=amounts, by=None
        )
    return entered


# The demo region's history from before Talang: anonymous ledger rows only, as a region would
# carry its statistics over from the CRM it used before. Weights follow the municipalities'
# populations roughly; "" is the region's queue.
HISTORY_START = dt.date(2025, 1, 1)
HISTORY_MUNICIPALITIES = {
    "2380": 9, "2321": 5, "2309": 3, "2313": 2, "2361": 2, "2326": 1, "2305": 1, "2303": 1, "": 2,
}  # fmt: skip
MOVE_MUNICIPALITIES = {code: weight for code, weight in HISTORY_MUNICIPALITIES.items() if code}
HISTORY_ORIGINS = {
    "SE-AB": 8, "SE-M": 3, "SE-O": 3, "SE-C": 2, "SE-AC": 2, "SE-Y": 2, "NO": 2, "DE": 3, "NL": 3,
}  # fmt: skip
HISTORY_CAMPAIGNS = {"": 6, "vinter2025": 2, "sommarjobb": 1, "magasinet": 1}


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@transaction.atomic
def ledger_history_demo_load(*, region: Region, until: dt.date) -> int:
    """Anonymous ledger rows for the months from 2025 up to ``until`` (exclusive): about 35
    registrations, 30 first responses, 12 moves, magazine orders, newsletter subscriptions,
    event attendance and employers who found staff a month, so that the demo's statistics and
    quarterly report have a history. Nothing personal: the ledger has no households. Written
    once (returns 0 when the ledger already has rows before ``until``)."""
    import random

    from talang.reporting.ledger import stat_record
    from talang.reporting.models import StatEvent, StatKind

    if StatEvent.objects.filter(region_code=region.code, date__lt=until).exists():
        return 0
    rng = random.Random(23)  # noqa: S311 - fictitious, repeatable demo figures
    written = 0

    def pick(weights: dict[str, int]) -> str:
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    def day_in(month: dt.date) -> dt.date:
        last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return month.replace(day=rng.randint(1, min(last.day, 28)))

    def record(**row) -> None:
        nonlocal written
        if row["date"] < until:
            stat_record(region_code=region.code, **row)
            written += 1

    for month in _months_between(HISTORY_START, until - dt.timedelta(days=1)):
        for _ in range(rng.randint(25, 45)):
            municipality = pick(HISTORY_MUNICIPALITIES)
            day = day_in(month)
            form = f"guidance:{municipality or region.code}"
            record(
                kind=StatKind.REGISTRATION,
                date=day,
                municipality_code=municipality,
                channel=form,
                campaign=pick(HISTORY_CAMPAIGNS),
                origin=pick(HISTORY_ORIGINS),
                size=rng.choice([1, 1, 2, 2, 2, 3, 4, 5]),
            )
            late = rng.random() < 0.12
            record(
                kind=StatKind.FIRST_RESPONSE_LATE if late else StatKind.FIRST_RESPONSE_ON_TIME,
                date=day + dt.timedelta(days=rng.randint(1, 9 if late else 6)),
                municipality_code=municipality,
                channel=form,
            )
        for _ in range(rng.randint(8, 16)):
            day = day_in(month)
            registered = day - dt.timedelta(days=rng.randint(40, 400))
            # A move keeps the form its household registered through: mostly the form of the
            # municipality it moves to, else the region's or another municipality's.
            moved_to = pick(MOVE_MUNICIPALITIES)
            came_through = moved_to if rng.random() < 0.7 else pick(HISTORY_MUNICIPALITIES)
            record(
                kind=StatKind.MOVE,
                date=day,
                municipality_code=moved_to,
                channel=f"guidance:{came_through or region.code}",
                campaign=pick(HISTORY_CAMPAIGNS),
                origin=pick(HISTORY_ORIGINS),
                size=rng.choice([1, 2, 2, 3, 4]),
                cohort=registered.replace(day=1),
                days=(day - registered).days,
            )
        for kind, low, high, channel in (
            (StatKind.MAGAZINE_ORDER, 6, 14, f"magazine:{region.code}"),
            (StatKind.SUBSCRIPTION, 10, 20, ""),
            (StatKind.UNSUBSCRIPTION, 1, 4, ""),
        ):
            for _ in range(rng.randint(low, high)):
                record(kind=kind, date=day_in(month), channel=channel)
        if month.month in (3, 6, 9, 11):  # the spring, summer and autumn meet-ups
            for _meetup in range(rng.randint(1, 2)):
                day, place = day_in(month), pick(MOVE_MUNICIPALITIES)
                for _ in range(rng.randint(12, 40)):
                    record(kind=StatKind.EVENT_ATTENDANCE, date=day, municipality_code=place)
        for _ in range(rng.randint(1, 5)):
            record(
                kind=StatKind.EMPLOYER_FOUND_STAFF,
                date=day_in(month),
                municipality_code=pick(MOVE_MUNICIPALITIES),
            )
    return written
