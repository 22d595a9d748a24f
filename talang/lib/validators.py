"""Validators for what people type into public forms: phone numbers, e-mail addresses, text."""

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from email_validator import EmailNotValidError, validate_email

# C0 controls but tab and line breaks, DEL, and the C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalise_phone(raw: str, region: str = "SE") -> str:
    """A phone number in E.164 (+46701234567); Swedish unless it starts with + or 00."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("Enter a phone number, for example 070-123 45 67."), code="phone"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("This phone number does not exist. Check the digits."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """Shown in the national format for Swedish numbers, international for others."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 46
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def normalise_email(raw: str) -> str:
    """The address in lower case, checked for syntax only (never over the network)."""
    try:
        result = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            _("Enter an e-mail address like name@example.se."), code="email"
        ) from None
    return result.normalized.lower()


def clean_text(value: str) -> str:
    """Text as typed, in Unicode NFC, without control characters. Markup stays text.

    Controls go first: one between a letter and its accent would otherwise keep them apart
    through the normalisation and leave text that is not NFC."""
    return unicodedata.normalize("NFC", CONTROL.sub("", value)).strip()
