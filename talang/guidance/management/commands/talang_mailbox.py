from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from talang.guidance import mail, mailbox


class Command(BaseCommand):
    help = (
        "poll: read the drop mailbox (TALANG_IMAP_URL) into the contact cards now; "
        "ingest FILE…: read .eml files as if they had come to the drop address."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["poll", "ingest"])
        parser.add_argument("files", nargs="*", help="ingest: the .eml files")

    def handle(self, *args, action: str, files: list[str], **options):
        if action == "ingest":
            if not files:
                raise CommandError("ingest: name at least one .eml file")
            for name in files:
                try:
                    raw = Path(name).read_bytes()
                except OSError as error:
                    raise CommandError(f"{name}: {error.strerror}") from None
                result = mail.email_ingest(raw_bytes=raw, source="file")
                state = "stored" if result.created else "already known"
                self.stdout.write(
                    f"{name}: {state}, {result.inbound.state}, {len(result.households)} households"
                )
            return
        if files:
            raise CommandError("poll takes no files")
        try:
            result = mailbox.mailbox_poll()
        except mailbox.MailboxError as error:
            raise CommandError(str(error)) from None
        if result is None:
            raise CommandError("TALANG_IMAP_URL is not set: there is no mailbox to poll")
        self.stdout.write(
            f"read {result.fetched}, stored {result.stored}, "
            f"already known {result.duplicates}, failed {result.failed}"
        )
