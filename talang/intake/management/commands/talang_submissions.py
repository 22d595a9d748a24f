from django.core.management.base import BaseCommand

from talang.intake import services
from talang.lib.progress import Progress


class Command(BaseCommand):
    help = "List the submissions not yet processed, or process them again (replay)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "replay"])

    def handle(self, *args, action: str, **options):
        if action == "list":
            pending = services.submissions_unprocessed()
            for submission in pending:
                self.stdout.write(
                    f"{submission.reference}  {submission.received_at:%Y-%m-%d %H:%M}  "
                    f"{submission.kind:<10} {submission.state:<9} attempts={submission.attempts} "
                    f"{submission.last_error}"
                )
            self.stdout.write(f"{pending.count()} unprocessed")
            return
        progress = Progress(self.stderr, "submissions")
        done, failed = services.submissions_replay(progress=progress)
        self.stdout.write(f"processed {done}, still failing {failed}")
