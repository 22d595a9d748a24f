"""`make run`: prepare the embedded database, then run the web server and the worker."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from talang.accounts.demo import DEMO_PASSWORD, DEMO_REGION, demo_load, demo_logins
from talang.accounts.models import Region


class Command(BaseCommand):
    help = "Migrate, load the demo region into a new database, and run Talang with its worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
        parser.add_argument("--workers", type=int, default=2, help="Web server processes.")

    def handle(self, *args, port: int, workers: int, **options):
        self.stdout.write("Preparing the database …")
        call_command("migrate", interactive=False, verbosity=0)
        new = not Region.objects.exists()
        if new and settings.TALANG_DEMO:
            self.stdout.write("New database: loading the demo region …")
            demo_load()
            # The intake app is above accounts; imported here, where the whole site is loaded.
            from talang.intake.demo import demo_households_load

            demo_households_load()
            # The agreement's goals and budget, with outcomes so far (by name: accounts does
            # not import reporting).
            call_command("talang_agreement", DEMO_REGION, "--demo", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # Links in e-mails point at this server unless TALANG_BASE_URL says otherwise.
        env.setdefault("TALANG_BASE_URL", f"http://127.0.0.1:{port}")
        manage = [sys.executable, "manage.py"]
        web = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "talang.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            env=env,
        )
        worker = subprocess.Popen(  # noqa: S603
            [*manage, "talang_worker", "--verbosity", "0"], env=env
        )
        children = [web, worker]

        def stop(*_args):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self._greet(port)
        parent = os.getppid()
        try:
            # Stop with the children, or when whoever started us (make) has gone.
            while all(child.poll() is None for child in children) and os.getppid() == parent:
                time.sleep(0.5)
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write("Talang has stopped.")

    def _greet(self, port: int) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Talang runs at http://127.0.0.1:{port}/"))
        self.stdout.write(f"Health check: http://127.0.0.1:{port}/healthz")
        if settings.TALANG_DEMO:
            self.stdout.write(f"Demo accounts (fictitious people), password {DEMO_PASSWORD}:")
            for email, role in demo_logins():
                self.stdout.write(f"  {email:<32} {role}")
            self.stdout.write("In this demo the demo accounts skip the second factor.")
        self.stdout.write("Stop with Ctrl-C.")
