import logging

from django.utils import timezone
from django_tasks import task

from talang.guidance import digest, mailbox

logger = logging.getLogger(__name__)


@task()
def digest_send_daily() -> None:
    """Send the day's digests to the guides (enqueued every hour; sends from 07:00, once)."""
    digest.digest_send_due(now=timezone.now())


@task()
def mailbox_poll() -> None:
    """Read the drop mailbox into the cards (enqueued every minute; nothing if not set up)."""
    try:
        mailbox.mailbox_poll()
    except mailbox.MailboxError as error:
        # One line a minute in the worker's log, not a failed task with a traceback.
        logger.error("drop mailbox: %s", error)
