"""The one e-mail pipeline: render per language, queue with the transaction, the worker sends.

Templates live in ``templates/emails/`` as ``<name>-subject.txt``,
``<name>-body.txt`` and ``<name>-body.html``. Subjects never carry personal data.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks_db.backend import DatabaseBackend

# The messages to households and subscribers: they know the region and its guides, not the
# name of the system, so their subjects carry no "[Talang]".
TO_THE_PUBLIC = {
    "guide-message",
    "my-data-link",
    "newsletter-confirm",
    "registration-confirmation",
}


def make_message(
    name: str, to: str, context: dict, *, language: str, reply_to: list[str] | None = None
) -> EmailMultiAlternatives:
    context = {**context, "base_url": settings.TALANG_BASE_URL}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    prefix = "" if name in TO_THE_PUBLIC else settings.EMAIL_SUBJECT_PREFIX
    subject = prefix + " ".join(subject.split())
    message = EmailMultiAlternatives(subject, text, to=[to], reply_to=reply_to or None)
    message.attach_alternative(html, "text/html")
    return message


def send_after_commit(
    name: str, to: str, context: dict, *, language: str, reply_to: list[str] | None = None
) -> None:
    """Queue the message for the worker, to be sent once the current transaction commits.

    With the database task queue (production), the task is written in the current
    transaction itself: it commits with what the message is about, or not at all, and a
    process that stops right after the commit loses no message. Other queues (the tests'
    immediate one) get it when the transaction has committed.
    """
    from talang.accounts.tasks import send_email

    extra = {"reply_to": reply_to} if reply_to else {}

    def enqueue():
        send_email.enqueue(name=name, to=to, context=context, language=language, **extra)

    if isinstance(send_email.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)
