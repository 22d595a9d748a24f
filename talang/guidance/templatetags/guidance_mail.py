"""The e-mail panel of the contact card, with its forms, so that the card's own view need not
know about them (talang/guidance/mail_views.py passes bound forms back in after an error)."""

from django import template
from django.conf import settings

from talang.guidance.mail_forms import ComposeForm, TemplateForm, UploadForm

register = template.Library()


@register.inclusion_tag("guidance/mail_panel.html", takes_context=True)
def email_panel(context) -> dict:
    people = [person for person in context["people"] if person.email]
    contact = context.get("contact")
    initial = {"person": contact.pk if contact and contact.email else None}
    return {
        "household": context["household"],
        "recipients": people,
        "template_form": context.get("template_form") or TemplateForm(),
        "email_form": context.get("email_form") or ComposeForm(recipients=people, initial=initial),
        "upload_form": context.get("upload_form") or UploadForm(),
        "drop_address": settings.TALANG_DROP_ADDRESS,
        "csrf_token": context.get("csrf_token"),
    }
