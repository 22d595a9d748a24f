import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from talang.accounts.models import Region
from talang.reporting.monthly import monthly_rebuild


class Progress:
    """One line on stderr, rewritten in place (as `make bench` shows its progress)."""

    def __init__(self, stream, label: str):
        self.stream, self.label = stream, label
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1
        bar = "#" * int(share * 30)
        self.stream.write(
            f"\r  {self.label:<12} [{bar:<30}] {share:4.0%} {done:>9}/{total}"
            f" {time.perf_counter() - self.started:6.1f} s",
            ending="\n" if done >= total else "",
        )
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Rebuild the monthly statistics table from the ledger (after a bulk load, or when "
        "talang_ledger_check finds them different). Safe while Talang runs: one transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help="Region code, e.g. 23 (default: every region)")

    def handle(self, *args, region=None, **options):
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(
                _("No region with the code %(code)s.") % {"code": region}, returncode=2
            )
        written = monthly_rebuild(
            region_code=region or None, progress=Progress(self.stderr, _("ledger rows"))
        )
        self.stdout.write(_("Monthly table rebuilt: %(count)s rows.") % {"count": written})
