import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from talang.accounts.models import Region
from talang.reporting.check import LedgerCheck, ledger_check

SHOWN = 20  # monthly differences listed


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Enter dates as YYYY-MM-DD, not %(value)r.") % {"value": value}, returncode=2
        ) from None


class Command(BaseCommand):
    help = (
        "Compare the statistics ledger with the live data kind by kind and explain each "
        "difference, and the monthly table with a recount of the ledger. Exit code 0 when "
        "every difference is explained and the monthly table agrees, 1 otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", help="Region code, e.g. 23 (default: every region)")
        parser.add_argument("--from", dest="start", type=str, help="First day, YYYY-MM-DD")
        parser.add_argument(
            "--to", dest="end", type=str, help="Last day, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, region=None, start=None, end=None, **options):
        start = _date(start) if start else None
        end = _date(end) if end else None
        if start and end and start > end:
            raise CommandError(_("--from must not be after --to."), returncode=2)
        regions = Region.objects.order_by("code")
        if region:
            regions = regions.filter(code=region)
            if not regions:
                raise CommandError(
                    _("No region with the code %(code)s.") % {"code": region}, returncode=2
                )
        checks = [ledger_check(region=r, start=start, end=end) for r in regions]
        for check in checks:
            self._print(check)
        if not all(check.ok for check in checks):
            raise CommandError(_("Some differences are not explained."), returncode=1)

    def _print(self, check: LedgerCheck) -> None:
        write = self.stdout.write
        period = f"{check.start or '…'} – {check.end}"
        write(f"{check.region.name} ({check.region.code}), {period}")
        if check.live_since:
            write(_("Live data since %(date)s.") % {"date": check.live_since})
        if check.before_live:
            write(
                _("%(count)s ledger rows are from before the live data started (not compared).")
                % {"count": check.before_live}
            )
        header = (_("Kind"), _("Ledger"), _("Live"), _("Difference"), _("Result"))
        widths = (32, 8, 8, 10, 12)
        write("  ".join(f"{title:<{width}}" for title, width in zip(header, widths, strict=True)))
        for kind in check.kinds:
            live = "–" if kind.live is None else str(kind.live)
            difference = "–" if kind.difference is None else f"{kind.difference:+d}"
            result = _("explained") if kind.explained else _("NOT EXPLAINED")
            if kind.difference == 0:
                result = _("equal")
            cells = (str(kind.label)[:32], str(kind.ledger), live, difference, result)
            write("  ".join(f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=True)))
            if kind.difference is not None and kind.difference < 0:
                write(
                    "    "
                    + _("live events without a ledger row: %(count)s") % {"count": -kind.difference}
                )
            elif kind.difference != 0:
                for explanation in kind.explanations:
                    write(f"    {explanation.label}: {explanation.count}")
        self._print_monthly(check)
        write("")

    def _print_monthly(self, check: LedgerCheck) -> None:
        write = self.stdout.write
        if not check.monthly:
            write(_("Monthly table: equal to the ledger."))
            return
        write(
            _(
                "Monthly table: NOT EQUAL to the ledger in %(count)s rows (a ledger row written"
                " or deleted without stat_record, or a bulk load). Rebuild it from the ledger"
                " with: manage.py talang_statistics_rebuild --region %(region)s"
            )
            % {"count": len(check.monthly), "region": check.region.code}
        )
        for difference in check.monthly[:SHOWN]:
            _code, dimension, kind, span, month, municipality, detail, value = difference.key
            where = ", ".join(
                part
                for part in (
                    month.isoformat()[:4] if span == 12 else month.isoformat()[:7],
                    kind,
                    detail,
                    municipality and _("municipality %(code)s") % {"code": municipality},
                    dimension and f"{dimension}={value}",
                )
                if part
            )
            write(
                "    "
                + _("%(where)s: table %(table)s, ledger %(ledger)s")
                % {"where": where, "table": difference.table, "ledger": difference.ledger}
            )
        if len(check.monthly) > SHOWN:
            write("    " + _("… and %(count)s more") % {"count": len(check.monthly) - SHOWN})
