from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from talang.accounts.demo import DEMO_PASSWORD, DEMO_REGION, demo_load, demo_logins


class Command(BaseCommand):
    help = "Load the demo region and one fictitious account for each persona (idempotent)."

    def handle(self, *args, **options):
        if not settings.TALANG_DEMO:
            # The demo accounts have a published password: never on a real register.
            raise CommandError("The demo accounts are only loaded with TALANG_DEMO=true.")
        demo_load()
        from talang.intake.demo import demo_households_load

        demo_households_load()
        # The agreement's goals and budget, with outcomes so far (by name: accounts does not
        # import reporting).
        call_command("talang_agreement", DEMO_REGION, "--demo", verbosity=0)
        self.stdout.write("Demo accounts (fictitious), password: " + DEMO_PASSWORD)
        for email, role in demo_logins():
            self.stdout.write(f"  {email:<32} {role}")
