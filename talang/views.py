"""Site-wide public pages: the accessibility statement and the language switch."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST

from talang.accounts.services import user_language_set
from talang.intake import altcha
from talang.intake import views as intake_views


def accessibility(request: HttpRequest) -> HttpResponse:
    """The statement in the staff's frame; the public pages link to intake's, in their own."""
    return render(request, "accessibility.html", {"needs_javascript": altcha.enabled()})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; an unknown language gets a clear 400 page."""
    language = request.POST.get("language", "")
    available = set(settings.TALANG_STAFF_LANGUAGES)
    if language not in available or not check_for_language(language):
        return render(request, "language_unknown.html", status=400)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    if request.user.is_authenticated:
        # E-mails (the daily digest) follow the language chosen on the pages.
        user_language_set(user=request.user, language=language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if intake_views.is_public_path(request.path):
        # A public link: the public pages' frame and language, no link into the staff pages.
        return intake_views.not_found(request)
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request context: the error may come from a context processor.
    from django.template.loader import get_template

    return HttpResponse(get_template("500.html").render(), status=500)
