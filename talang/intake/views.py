"""The public forms: registration for guidance, magazine order, newsletter, and their pages."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from talang.accounts.models import Municipality, Region
from talang.contacts.models import ConsentPurpose
from talang.contacts.selectors import household_export, household_for_self_service
from talang.contacts.services import consent_text_current
from talang.intake import abuse, altcha, self_service, services
from talang.intake.forms import (
    MagazineOrderForm,
    NewsletterForm,
    PreferencesForm,
    RegistrationForm,
    SelfServiceLinkForm,
)
from talang.intake.languages import LONG_DATE, PUBLIC_CODES, PUBLIC_LANGUAGES
from talang.intake.models import FormAppearance, Submission
from talang.lib.clients import client_address
from talang.lib.links import make_token, read_token
from talang.outreach import services as outreach
from talang.outreach.models import Subscription
from talang.privacy.models import ErasureRecord, RetentionRule
from talang.privacy.retention import DEFAULT_MONTHS
from talang.privacy.services import household_erase

UTM = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
FORMS = {
    Submission.Kind.GUIDANCE: (RegistrationForm, "intake/guidance_form.html"),
    Submission.Kind.MAGAZINE: (MagazineOrderForm, "intake/magazine_form.html"),
    Submission.Kind.NEWSLETTER: (NewsletterForm, "intake/newsletter_form.html"),
}
KIND_SLUGS = {
    "guidance": Submission.Kind.GUIDANCE,
    "magazine": Submission.Kind.MAGAZINE,
    "newsletter": Submission.Kind.NEWSLETTER,
}


ALTCHA_FAILED = gettext_lazy(
    "The check that the form is sent by a person did not finish. It needs JavaScript: turn it "
    "on for this page and send the form again."
)


def embeddable(view):
    """Public form pages may be shown in an iframe on the region's and municipalities' sites."""
    view = xframe_options_exempt(csrf_exempt(view))

    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        ancestors = " ".join(["'self'", *settings.TALANG_EMBED_ORIGINS])
        response["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"form-action 'self'; frame-ancestors {ancestors}; base-uri 'self'; object-src 'none'"
        )
        return response

    wrapper.__name__ = view.__name__
    wrapper.csrf_exempt = True
    return wrapper


def _browser_language(request: HttpRequest) -> str:
    with translation.override(None):
        accepted = translation.get_language_from_request(request)
    return accepted if accepted in PUBLIC_CODES else "sv"


def _place(region_or_code: str | None) -> tuple[Region, Municipality | None]:
    if region_or_code:
        municipality = (
            Municipality.objects.select_related("region").filter(code=region_or_code).first()
        )
        if municipality is None:
            raise Http404
        return municipality.region, municipality
    region = Region.objects.order_by("pk").first()
    if region is None:
        raise Http404
    return region, None


def _channel(request: HttpRequest, *, region: Region, municipality, kind: str) -> dict:
    source = request.POST if request.method == "POST" else request.GET
    channel = {
        "region": region.code,
        "form": f"{kind}:{municipality.code if municipality else region.code}",
        "site": source.get("site", "")[:200],
    }
    for key in UTM:
        if source.get(key):
            channel[key] = source.get(key)[:100]
    return channel


@require_safe
def start(request: HttpRequest, kind: str = "guidance") -> HttpResponse:
    """/forms/ in the browser's language (Swedish if it is none of the four)."""
    if kind not in KIND_SLUGS:
        raise Http404
    url = reverse("intake-form", kwargs={"language": _browser_language(request), "kind": kind})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


@embeddable
@require_http_methods(["GET", "POST"])
def public_form(
    request: HttpRequest, language: str, kind: str, code: str | None = None
) -> HttpResponse:
    if language not in PUBLIC_CODES or kind not in KIND_SLUGS:
        raise Http404
    translation.activate(language)
    request.LANGUAGE_CODE = language
    kind = KIND_SLUGS[kind]
    region, municipality = _place(code)
    form_class, template = FORMS[kind]
    extra = {"region": region} if kind == Submission.Kind.GUIDANCE else {}
    initial = {"municipalities": [municipality.code]} if municipality else {}
    if kind == Submission.Kind.MAGAZINE:
        initial = {"language": "sv" if language == "sv" else "en", "country": "SE", "copies": 1}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial, **extra)
    status = 200
    if request.method == "POST":
        client = services.client_hash(client_address(request))
        if request.POST.get(abuse.HONEYPOT):
            # A bot filled the hidden field: thank it and keep nothing.
            return _thanks(request, language, kind, region, municipality, submission=None)
        if wait := abuse.rate_limited(client):
            return _rate_limited(request, region, wait)
        if form.is_valid() and abuse.too_fast(request.POST.get(abuse.STARTED, "")):
            form.add_error(
                None, _("That was quick! Please check your answers and send the form again.")
            )
            status = 400
        elif (
            form.is_valid()
            and altcha.enabled()
            and not altcha.verified(request.POST.get(altcha.FIELD))
        ):
            form.add_error(None, ALTCHA_FAILED)
            status = 400
        elif form.is_valid():
            try:
                submission = services.submission_store(
                    source=Submission.Source.FORM,
                    kind=kind,
                    language=language,
                    channel=_channel(request, region=region, municipality=municipality, kind=kind),
                    payload=_payload(request),
                    client=client,
                )
            except DatabaseError:
                # Nothing was saved: show the form again, as filled in, and ask to retry.
                form.add_error(
                    None, _("We could not save your answers just now. Please send again.")
                )
                status = 503
            else:
                # The form was validated from the data stored: processing need not again.
                services.submission_process(submission=submission, form=form)
                token = make_token("thanks", submission.reference)
                url = reverse("intake-thanks", kwargs={"language": language, "token": token})
                return redirect(url)
        else:
            status = 400
    context = {
        "form": form,
        "kind": kind,
        "region": region,
        "municipality": municipality,
        "started": abuse.started_token(),
        "altcha": json.dumps(altcha.challenge()) if altcha.enabled() else "",
        "appearance": _appearance(municipality or region),
        "channel": _channel(request, region=region, municipality=municipality, kind=kind),
        "language_links": _language_links(request, language, kind, code),
        **TEXTS.get(kind, {}),
    }
    if kind == Submission.Kind.GUIDANCE:
        context["consent"] = consent_text_current(
            purpose=ConsentPurpose.GUIDANCE, language=language
        )
    if kind == Submission.Kind.MAGAZINE:
        # For the privacy notice: an order made on its own goes at the retention review.
        context["retention_months"] = (
            RetentionRule.objects.filter(region=region)
            .values_list("inactive_months", flat=True)
            .first()
            or DEFAULT_MONTHS
        )
    return render(request, template, context, status=status)


def _rate_limited(request: HttpRequest, region: Region, wait: int) -> HttpResponse:
    response = render(
        request,
        "intake/rate_limited.html",
        {"minutes": max(1, wait // 60), "region": region},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _language_links(request: HttpRequest, current: str, kind: str, code: str | None) -> list[dict]:
    slug = next(slug for slug, value in KIND_SLUGS.items() if value == kind)
    query = request.GET.urlencode()
    links = []
    for language, name in PUBLIC_LANGUAGES:
        kwargs = {"language": language, "kind": slug}
        if code:
            kwargs["code"] = code
        url = reverse("intake-form-municipality" if code else "intake-form", kwargs=kwargs)
        links.append(
            {
                "code": language,
                "name": name,
                "current": language == current,
                "url": f"{url}?{query}" if query else url,
            }
        )
    return links


TEXTS = {
    Submission.Kind.MAGAZINE: {
        "heading": gettext_lazy("Order the magazine"),
        "intro": gettext_lazy("The magazine about living and working here comes free by post."),
        "submit": gettext_lazy("Order"),
    },
    Submission.Kind.NEWSLETTER: {
        "heading": gettext_lazy("Subscribe to the newsletter"),
        "intro": gettext_lazy(
            "News about jobs, housing and life here. We send an e-mail to confirm your address "
            "first, and every newsletter has a link to unsubscribe."
        ),
        "submit": gettext_lazy("Subscribe"),
    },
}


def _payload(request: HttpRequest) -> dict:
    skip = {"csrfmiddlewaretoken", abuse.HONEYPOT, abuse.STARTED, altcha.FIELD, "site", *UTM}
    return {key: request.POST.getlist(key) for key in request.POST if key not in skip}


def _appearance(place) -> FormAppearance | None:
    return FormAppearance.objects.filter(key=place.code).first()


def _thanks(request, language, kind, region, municipality, submission, answer=None):
    appearance = _appearance(municipality or region)
    # What this registration asked for (its own post, valid since it was processed).
    chosen = services.form_data(submission.payload) if submission else {}
    context = {
        "kind": kind,
        "region": region,
        "municipality": municipality,
        "submission": submission,
        "answer": answer,
        "due": date_format(answer.due, LONG_DATE[language]) if answer else "",
        "gave_email": bool(chosen.get("email")),
        "newsletter": bool(chosen.get("newsletter") and chosen.get("email")),
        "magazine": bool(chosen.get("magazine")),
        "appearance": appearance,
        "custom_text": appearance.thank_you.get(language, "") if appearance else "",
    }
    return render(request, "intake/thanks.html", context)


@embeddable
@require_safe
def thanks(request: HttpRequest, language: str, token: str) -> HttpResponse:
    """What happens next. The link carries a signed submission reference, nothing personal;
    the page tells what this registration chose, never what a household it joined has."""
    if language not in PUBLIC_CODES:
        raise Http404
    translation.activate(language)
    reference = read_token("thanks", token) or ""
    submission = get_object_or_404(Submission, reference=reference)
    region = Region.objects.filter(code=submission.channel.get("region")).first()
    answer = None
    if submission.kind == Submission.Kind.GUIDANCE and submission.household_id:
        answer = services.registration_answer(submission)
    municipality = answer.municipality if answer else None
    return _thanks(request, language, submission.kind, region, municipality, submission, answer)


@require_safe
def theme(request: HttpRequest, code: str) -> HttpResponse:
    """The form's colour as a stylesheet (inline styles are refused by the CSP)."""
    appearance = FormAppearance.objects.filter(key=code).first()
    colour = appearance.colour if appearance else "#0b5c44"
    css = f":root {{ --brand: {colour}; --brand-dark: {colour}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def logo(request: HttpRequest, code: str) -> HttpResponse:
    appearance = FormAppearance.objects.filter(key=code).exclude(logo=None).first()
    if appearance is None or not appearance.logo:
        raise Http404
    response = HttpResponse(bytes(appearance.logo), content_type=appearance.logo_type)
    response["Cache-Control"] = "public, max-age=300"
    return response


@embeddable
@require_http_methods(["GET", "POST"])
def newsletter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm a subscription. GET only shows a button: mail scanners follow links."""
    subscription = _subscription(token, "confirm")
    translation.activate(subscription.language)
    confirmed = False
    if request.method == "POST":
        confirmed = outreach.subscription_confirm(subscription=subscription)
    context = {
        "subscription": subscription,
        "region": subscription.region,
        "confirmed": confirmed,
        "token": token,
        "preferences_path": outreach.preferences_path(subscription),
    }
    return render(request, "intake/newsletter_confirm.html", context)


@embeddable
@require_http_methods(["GET", "POST"])
def newsletter_preferences(request: HttpRequest, token: str) -> HttpResponse:
    subscription = _subscription(token, "preferences")
    translation.activate(subscription.language)
    form = PreferencesForm(
        request.POST or None,
        initial={"language": subscription.language, "topics": subscription.topics},
    )
    saved = False
    if request.method == "POST" and request.POST.get("unsubscribe"):
        outreach.subscription_unsubscribe(subscription=subscription)
        subscription.refresh_from_db()
        form = PreferencesForm(
            initial={"language": subscription.language, "topics": subscription.topics}
        )
    elif request.method == "POST" and form.is_valid():
        outreach.subscription_update(subscription=subscription, **form.cleaned_data)
        translation.activate(form.cleaned_data["language"])
        saved = True
    context = {
        "subscription": subscription,
        "form": form,
        "saved": saved,
        "region": subscription.region,
    }
    return render(request, "intake/newsletter_preferences.html", context)


def _subscription(token: str, purpose: str) -> Subscription:
    pk = read_token(purpose, token)
    if not isinstance(pk, int):
        raise Http404
    return get_object_or_404(Subscription.objects.select_related("region"), pk=pk)


@require_http_methods(["GET", "POST"])
def my_data_request(request: HttpRequest) -> HttpResponse:
    """/my-data/: ask for a link to your household's data, sent to the address registered.
    The answer is the same whether the address is known or not."""
    language = request.GET.get("lang", "")
    if language not in PUBLIC_CODES:
        language = _browser_language(request)
    translation.activate(language)
    return _my_data_request(request, language=language, expired=False)


def _my_data_request(request: HttpRequest, *, language: str, expired: bool) -> HttpResponse:
    region = Region.objects.order_by("pk").first()
    form = SelfServiceLinkForm(request.POST if request.method == "POST" else None)
    status = 404 if expired else 200
    if request.method == "POST":
        client = services.client_hash(client_address(request))
        if wait := abuse.rate_limited(client):
            return _rate_limited(request, region, wait)
        if form.is_valid():
            email = form.cleaned_data["email"]
            # At most one link an address in ten minutes, whoever asks: no mail bombing.
            if cache.add(f"talang:my-data:{services.client_hash(email)}", 1, timeout=600):
                services.self_service_links_send(email=email)
            context = {
                "region": region,
                "sent": True,
                "days": settings.TALANG_SELF_SERVICE_LINK_DAYS,
            }
            return render(request, "intake/my_data_request.html", context)
        status = 400
    context = {
        "region": region,
        "form": form,
        "expired": expired,
        "language": language,
        "days": settings.TALANG_SELF_SERVICE_LINK_DAYS,
    }
    return render(request, "intake/my_data_request.html", context, status=status)


@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest, token: str) -> HttpResponse:
    """Everything Talang holds about a household, for the household itself (signed link),
    as a page or as JSON (?format=json), and erasure on request. An expired or altered link
    gets the page that sends a new one."""
    reference = services.self_service_reference(token)
    if reference is None:
        language = _browser_language(request)
        translation.activate(language)
        return _my_data_request(request, language=language, expired=True)
    household = household_for_self_service(reference=reference)
    translation.activate(household.language if household.language in PUBLIC_CODES else "sv")
    if request.method == "POST" and request.POST.get("erase") == "yes":
        region = household.region
        household_erase(household=household, reason=ErasureRecord.Reason.DATA_SUBJECT)
        return render(request, "intake/erased.html", {"region": region})
    if request.GET.get("format") == "json":
        return JsonResponse(
            household_export(household=household),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    correcting = request.method == "POST" and request.POST.get("correct") == "yes"
    correction = self_service.correction_form(household, request.POST if correcting else None)
    status = 200
    if correcting:
        outcome = self_service.correct(household=household, form=correction)
        if outcome is not None:
            messages.success(request, outcome)
            return redirect(request.path)
        status = 400
    context = {"household": household, "region": household.region, "correction": correction}
    return render(request, "intake/my_data.html", context, status=status)


@embeddable
@require_safe
def accessibility(request: HttpRequest, language: str) -> HttpResponse:
    """The accessibility statement as the public pages link to it: in their language and
    their frame (the staff's is /accessibility/)."""
    if language not in PUBLIC_CODES:
        raise Http404
    translation.activate(language)
    links = [
        {
            "code": code,
            "name": name,
            "current": code == language,
            "url": reverse("accessibility-public", kwargs={"language": code}),
        }
        for code, name in PUBLIC_LANGUAGES
    ]
    context = {
        "frame": "public_base.html",
        "public": True,
        "region": Region.objects.order_by("pk").first(),
        "language_links": links,
        "needs_javascript": altcha.enabled(),
    }
    return render(request, "accessibility.html", context)


# The addresses of the public pages, whose missing pages get the public 404 (see not_found).
PUBLIC_PREFIXES = ("/forms/", "/thanks/", "/newsletter/", "/my-data/", "/accessibility/")
# Where a public address carries its language: /forms/<language>/…
LANGUAGE_IN_PATH = ("forms", "thanks", "accessibility")


def is_public_path(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


@embeddable
def not_found(request: HttpRequest) -> HttpResponse:
    """The 404 of the public pages (a bad or expired link from an e-mail, a mistyped form
    address): in the language of the address, else the browser's, and without the staff's
    links. Called by the site's 404 handler for PUBLIC_PREFIXES."""
    parts = request.path.strip("/").split("/")
    if len(parts) > 1 and parts[0] in LANGUAGE_IN_PATH and parts[1] in PUBLIC_CODES:
        language = parts[1]
    elif request.GET.get("lang") in PUBLIC_CODES:
        language = request.GET["lang"]
    else:
        language = _browser_language(request)
    with translation.override(language):
        context = {"region": Region.objects.order_by("pk").first(), "language": language}
        return render(request, "intake/not_found.html", context, status=404)
