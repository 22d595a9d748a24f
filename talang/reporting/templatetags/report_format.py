"""Numbers in the statistics page, the quarterly report and the budget pages, written the way
the reader's language writes them (3 570 000 and 92,9 % in Swedish), with a dash for a figure
that has no value. Shares and days are rounded half up to the decimals shown (Django's
``number_format`` alone would cut 92,86 % to 92,8 %)."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

DASH = "–"


def _rounded(value, places: int) -> Decimal:
    # Through str, so that 0.145 is rounded as the 0.145 it stands for, not as its binary
    # neighbour 0.14499….
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@register.filter
def figure(value, kind: str = "count") -> str:
    """A figure: a count, a share (0.92857 → 92,9 %) or days (173.5 → 173,5); a hidden figure
    ("<5", "..") stays as it is."""
    if value is None or value == "":
        return DASH
    if isinstance(value, str):
        return value
    if kind == "share":
        percent = _rounded(Decimal(str(value)) * 100, 1)
        return f"{number_format(percent, 1, force_grouping=True)} %"
    if kind == "days":
        places = 0 if value == int(value) else 1
        return number_format(_rounded(value, places), places, force_grouping=True)
    return number_format(value, 0, force_grouping=True)


@register.filter
def amount(value) -> str:
    """A sum in kronor, grouped; öre only when there are any."""
    if value is None:
        return DASH
    value = Decimal(value)
    return number_format(value, 0 if value == value.to_integral() else 2, force_grouping=True)
