"""First-response compliance, for the coordinator: per municipality and per guide, how many
first responses fell due in a period, how many were given on time or late, how many are still
missing past their deadline, and how many are not due yet.

A case counts in the period in which its first response was due. A case closed without a first
response (a duplicate merged into another household) is left out. An answered case is credited
to the author of its first outgoing contact, the one that met the first response; a case not
answered yet is counted on its assigned guide.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext as _

from talang.accounts.models import Region, User
from talang.guidance.models import OUTGOING, Activity, GuidanceCase
from talang.lib.workdays import STOCKHOLM

COUNTS = ("due", "on_time", "late", "overdue", "pending")


@dataclass
class Row:
    label: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    @property
    def decided(self) -> int:
        """Cases whose outcome is known: answered, or past the deadline without an answer."""
        return self.on_time + self.late + self.overdue

    @property
    def share(self) -> int | None:
        """Answered on time, in per cent of the decided cases; None when there are none."""
        return round(100 * self.on_time / self.decided) if self.decided else None

    def add(self, counts: dict) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + counts[name])


@dataclass
class Compliance:
    start: dt.date
    end: dt.date
    municipalities: list[Row] = field(default_factory=list)
    guides: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row(label=""))


def _counts(today: dt.date) -> dict:
    answered_on = TruncDate("first_response_at", tzinfo=STOCKHOLM)
    unanswered = Q(first_response_at__isnull=True)
    return {
        "due": Count("pk"),
        "on_time": Count("pk", filter=LessThanOrEqual(answered_on, F("first_response_due"))),
        "late": Count("pk", filter=GreaterThan(answered_on, F("first_response_due"))),
        "overdue": Count("pk", filter=unanswered & Q(first_response_due__lt=today)),
        "pending": Count("pk", filter=unanswered & Q(first_response_due__gte=today)),
    }


def cases_due_between(*, region: Region, start: dt.date, end: dt.date) -> QuerySet:
    """The region's cases whose first response fell due from ``start`` to ``end``."""
    return GuidanceCase.objects.filter(
        region=region, first_response_due__gte=start, first_response_due__lte=end
    ).exclude(closed_at__isnull=False, first_response_at__isnull=True)


def compliance_for_region(
    *, region: Region, start: dt.date, end: dt.date, today: dt.date
) -> Compliance:
    """The counts per municipality (every one of the region, then the region's queue) and
    per guide (by name, then the cases nobody answered or was assigned), in four queries."""
    cases = cases_due_between(region=region, start=start, end=end)
    counts = _counts(today)
    report = Compliance(start=start, end=end, total=Row(label=_("Total")))

    by_municipality = {
        row.pop("municipality_id"): row
        for row in cases.values("municipality_id").annotate(**counts).order_by()
    }
    for municipality in region.municipalities.order_by("name"):
        report.municipalities.append(Row(label=municipality.name))
        report.municipalities[-1].add(
            by_municipality.get(municipality.pk, dict.fromkeys(COUNTS, 0))
        )
    queue = Row(label=_("The region's queue"))
    queue.add(by_municipality.get(None, dict.fromkeys(COUNTS, 0)))
    report.municipalities.append(queue)
    for row in report.municipalities:
        report.total.add({name: getattr(row, name) for name in COUNTS})

    responder = (
        Activity.objects.filter(case=OuterRef("pk"), kind__in=OUTGOING)
        .order_by("pk")
        .values("author_id")[:1]
    )
    credited = cases.annotate(
        guide_id=Case(
            When(first_response_at__isnull=False, then=Subquery(responder)),
            default=F("assigned_guide_id"),
            output_field=IntegerField(),
        )
    )
    by_guide = {
        row.pop("guide_id"): row
        for row in credited.values("guide_id").annotate(**counts).order_by()
    }
    names = User.objects.filter(pk__in=[pk for pk in by_guide if pk is not None]).in_bulk()
    for pk, user in sorted(names.items(), key=lambda item: (item[1].full_name, item[0])):
        report.guides.append(Row(label=user.full_name or user.email))
        report.guides[-1].add(by_guide[pk])
    if None in by_guide:
        report.guides.append(Row(label=_("No guide")))
        report.guides[-1].add(by_guide[None])
    return report
