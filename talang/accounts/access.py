"""The access choke points for staff: who may see which page, user and token.

Views never look up users or tokens by primary key themselves; they go through here.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from talang.accounts.models import ApiToken, Membership, Role, User

STAFF_ROLES = tuple(Role)


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def role_of(user) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def demo_may_skip_second_factor(user) -> bool:
    """Only the printed demo accounts, and only while TALANG_DEMO is on."""
    return bool(settings.TALANG_DEMO and user.is_demo)


def second_factor_satisfied(request: HttpRequest) -> bool:
    """A staff session must have passed the second factor (demo accounts only in a demo)."""
    user = request.user
    if demo_may_skip_second_factor(user):
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


def staff_required(*roles: Role) -> Callable:
    """Let through signed-in, verified staff with one of ``roles`` (any role if none given)."""
    allowed = set(roles or STAFF_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not second_factor_satisfied(request):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if role_of(request.user) not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.talang_roles = frozenset(allowed)
        return wrapper

    return decorator


def can_manage_users(user) -> bool:
    return role_of(user) == Role.COORDINATOR


def users_visible_to(*, user) -> Iterable[User]:
    """The accounts a coordinator manages: everyone in the coordinator's region."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.COORDINATOR:
        return User.objects.none()
    return (
        User.objects.filter(membership__region=membership.region)
        .select_related("membership__municipality")
        .order_by("full_name", "email")
    )


def user_for_manager(*, manager, pk: int) -> User:
    """A user that ``manager`` may administer, or 404 (no hint whether it exists)."""
    try:
        return users_visible_to(user=manager).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def tokens_visible_to(*, user):
    """Everyone sees their own tokens; a coordinator also those of the region."""
    membership = membership_of(user)
    if membership is None:
        return ApiToken.objects.none()
    tokens = ApiToken.objects.select_related("user")
    if membership.role == Role.COORDINATOR:
        return tokens.filter(user__membership__region=membership.region)
    return tokens.filter(user=user)


def token_for_user(*, user, pk: int) -> ApiToken:
    try:
        return tokens_visible_to(user=user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
