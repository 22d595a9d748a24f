"""The ledger check: the statistics ledger against the live data, kind by kind, with every
difference explained or flagged, and the monthly table derived from the ledger against a
recount of the ledger.

The ledger only grows; the live data shrinks when households are erased (by the person, by
staff, by the retention rule) or merged. So the ledger may hold more than the live data, as far
as those deletions reach, and never less: a live event without its ledger row is a bug (or a
ledger row deleted by hand). Erasure records carry no registration date, so an erasure on or
after the start of the period may explain a row of the period (an upper bound, not a match).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from talang.accounts.models import Region
from talang.contacts.models import Household, MoveStatus
from talang.guidance.models import Activity, ActivityKind, GuidanceCase
from talang.outreach.models import MagazineOrder, Subscription
from talang.privacy.models import ErasureRecord
from talang.reporting.models import StatEvent, StatKind
from talang.reporting.monthly import MonthlyDifference, monthly_differences
from talang.reporting.statistics import UNDONE

WITHOUT_LIVE = [StatKind.EMPLOYER_FOUND_STAFF, StatKind.EVENT_ATTENDANCE]


@dataclass(frozen=True)
class Explanation:
    label: str
    count: int
    # False: one deletion may remove any number of rows of this kind (a household's
    # magazine orders), so it explains any surplus when it happened at all.
    bounded: bool = True


@dataclass(frozen=True)
class KindCheck:
    kind: str
    label: str
    ledger: int
    live: int | None  # None: the event has no live counterpart
    explanations: list[Explanation] = field(default_factory=list)

    @property
    def difference(self) -> int | None:
        return None if self.live is None else self.ledger - self.live

    @property
    def explained(self) -> bool:
        difference = self.difference
        if difference is None or difference == 0:
            return True
        if difference < 0:
            return False
        if any(not e.bounded and e.count for e in self.explanations):
            return True
        return difference <= sum(e.count for e in self.explanations if e.bounded)


@dataclass(frozen=True)
class LedgerCheck:
    region: Region
    start: dt.date | None
    end: dt.date
    live_since: dt.date | None
    before_live: int  # ledger rows of the period dated before the live data starts
    kinds: list[KindCheck]
    # Where the monthly table (the ledger counted by month, all of the region's months)
    # differs from a recount of the ledger; empty when they agree.
    monthly: list[MonthlyDifference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(kind.explained for kind in self.kinds) and not self.monthly


def _local_bounds(start: dt.date | None, end: dt.date) -> tuple[dt.datetime | None, dt.datetime]:
    zone = timezone.get_current_timezone()
    lower = dt.datetime.combine(start, dt.time.min, tzinfo=zone) if start else None
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return lower, upper


def _within(name: str, lower: dt.datetime | None, upper: dt.datetime) -> Q:
    condition = Q(**{f"{name}__lt": upper})
    return condition & Q(**{f"{name}__gte": lower}) if lower else condition


def _live_since(region: Region) -> dt.date | None:
    """The first day of the live data: its oldest household, order or subscription."""
    firsts = [
        Household.objects.filter(region=region).aggregate(at=Min("registered_at"))["at"],
        MagazineOrder.objects.filter(region=region).aggregate(at=Min("ordered_at"))["at"],
        Subscription.objects.filter(region=region).aggregate(at=Min("created_at"))["at"],
    ]
    firsts = [timezone.localdate(at) for at in firsts if at is not None]
    return min(firsts) if firsts else None


def _ledger_counts(region: Region, start: dt.date, end: dt.date) -> dict[tuple[str, str], int]:
    rows = (
        StatEvent.objects.filter(region_code=region.code, date__gte=start, date__lte=end)
        .values("kind", "detail")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["kind"], row["detail"]): row["n"] for row in rows}


def _erasures(region: Region, lower: dt.datetime | None) -> list[Explanation]:
    """Households erased since the start of the period, by reason. Records of a person's own
    erasure carry no region; they are counted for every region."""
    records = ErasureRecord.objects.filter(Q(region=region) | Q(region__isnull=True))
    if lower:
        records = records.filter(erased_at__gte=lower)
    rows = records.values("reason").annotate(n=Sum("households")).order_by("reason")
    labels = dict(ErasureRecord.Reason.choices)
    explanations = []
    for row in rows:
        reason = labels.get(row["reason"], row["reason"])
        label = _("households erased (%(reason)s)") % {"reason": reason}
        if row["n"]:
            explanations.append(Explanation(label, row["n"]))
    return explanations


def _first_responses(region: Region, lower, upper) -> dict[str, int]:
    responded = TruncDate("first_response_at", tzinfo=timezone.get_current_timezone())
    return GuidanceCase.objects.filter(
        _within("first_response_at", lower, upper), region=region
    ).aggregate(
        on_time=Count("id", filter=Q(first_response_due__gte=responded)),
        late=Count("id", filter=Q(first_response_due__lt=responded)),
    )


def _moves(region: Region, lower, upper) -> int:
    moves = GuidanceCase.objects.filter(
        region=region, status=MoveStatus.MOVED, moved_on__lt=upper.date()
    )
    return (moves.filter(moved_on__gte=lower.date()) if lower else moves).count()


def _since(queryset, name: str, lower):
    return queryset.filter(**{f"{name}__gte": lower}) if lower else queryset


def ledger_check(
    *, region: Region, start: dt.date | None = None, end: dt.date | None = None
) -> LedgerCheck:
    """Compare the ledger with the live data of ``region`` from ``start`` (None: the
    beginning) to ``end`` (None: today), inclusive local dates. Ledger rows dated before the
    live data starts are counted apart: there is nothing left to compare them with."""
    end = end or timezone.localdate()
    live_since = _live_since(region)
    compared_from = max(filter(None, [start, live_since]), default=None)
    lower, upper = _local_bounds(compared_from, end)

    period = StatEvent.objects.filter(region_code=region.code, date__lte=end)
    period = period.filter(date__gte=start) if start else period
    comparable = period.exclude(kind__in=WITHOUT_LIVE)
    before_live = (comparable.filter(date__lt=live_since) if live_since else comparable).count()
    counts = _ledger_counts(region, compared_from or dt.date.min, end) if live_since else {}

    def ledger(kind: str, detail: str | None = None) -> int:
        return sum(n for (k, d), n in counts.items() if k == kind and detail in (None, d))

    erased = _erasures(region, lower)
    # One erasure may take any number of orders, subscriptions or status changes with it.
    erased_any = [Explanation(e.label, e.count, bounded=False) for e in erased]
    merges = _since(
        Activity.objects.filter(household__region=region, kind=ActivityKind.MERGE),
        "occurred_at",
        lower,
    ).count()
    merged = [Explanation(_("households merged into another"), merges)] if merges else []
    subscriptions = Subscription.objects.filter(region=region)
    # Confirmed again after unsubscribing: the row keeps only its latest dates, the ledger
    # has a row for every time.
    again = subscriptions.filter(
        confirmed_at__isnull=False,
        unsubscribed_at__isnull=False,
        confirmed_at__gt=F("unsubscribed_at"),
    ).count()
    resubscribed = (
        [Explanation(_("subscriptions confirmed again after unsubscribing"), again, False)]
        if again
        else []
    )
    responses = _first_responses(region, lower, upper)
    live = {
        StatKind.REGISTRATION: Household.objects.filter(
            _within("registered_at", lower, upper), region=region
        ).count(),
        StatKind.FIRST_RESPONSE_ON_TIME: responses["on_time"],
        StatKind.FIRST_RESPONSE_LATE: responses["late"],
        StatKind.MOVE: _moves(region, lower, upper),
        StatKind.STATUS_CHANGE: Activity.objects.filter(
            _within("occurred_at", lower, upper),
            household__region=region,
            kind=ActivityKind.STATUS_CHANGE,
        ).count(),
        StatKind.MAGAZINE_ORDER: MagazineOrder.objects.filter(
            _within("ordered_at", lower, upper), region=region
        ).count(),
        StatKind.SUBSCRIPTION: subscriptions.filter(_within("confirmed_at", lower, upper)).count(),
        StatKind.UNSUBSCRIPTION: subscriptions.filter(
            _within("unsubscribed_at", lower, upper), confirmed_at__isnull=False
        ).count(),
    }
    explanations = {
        StatKind.REGISTRATION: erased + merged,
        StatKind.FIRST_RESPONSE_ON_TIME: erased,
        StatKind.FIRST_RESPONSE_LATE: erased,
        StatKind.MOVE: erased,
        StatKind.STATUS_CHANGE: erased_any,
        StatKind.MAGAZINE_ORDER: erased_any,
        StatKind.SUBSCRIPTION: erased_any + resubscribed,
        StatKind.UNSUBSCRIPTION: erased_any + resubscribed,
    }
    kinds = []
    for kind, found in live.items():
        counted = ledger(kind)
        if kind == StatKind.MOVE:
            counted = ledger(kind, "") - ledger(kind, UNDONE)
        kinds.append(KindCheck(kind, _label(kind), counted, found, explanations[kind]))
    for kind in WITHOUT_LIVE:
        # What the statistics count: what was recorded, less what was taken back.
        rows = period.filter(kind=kind).exclude(detail=UNDONE).count()
        rows -= period.filter(kind=kind, detail=UNDONE).count()
        reason = _("no live counterpart: the ledger is the only record")
        kinds.append(KindCheck(kind, _label(kind), rows, None, [Explanation(reason, rows)]))
    return LedgerCheck(
        region=region,
        start=start,
        end=end,
        live_since=live_since,
        before_live=before_live,
        kinds=kinds,
        monthly=monthly_differences(region_code=region.code),
    )


def _label(kind: str) -> str:
    if kind == StatKind.MOVE:
        return _("Moves (less moves taken back)")
    return str(StatKind(kind).label)
