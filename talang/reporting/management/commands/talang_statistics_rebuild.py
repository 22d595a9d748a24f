from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from talang.accounts.models import Region
from talang.lib.progress import Progress
from talang.reporting.monthly import monthly_rebuild


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
