"""The daily digest: every working day each active guide gets one e-mail listing the first
responses overdue, due today and due on the next working day, and the follow-ups due.

A guide's first responses are those of the cases of their municipality, of the region's queue
and of the cases assigned to them. A guide's follow-ups are those assigned to them, and the
unassigned ones of households in their municipality or the region's queue.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery

from talang.accounts.models import Membership, Role
from talang.contacts.models import Person, PersonRole
from talang.guidance.models import DigestSent, FollowUp, GuidanceCase
from talang.lib.emails import send_after_commit
from talang.lib.workdays import STOCKHOLM, add_working_days, is_working_day

# The hourly job sends the day's digests from this hour on (Stockholm time).
SEND_FROM_HOUR = 7
# Rows per list; a longer list ends with "and N more" and a link to the queue.
MAX_ROWS = 50


@dataclass
class Digest:
    overdue: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    due_next_day: list = field(default_factory=list)
    follow_ups: list = field(default_factory=list)

    LISTS = ("overdue", "due_today", "due_next_day", "follow_ups")

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self.LISTS)

    def context(self) -> dict:
        """The lists for the e-mail templates, cut to MAX_ROWS (JSON only: the task stores it)."""
        context = {}
        for name in self.LISTS:
            rows = getattr(self, name)
            context[name] = rows[:MAX_ROWS]
            context[f"{name}_more"] = max(0, len(rows) - MAX_ROWS)
        return context


def _first_name(household: str) -> Subquery:
    return Subquery(
        Person.objects.filter(household=OuterRef(household), role=PersonRole.MAIN)
        .order_by("pk")
        .values("first_name")[:1]
    )


class _Recipients:
    """Which guides a case or follow-up of a municipality (or the region's queue) concerns."""

    def __init__(self, memberships: list[Membership]):
        self.by_municipality = defaultdict(set)
        self.by_region = defaultdict(set)
        for membership in memberships:
            self.by_municipality[membership.municipality_id].add(membership.user_id)
            self.by_region[membership.region_id].add(membership.user_id)

    def of(self, *, municipality_id, region_id) -> set[int]:
        if municipality_id is None:
            return self.by_region.get(region_id, set())
        return self.by_municipality.get(municipality_id, set())


def _collect(memberships: list[Membership], *, today: dt.date) -> dict[int, Digest]:
    """The digest of each guide, in two queries whatever the number of guides."""
    next_day = add_working_days(today, 1)
    digests = {membership.user_id: Digest() for membership in memberships}
    recipients = _Recipients(memberships)
    user_ids = list(digests)
    region_ids = set(recipients.by_region)

    cases = (
        GuidanceCase.objects.filter(
            closed_at__isnull=True, first_response_at__isnull=True, first_response_due__lte=next_day
        )
        .filter(
            Q(municipality_id__in=set(recipients.by_municipality))
            | Q(municipality__isnull=True, region_id__in=region_ids)
            | Q(assigned_guide_id__in=user_ids)
        )
        .annotate(first_name=_first_name("household"))
        .values(
            "household__reference",
            "first_name",
            "first_response_due",
            "municipality_id",
            "municipality__name",
            "region_id",
            "assigned_guide_id",
        )
        .order_by("first_response_due", "household__reference")
    )
    for case in cases:
        due = case["first_response_due"]
        row = {
            "reference": case["household__reference"],
            "first_name": case["first_name"] or "",
            "due": due.isoformat(),
            "where": case["municipality__name"] or "",
        }
        concerned = set(
            recipients.of(municipality_id=case["municipality_id"], region_id=case["region_id"])
        )
        if case["assigned_guide_id"] in digests:
            concerned.add(case["assigned_guide_id"])
        name = "overdue" if due < today else "due_today" if due == today else "due_next_day"
        for user_id in concerned:
            getattr(digests[user_id], name).append(row)

    # An unassigned follow-up goes to the guides of the household's latest case.
    latest_case = GuidanceCase.objects.filter(household=OuterRef("household")).order_by(
        F("closed_at").desc(nulls_first=True), "-opened_at", "-pk"
    )
    follow_ups = (
        FollowUp.objects.filter(done_at__isnull=True, due_on__lte=today)
        .filter(
            Q(assignee_id__in=user_ids)
            | Q(assignee__isnull=True, household__region_id__in=region_ids)
        )
        .annotate(
            first_name=_first_name("household"),
            case_municipality_id=Subquery(latest_case.values("municipality_id")[:1]),
        )
        .values(
            "household__reference",
            "household__region_id",
            "first_name",
            "due_on",
            "assignee_id",
            "case_municipality_id",
        )
        .order_by("due_on", "pk")
    )
    for follow_up in follow_ups:
        row = {
            "reference": follow_up["household__reference"],
            "first_name": follow_up["first_name"] or "",
            "due": follow_up["due_on"].isoformat(),
        }
        if follow_up["assignee_id"] is not None:
            concerned = {follow_up["assignee_id"]}
        else:
            concerned = recipients.of(
                municipality_id=follow_up["case_municipality_id"],
                region_id=follow_up["household__region_id"],
            )
        for user_id in concerned:
            digests[user_id].follow_ups.append(row)
    return digests


def _claim(*, user_ids: list[int], day: dt.date) -> list[int]:
    """Record the digests as sent; leave out those another run recorded first."""
    try:
        with transaction.atomic():
            DigestSent.objects.bulk_create(DigestSent(user_id=pk, day=day) for pk in user_ids)
        return user_ids
    except IntegrityError:
        claimed = []
        for user_id in user_ids:
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user_id=user_id, day=day)
            except IntegrityError:
                continue
            claimed.append(user_id)
        return claimed


@transaction.atomic
def digest_send(*, today: dt.date) -> int:
    """Send each active guide the digest of ``today``, in the guide's language.

    Nothing on a day that is not a working day; nothing to a guide with nothing to report;
    never a second digest to the same guide for the same day. Returns how many were sent.
    A constant number of queries, whatever the number of guides.
    """
    if not is_working_day(today):
        return 0
    memberships = list(
        Membership.objects.filter(role=Role.GUIDE, user__is_active=True)
        .exclude(user__digests_sent__day=today)
        .select_related("user")
    )
    if not memberships:
        return 0
    digests = _collect(memberships, today=today)
    users = {membership.user_id: membership.user for membership in memberships}
    claimed = _claim(user_ids=[pk for pk, digest in digests.items() if digest], day=today)
    next_day = add_working_days(today, 1)
    for user_id in claimed:
        user = users[user_id]
        send_after_commit(
            "digest",
            user.email,
            {
                "name": user.get_short_name(),
                "day": today.isoformat(),
                "next_day": next_day.isoformat(),
                **digests[user_id].context(),
            },
            language=user.language or "sv",
        )
    return len(claimed)


def digest_send_due(*, now: dt.datetime) -> int:
    """What the hourly job runs: from SEND_FROM_HOUR Stockholm time on, today's digests."""
    local = now.astimezone(STOCKHOLM)
    if local.hour < SEND_FROM_HOUR:
        return 0
    return digest_send(today=local.date())
