from django import template

from talang.lib import formfields

register = template.Library()


@register.simple_tag
def error_summary(form) -> list[tuple[str, str]]:
    """``{% error_summary form as rows %}``: (id of the field, text) for each error."""
    return formfields.error_summary(form)
