"""Forms for e-mail on the contact card and the inbox of messages that matched no household."""

from django import forms
from django.utils.translation import gettext_lazy as _

from talang.guidance import mail
from talang.lib.formfields import TextField

# An .eml file with attachments; larger ones are refused before they are read in full.
MAX_EML_BYTES = 5 * 1024 * 1024


class TemplateForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Start from a template"),
        choices=list(mail.TEMPLATES.items()),
        error_messages={"invalid_choice": _("Choose one of the templates.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "template_%s")
        super().__init__(*args, **kwargs)


class ComposeForm(forms.Form):
    person = forms.TypedChoiceField(label=_("To"), coerce=int)
    subject = TextField(label=_("Subject"), max_length=200)
    body = TextField(
        label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, recipients, **kwargs):
        kwargs.setdefault("auto_id", "email_%s")
        super().__init__(*args, **kwargs)
        self.recipients = {person.pk: person for person in recipients}
        self.fields["person"].choices = [
            (person.pk, f"{person.full_name} <{person.email}>".strip()) for person in recipients
        ]
        self.fields["person"].error_messages["invalid_choice"] = _(
            "Choose someone in the household who has an e-mail address."
        )

    def clean_subject(self):
        # One line: a line break would end the header.
        return " ".join(self.cleaned_data["subject"].split())

    def clean_person(self):
        return self.recipients[self.cleaned_data["person"]]


class UploadForm(forms.Form):
    eml = forms.FileField(
        label=_("E-mail file (.eml)"),
        help_text=_("Save the message from your e-mail program as an .eml file. At most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".eml,message/rfc822"}),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "eml_%s")
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self):
        if self.too_large:
            self.errors.pop("eml", None)
            self.add_error("eml", _("The file is larger than 5 MB."))
        return super().clean()

    def clean_eml(self):
        upload = self.cleaned_data["eml"]
        if upload.size > MAX_EML_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        raw = upload.read()
        try:
            mail.email_parse(raw, strict=True)
        except mail.NotAnEmail:
            raise forms.ValidationError(
                _(
                    "This file is not an e-mail. Save the message from your e-mail program "
                    'as an .eml file ("Save as" or drag it out of the program) and upload that.'
                )
            ) from None
        return raw


class AttachForm(forms.Form):
    reference = TextField(
        label=_("Household reference"),
        max_length=20,
        help_text=_("As on the contact card, for example H3KQ7ZP2M."),
    )

    def __init__(self, *args, pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"attach_{pk}_%s")
        super().__init__(*args, **kwargs)

    def clean_reference(self):
        return self.cleaned_data["reference"].replace(" ", "").upper()


class RegionTemplateForm(forms.Form):
    """The region's own wording of a template; only the placeholders in mail.PLACEHOLDERS."""

    subject = TextField(label=_("Subject"), max_length=200)
    body = TextField(
        label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 14})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "template_%s")
        super().__init__(*args, **kwargs)

    def _known_placeholders(self, name: str) -> str:
        text = self.cleaned_data[name]
        unknown = mail.placeholders_unknown(text)
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholder %(unknown)s. You can use %(known)s."),
                params={
                    "unknown": ", ".join("{" + item + "}" for item in unknown),
                    "known": ", ".join("{" + key + "}" for key in mail.PLACEHOLDERS),
                },
            )
        return text

    def clean_subject(self):
        return " ".join(self._known_placeholders("subject").split())

    def clean_body(self):
        return self._known_placeholders("body")
