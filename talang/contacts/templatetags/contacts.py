from django import template
from django.utils.translation import get_language

from talang.contacts import services
from talang.lib.countries import country_name
from talang.lib.validators import display_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number as people write it: 070-123 45 67 for Swedish numbers."""
    return display_phone(value) if value else ""


@register.filter
def address_line(value) -> str:
    """A postal address (a dict or a PostalAddress) on one line."""
    return services.address_line(value)


@register.filter
def country(code: str) -> str:
    """An ISO country code as the country's name in the page's language."""
    return country_name(code, get_language() or "sv") if code else ""
