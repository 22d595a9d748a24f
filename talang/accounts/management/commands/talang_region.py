import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talang.accounts.demo import REGIONS_DIR, region_data
from talang.accounts.services import region_load


class Command(BaseCommand):
    help = "Load or update a region, its municipalities and population figures from JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            help="A shipped region ("
            + ", ".join(p.stem for p in REGIONS_DIR.glob("*.json"))
            + ") or the path of a JSON file in the same shape.",
        )

    def handle(self, *args, source: str, **options):
        path = Path(source)
        try:
            data = (
                json.loads(path.read_text("utf-8"))
                if path.suffix == ".json"
                else region_data(source)
            )
            region = region_load(data=data)
        except FileNotFoundError:
            raise CommandError(f"No region file: {source}") from None
        except (KeyError, ValueError, TypeError) as error:
            raise CommandError(f"The region file is not in the expected shape: {error}") from None
        self.stdout.write(f"{region.name}: {region.municipalities.count()} municipalities")
