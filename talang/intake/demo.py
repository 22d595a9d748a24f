"""Fictitious households for the demo, registered through the real intake path."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from talang.contacts.models import Household
from talang.guidance import services as guidance
from talang.guidance.models import ActivityKind, GuidanceCase
from talang.intake import services
from talang.intake.models import Submission

FIRST = [
    "Alva",
    "Björn",
    "Clara",
    "David",
    "Elin",
    "Frans",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Klara",
    "Leo",
    "Maja",
    "Nils",
    "Olivia",
    "Pontus",
    "Saga",
    "Tove",
    "Ulf",
    "Vera",
]
LAST = ["Demosson", "Exempelberg", "Testström", "Påhittad", "Provlund"]
MUNICIPALITIES = [["2380"], ["2321"], ["2309"], [], ["2380", "2321"], ["2361"], ["2313"]]
COUNTRIES = ["SE", "SE", "SE", "NL", "DE", "NO"]


@transaction.atomic
def demo_households_load(*, count: int = 24, seed: int = 23) -> int:
    """Register ``count`` fictitious households (once); returns how many were added."""
    if Household.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, nothing secret
    now = timezone.now()
    for number in range(count):
        first, last = FIRST[number % len(FIRST)], LAST[number % len(LAST)]
        language = rng.choice(["sv", "sv", "sv", "en", "de", "nl"])
        payload = {
            "first_name": [first],
            "last_name": [f"{last} (demo)"],
            "email": [f"{first.lower()}.{number}@demo.talang.example"],
            "phone": [f"070-{rng.randint(1000000, 9999999)}"],
            "preferred_channel": [rng.choice(["phone", "email"])],
            "municipalities": MUNICIPALITIES[number % len(MUNICIPALITIES)],
            "consent_guidance": ["on"],
            "consent_version": ["1"],
            "timeline": [rng.choice(["within_3_months", "3_12_months", "1_2_years", "exploring"])],
            "origin_country": [rng.choice(COUNTRIES)],
            "help_wanted": ["Jobb inom vården och förskola för barnen (demo)."],
        }
        submission = services.submission_store(
            source=Submission.Source.FORM,
            kind=Submission.Kind.GUIDANCE,
            language=language,
            channel={"region": "23", "form": "guidance:23", "utm_campaign": "demo"},
            payload=payload,
            client="",
            received_at=now - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8)),
        )
        services.submission_process(submission=submission)
        if submission.state != Submission.State.PROCESSED:
            # A demo without its households would look like a bug to whoever opens it.
            raise RuntimeError(f"demo registration failed: {submission.last_error}")
    for case in GuidanceCase.objects.select_related("household")[: count // 3]:
        guidance.activity_record(
            household=case.household,
            case=case,
            kind=ActivityKind.CALL,
            author=None,
            body="Första samtal (demo).",
            data={"outcome": "reached"},
            occurred_at=case.opened_at + dt.timedelta(days=2),
        )
    return count
