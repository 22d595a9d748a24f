"""Sign-in, the second factor, password reset, user administration and API tokens."""

import base64

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from talang.accounts import access, selectors, services, signin
from talang.accounts.access import staff_required
from talang.accounts.forms import (
    CodeForm,
    EnrolForm,
    InviteForm,
    RoleForm,
    SignInForm,
    TalangPasswordResetForm,
    TokenForm,
)
from talang.accounts.models import Role, UserChange


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """django-axes calls this once an account is locked; the message says for how long."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)


# Sign-in ------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and access.second_factor_satisfied(request):
        return redirect(_next_url(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, _("The e-mail address or the password is wrong."))
        elif access.demo_may_skip_second_factor(user):
            signin.complete(request, user)
            return redirect(_next_url(request))
        else:
            signin.pending_start(request, user)
            step = "login-verify" if services.has_second_factor(user) else "login-enrol"
            return redirect(f"{reverse(step)}?next={_next_url(request)}")
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    user = signin.pending_user(request)
    if user is None:
        messages.info(request, _("Your sign-in took too long. Please start again."))
        return redirect("login")
    if not services.has_second_factor(user):
        return redirect("login-enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.is_locked(request, user.email):
            signin.pending_clear(request)
            return locked_out(request)
        device = signin.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            signin.complete(request, user, device)
            return redirect(_next_url(request))
        signin.second_factor_fail(request, user)
        if signin.is_locked(request, user.email):
            signin.pending_clear(request)
            return locked_out(request)
        form.add_error(
            "code", _("The code is not valid. Codes change every 30 seconds and work once.")
        )
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


def _qr_svg(uri: str) -> str:
    qr = segno.make(uri, error="m")
    return qr.svg_inline(scale=5, dark="#111", light="#fff", omitsize=False)


@never_cache
def login_enrol(request: HttpRequest) -> HttpResponse:
    user = signin.pending_user(request)
    if user is None:
        messages.info(request, _("Your sign-in took too long. Please start again."))
        return redirect("login")
    if services.has_second_factor(user):
        return redirect("login-verify")
    device = services.totp_device_for_enrolment(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_device_confirm(
            user=user, device=device, token="".join(form.cleaned_data["code"].split())
        )
        if codes is not None:
            signin.complete(request, user, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        signin.second_factor_fail(request, user)
        if signin.is_locked(request, user.email):
            signin.pending_clear(request)
            return locked_out(request)
        form.add_error(
            "code", _("The code does not match. Check the time on your phone and try again.")
        )
    key = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
        "next": _next_url(request),
    }
    return render(request, "accounts/enrol.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("login")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = TalangPasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("password-reset-sent")

    def form_valid(self, form):
        form.save(language=get_language())
        return redirect(self.success_url)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("password-reset-done")
    post_reset_login = False

    def form_valid(self, form):
        services.user_password_set(user=form.user, password=form.cleaned_data["new_password1"])
        return redirect(self.success_url)


class InvitationAcceptView(PasswordResetConfirmView):
    token_generator = services.invitation_tokens
    reset_url_token = "welcome"
    extra_context = {"invitation": True}


# Pages for every member of staff --------------------------------------------------


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    membership = access.membership_of(request.user)
    context = {
        "membership": membership,
        "municipalities": selectors.municipalities_with_population(region=membership.region),
    }
    return render(request, "accounts/home.html", context)


@staff_required()
def security(request: HttpRequest) -> HttpResponse:
    codes = None
    if request.method == "POST" and not request.user.is_demo:
        codes = services.recovery_codes_renew(user=request.user)
    return render(request, "accounts/security.html", {"codes": codes})


@staff_required()
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"], by=request.user
        )
        form = TokenForm()
    visible = access.tokens_visible_to(user=request.user).order_by("revoked_at", "-created_at")
    context = {"form": form, "new_token": new_token, "tokens": visible}
    return render(request, "accounts/tokens.html", context)


@require_POST
@staff_required()
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = access.token_for_user(user=request.user, pk=pk)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token has been revoked."))
    return redirect("tokens")


# User administration (coordinators) -----------------------------------------------


@staff_required(Role.COORDINATOR)
def users(request: HttpRequest) -> HttpResponse:
    visible = access.users_visible_to(user=request.user)
    return render(request, "accounts/users.html", {"users": visible})


@staff_required(Role.COORDINATOR)
def user_invite(request: HttpRequest) -> HttpResponse:
    region = access.membership_of(request.user).region
    form = InviteForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_invite(
                region=region, by=request.user, language=get_language(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The invitation has been sent."))
            return redirect("user", pk=user.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


@staff_required(Role.COORDINATOR)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.user_for_manager(manager=request.user, pk=pk)
    membership = user.membership
    form = RoleForm(
        request.POST or None,
        region=membership.region,
        initial={"role": membership.role, "municipality": membership.municipality},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_role(user=user, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The role has been saved."))
            return redirect("user", pk=user.pk)
    changes = UserChange.objects.filter(user=user).select_related("actor")[:50]
    context = {
        "subject": user,
        "form": form,
        "changes": changes,
        "has_second_factor": services.has_second_factor(user),
    }
    return render(request, "accounts/user_detail.html", context)


@require_POST
@staff_required(Role.COORDINATOR)
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.user_for_manager(manager=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(user=user, active=active, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The account is active again.") if active else _("The account is deactivated."),
        )
    return redirect("user", pk=user.pk)


@require_POST
@staff_required(Role.COORDINATOR)
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.user_for_manager(manager=request.user, pk=pk)
    services.second_factor_reset(user=user, by=request.user)
    messages.success(
        request, _("The second factor is reset. The user enrols again at next sign-in.")
    )
    return redirect("user", pk=user.pk)


@require_POST
@staff_required(Role.COORDINATOR)
def user_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.user_for_manager(manager=request.user, pk=pk)
    services.invitation_send(user=user, language=get_language())
    messages.success(request, _("The invitation has been sent again."))
    return redirect("user", pk=user.pk)


# Public pages ------------------------------------------------------------------


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
