import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from talang.guidance import digest
from talang.lib.workdays import local_date


class Command(BaseCommand):
    help = "Send the guides' daily digest now (each guide gets at most one a day)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="The day as YYYY-MM-DD; today (Stockholm) if left out.")

    def handle(self, *args, day: str | None, **options):
        try:
            today = dt.date.fromisoformat(day) if day else local_date(timezone.now())
        except ValueError:
            raise CommandError("--day: write the date as YYYY-MM-DD, e.g. 2026-11-23") from None
        sent = digest.digest_send(today=today)
        self.stdout.write(f"sent {sent} digests for {today.isoformat()}")
