from django import forms
from django.utils.translation import gettext_lazy as _

from talang.privacy import retention


class RetentionRuleForm(forms.Form):
    inactive_months = forms.IntegerField(
        label=_("Months without activity"),
        min_value=retention.MIN_MONTHS,
        max_value=retention.MAX_MONTHS,
        help_text=_(
            "A household is deleted when nothing has happened on it for this many months "
            "and nobody in it has an active newsletter subscription. At least 12; 60 is five years."
        ),
        error_messages={
            "required": _("Write a number of months."),
            "invalid": _("Write a whole number of months, for example 60."),
            "min_value": _("Write at least %(limit_value)s months."),
            "max_value": _("Write at most %(limit_value)s months."),
        },
    )
    decision_reference = forms.CharField(
        label=_("Retention decision"),
        max_length=300,
        help_text=_(
            "The authority's decision this rule implements, for example "
            "“Dokumenthanteringsplan, beslut RS/123/2024”."
        ),
        error_messages={
            "required": _("Write the reference of the retention decision this rule implements."),
            "max_length": _("Write at most %(limit_value)d characters."),
        },
    )
