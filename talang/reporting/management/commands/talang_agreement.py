from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from talang.accounts.models import Region
from talang.lib.workdays import local_date
from talang.reporting.budget import AGREEMENTS_DIR, agreement_data, agreement_load


class Command(BaseCommand):
    help = (
        "Load an agreement's goals and yearly budget lines (cost and financing) from JSON for "
        "its region (idempotent; outcomes already entered are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            help="A shipped agreement ("
            + ", ".join(p.stem for p in AGREEMENTS_DIR.glob("*.json"))
            + ") or the path of a JSON file in the same shape.",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also copy the budget to this year and enter fictitious outcomes "
            "(only with TALANG_DEMO=true).",
        )

    def handle(self, *args, source: str, demo: bool, **options):
        if demo and not settings.TALANG_DEMO:
            raise CommandError("Fictitious outcomes are only entered with TALANG_DEMO=true.")
        try:
            data = agreement_data(source)
            region = Region.objects.filter(code=str(data.get("region", ""))).first()
            if region is None:
                raise CommandError(
                    f"Load region {data.get('region')!r} first (talang_region), then the agreement."
                )
            loaded = agreement_load(region=region, data=data)
            if demo:
                from talang.reporting.demo import budget_demo_load, ledger_history_demo_load

                today = local_date(timezone.now())
                entered = budget_demo_load(region=region, today=today)
                history = ledger_history_demo_load(region=region, until=_live_since(region, today))
                if options["verbosity"]:
                    self.stdout.write(f"Demo outcomes entered: {entered}")
                    self.stdout.write(f"Demo ledger history: {history} rows")
        except FileNotFoundError:
            raise CommandError(f"No agreement file: {source}") from None
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            raise CommandError(
                f"The agreement file is not in the expected shape: {error}"
            ) from None
        except ValidationError as error:
            raise CommandError("The agreement file: " + " ".join(error.messages)) from None
        years = ", ".join(str(year) for year in loaded.years) or "none"
        if options["verbosity"]:
            self.stdout.write(
                f"Region {region.code}: {loaded.goals} goals, {loaded.lines} budget lines ({years})"
            )


def _live_since(region: Region, today):
    """The first day with a household in the register: the demo's history ends the day before."""
    from django.db.models import Min

    from talang.contacts.models import Household

    first = Household.objects.filter(region=region).aggregate(first=Min("registered_at"))["first"]
    return min(local_date(first), today) if first else today
