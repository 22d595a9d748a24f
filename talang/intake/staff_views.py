"""Staff pages of intake: form addresses for web editors, form looks, unprocessed submissions."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Municipality, Role
from talang.intake import services
from talang.intake.languages import PUBLIC_LANGUAGES
from talang.intake.models import FormAppearance

LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
MAX_LOGO_BYTES = 200 * 1024


@staff_required(Role.COORDINATOR, Role.COMMUNICATOR)
def embed(request: HttpRequest) -> HttpResponse:
    """The address and iframe snippet of every form, for the region's and municipalities' sites."""
    region = membership_of(request.user).region
    places = [region, *Municipality.objects.filter(region=region).order_by("name")]
    base = request.build_absolute_uri("/")[:-1]
    context = {"places": places, "base": base, "region": region, "languages": PUBLIC_LANGUAGES}
    return render(request, "intake/embed.html", context)


class AppearanceForm(forms.Form):
    colour = forms.RegexField(
        label=gettext_lazy("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        help_text=gettext_lazy("As #RRGGBB. Text on it is white, so choose a dark colour."),
        error_messages={"invalid": gettext_lazy("Write the colour as # and six hex digits.")},
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.FileField(
        label=gettext_lazy("Logo"),
        required=False,
        help_text=gettext_lazy("PNG or JPEG, at most 200 kB."),
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Remove the logo"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in PUBLIC_LANGUAGES:
            self.fields[f"thank_you_{code}"] = forms.CharField(
                label=_("Thank-you text (%(language)s)") % {"language": name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
            )

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(_("The logo is larger than 200 kB."))
        content = upload.read()
        for magic, content_type in LOGO_TYPES.items():
            if content.startswith(magic):
                return content, content_type
        raise forms.ValidationError(_("The logo must be a PNG or JPEG image."))


@staff_required(Role.COORDINATOR)
def appearance(request: HttpRequest, code: str) -> HttpResponse:
    region = membership_of(request.user).region
    place = (
        region
        if code == region.code
        else Municipality.objects.filter(region=region, code=code).first()
    )
    if place is None:
        raise Http404
    current = FormAppearance.objects.filter(key=code).first()
    initial = {"colour": current.colour if current else "#0b5c44"}
    if current:
        initial.update({f"thank_you_{lang}": text for lang, text in current.thank_you.items()})
    form = AppearanceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.form_appearance_save(
            key=code,
            colour=data["colour"],
            logo=data["logo"],
            remove_logo=data["remove_logo"],
            thank_you={
                lang: data[f"thank_you_{lang}"]
                for lang, _name in PUBLIC_LANGUAGES
                if data[f"thank_you_{lang}"]
            },
        )
        messages.success(request, _("The form's appearance is saved."))
        return redirect("intake-embed")
    context = {"form": form, "place": place, "current": current}
    return render(request, "intake/appearance.html", context)


@staff_required(Role.COORDINATOR)
def submissions(request: HttpRequest) -> HttpResponse:
    pending = services.submissions_unprocessed()[:200]
    return render(request, "intake/submissions.html", {"submissions": pending})


@require_POST
@staff_required(Role.COORDINATOR)
def submissions_replay(request: HttpRequest) -> HttpResponse:
    done, failed = services.submissions_replay()
    messages.success(
        request,
        ngettext(
            "Processed %(done)s submission; %(failed)s still fail and will be retried.",
            "Processed %(done)s submissions; %(failed)s still fail and will be retried.",
            done,
        )
        % {"done": done, "failed": failed},
    )
    return redirect("intake-submissions")
