"""The one e-mail pipeline: render per language, send after commit through the worker.

Templates live in ``templates/emails/`` as ``<name>-subject.txt``,
``<name>-body.txt`` and ``<name>-body.html``. Subjects never carry personal data.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def make_message(
    name: str, to: str, context: dict, *, language: str, reply_to: list[str] | None = None
) -> EmailMultiAlternatives:
    context = {**context, "base_url": settings.TALANG_BASE_URL}
    with translation.override(language):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    subject = settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    message = EmailMultiAlternatives(subject, text, to=[to], reply_to=reply_to or None)
    message.attach_alternative(html, "text/html")
    return message


def send_after_commit(
    name: str, to: str, context: dict, *, language: str, reply_to: list[str] | None = None
) -> None:
    """Queue the message once the current transaction commits; the worker sends it."""
    from talang.accounts.tasks import send_email

    extra = {"reply_to": reply_to} if reply_to else {}
    transaction.on_commit(
        lambda: send_email.enqueue(name=name, to=to, context=context, language=language, **extra)
    )
