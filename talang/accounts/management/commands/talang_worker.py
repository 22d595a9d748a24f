import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from talang.lib import schedule


class Command(BaseCommand):
    help = "Run the task worker (db_worker) together with the scheduler of periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument("--no-scheduler", action="store_true", help="Run tasks only.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, no_scheduler: bool, interval: float, **options):
        stop = threading.Event()
        if not no_scheduler:
            threading.Thread(
                target=schedule.run_forever, args=(stop,), name="talang-scheduler", daemon=True
            ).start()
        try:
            call_command("db_worker", interval=interval, verbosity=options["verbosity"])
        finally:
            stop.set()
