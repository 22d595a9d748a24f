"""Numbers in the quarterly report and the budget pages, written the way the reader's language
writes them (3 570 000 in Swedish), with a dash for a figure that has no value."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

DASH = "–"


@register.filter
def figure(value, kind: str = "count") -> str:
    """A figure of the report: a count, a share (0.25 → 25,0 %) or days; "<5" stays as it is."""
    if value is None or value == "":
        return DASH
    if isinstance(value, str):
        return value
    if kind == "share":
        return f"{number_format(value * 100, 1, force_grouping=True)} %"
    if kind == "days":
        return number_format(value, 1 if value % 1 else 0, force_grouping=True)
    return number_format(value, 0, force_grouping=True)


@register.filter
def amount(value) -> str:
    """A sum in kronor, grouped; öre only when there are any."""
    if value is None:
        return DASH
    value = Decimal(value)
    return number_format(value, 0 if value == value.to_integral() else 2, force_grouping=True)
