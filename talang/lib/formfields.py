"""Form fields for what people type: text in any script, e-mail addresses, phone numbers."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from talang.lib.validators import clean_text, normalise_email, normalise_phone


def error_summary(form) -> list[tuple[str, str]]:
    """(id of the field, text) for each of ``form``'s errors, in the order of its fields on the
    page: the form-wide errors first (no id), then each field's label and message."""
    rows = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            anchor = field.id_for_label or field.subwidgets[0].id_for_label
            rows.append((anchor, error_line(str(field.label), str(error))))
    return rows


def error_line(label: str, message: str) -> str:
    """A label and its field's error as one line: "How should we contact you? This field …",
    never "…you?: This field …"."""
    label = label.rstrip(" :.")
    return f"{label} {message}" if label.endswith(("?", "!")) else f"{label}: {message}"


def blank(choices) -> list:
    return [("", _("Choose…")), *choices]


class FixedChoiceField(forms.ChoiceField):
    """A choice field whose choices are set once, where it is declared. Every form made from
    the class shares them instead of copying them, which was a third of the cost of building
    the registration form for each post."""

    def __deepcopy__(self, memo):
        # As forms.Field.__deepcopy__, but the field and its widget keep the same choices: they
        # are never changed in place (setting new ones replaces the list), and copying the
        # widget the usual way would normalise them again.
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        memo[id(self.widget)] = result.widget
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


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
