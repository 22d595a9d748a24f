"""Form fields for what people type: text in any script, e-mail addresses, phone numbers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from talang.lib.validators import clean_text, normalise_email, normalise_phone


def blank(choices) -> list:
    return [("", _("Choose…")), *choices]


class TextField(forms.CharField):
    """Free text in any script; control characters removed, markup kept as text."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


class EmailField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_email(value) if value else ""


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else ""
