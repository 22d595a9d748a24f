"""The region's own wording of the e-mail templates guides start from (coordinators)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from talang.accounts.access import membership_of, staff_required
from talang.accounts.models import Role
from talang.guidance import mail
from talang.guidance.mail_forms import RegionTemplateForm
from talang.guidance.models import RegionEmailTemplate


@staff_required(Role.COORDINATOR)
def email_templates(request: HttpRequest) -> HttpResponse:
    region = membership_of(request.user).region
    own = {
        (template.name, template.language): template
        for template in RegionEmailTemplate.objects.filter(region=region).select_related(
            "updated_by"
        )
    }
    rows = [
        {
            "name": name,
            "label": label,
            "languages": [
                {"code": code, "label": language, "own": own.get((name, code))}
                for code, language in settings.LANGUAGES
            ],
        }
        for name, label in mail.TEMPLATES.items()
    ]
    return render(request, "guidance/email_templates.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@staff_required(Role.COORDINATOR)
def email_template_edit(request: HttpRequest, name: str, language: str) -> HttpResponse:
    languages = dict(settings.LANGUAGES)
    if name not in mail.TEMPLATES or language not in languages:
        raise Http404
    region = membership_of(request.user).region
    own = RegionEmailTemplate.objects.filter(region=region, name=name, language=language).first()
    if request.method == "POST" and "reset" in request.POST:
        mail.email_template_reset(region=region, name=name, language=language)
        messages.success(request, _("The standard text is used again."))
        return redirect("email-templates")
    if request.method == "POST":
        form = RegionTemplateForm(request.POST)
        if form.is_valid():
            mail.email_template_save(
                region=region, name=name, language=language, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("The template is saved."))
            return redirect("email-templates")
    else:
        subject, body = (
            (own.subject, own.body)
            if own
            else mail.email_template_standard(name=name, language=language)
        )
        form = RegionTemplateForm(initial={"subject": subject, "body": body})
    context = {
        "form": form,
        "own": own,
        "template_label": mail.TEMPLATES[name],
        "language_label": languages[language],
        "language": language,
        "placeholders": [("{" + key + "}", label) for key, label in mail.PLACEHOLDERS.items()],
    }
    return render(
        request,
        "guidance/email_template_edit.html",
        context,
        status=400 if form.is_bound else 200,
    )
