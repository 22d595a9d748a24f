"""The Talang API, version 1: thin routers over the apps' services and selectors."""

import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from talang.accounts.access import membership_of, users_visible_to
from talang.accounts.models import Municipality, Role
from talang.api.auth import NotAllowed, TokenAuth, TooManyRequests, Unavailable
from talang.api.households import router as households_router
from talang.api.registrations import router as registrations
from talang.api.statistics import router as statistics_router
from talang.intake.languages import PUBLIC_CODES

api = NinjaAPI(
    title="Talang API",
    version="1",
    description="Regional talent attraction and relocation guidance. "
    "Staff endpoints take `Authorization: Bearer TOKEN`.",
    urls_namespace="api",
    docs_url="/docs",
)


class ErrorOut(Schema):
    detail: str


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc):
    response = api.create_response(
        request, {"detail": _("A valid API token is required.")}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(NotAllowed)
def not_allowed(request: HttpRequest, exc):
    return api.create_response(
        request, {"detail": _("Your role does not give access to this.")}, status=403
    )


@api.exception_handler(TooManyRequests)
def too_many(request: HttpRequest, exc: TooManyRequests):
    detail = exc.message or _("Too many failed attempts. Try again later.")
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("This field is not known.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of the allowed values.")
    if kind.startswith(("int_", "float_")):
        return _("Enter a whole number.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind.startswith("string"):
        return _("Enter text.")
    if kind.startswith(("list", "too_long")):
        return _("Enter a list of at most 20 items.")
    if kind.startswith("date"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("Enter an object.")
    return _("This value is not valid.")


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError):
    """400 naming each bad field by its path in the body, in the body's language if it has one."""
    with translation.override(_body_language(request)):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            location = [
                str(part)
                for part in error.get("loc", [])
                if part not in ("body", "query", "path", "payload")
            ]
            errors.setdefault(".".join(location) or "body", []).append(_message(error))
        return api.create_response(request, {"errors": errors}, status=400)


def _body_language(request: HttpRequest) -> str | None:
    try:
        body = json.loads(request.body)
    except (ValueError, RequestDataTooBig):
        return translation.get_language()
    language = body.get("language") if isinstance(body, dict) else None
    return language if language in PUBLIC_CODES else translation.get_language()


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 400:
        if detail.startswith("Cannot parse request body"):
            detail = _("The body is not valid JSON.")
        return api.create_response(request, {"errors": {"body": [detail]}}, status=400)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Unavailable)
def unavailable(request: HttpRequest, exc: Unavailable):
    response = api.create_response(request, {"detail": str(exc)}, status=503)
    response["Retry-After"] = "30"
    return response


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc):
    return api.create_response(request, {"detail": _("The body is too large.")}, status=413)


api.add_router("/", registrations)
api.add_router("/", households_router)
api.add_router("/", statistics_router)


class MunicipalityOut(Schema):
    code: str
    name: str
    region: str


class MeOut(Schema):
    role: str
    region: str
    municipality: str | None


class UserOut(Schema):
    id: int
    full_name: str
    email: str
    role: str
    municipality: str | None
    is_active: bool


@api.get(
    "/municipalities",
    response={200: list[MunicipalityOut], 401: ErrorOut, 429: ErrorOut},
    auth=TokenAuth(),
    tags=["regions"],
)
def municipalities(request: HttpRequest):
    """The municipalities of the token holder's region with their official codes."""
    region = membership_of(request.user).region
    return [
        {"code": m.code, "name": m.name, "region": region.name}
        for m in Municipality.objects.filter(region=region).order_by("code")
    ]


@api.get(
    "/me", response={200: MeOut, 401: ErrorOut, 429: ErrorOut}, auth=TokenAuth(), tags=["accounts"]
)
def me(request: HttpRequest):
    """The role the token acts with."""
    membership = membership_of(request.user)
    return {
        "role": membership.role,
        "region": membership.region.code,
        "municipality": membership.municipality.code if membership.municipality else None,
    }


@api.get(
    "/users",
    response={200: list[UserOut], 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    auth=TokenAuth(Role.COORDINATOR),
    tags=["accounts"],
)
def users(request: HttpRequest):
    """The staff accounts of the region (coordinators only)."""
    return [
        {
            "id": user.pk,
            "full_name": user.full_name,
            "email": user.email,
            "role": user.membership.role,
            "municipality": user.membership.municipality.code
            if user.membership.municipality
            else None,
            "is_active": user.is_active,
        }
        for user in users_visible_to(user=request.user)
    ]
