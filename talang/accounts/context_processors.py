from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talang.accounts.access import role_of, second_factor_satisfied
from talang.accounts.models import Role

# (url name, label, roles that see it); a page is listed only for roles its view admits.
NAVIGATION = [
    ("home", _("Start"), set(Role)),
    ("queue", _("Queue"), {Role.GUIDE, Role.COORDINATOR}),
    ("inbox", _("Inbox"), {Role.GUIDE, Role.COORDINATOR}),
    ("move-review", _("Move status review"), {Role.GUIDE, Role.COORDINATOR}),
    ("compliance", _("Compliance"), {Role.COORDINATOR}),
    ("email-templates", _("E-mail templates"), {Role.COORDINATOR}),
    ("retention", _("Retention"), {Role.COORDINATOR}),
    ("records-of-processing", _("Records of processing"), {Role.COORDINATOR}),
    ("statistics", _("Statistics"), {Role.VIEWER, Role.COORDINATOR}),
    ("goals", _("Goals"), {Role.COORDINATOR}),
    ("employer-found-staff", _("Employer found staff"), {Role.NETWORK_COORDINATOR}),
    ("event-attendance", _("Event attendance"), {Role.COMMUNICATOR, Role.NETWORK_COORDINATOR}),
    ("reports", _("Reports"), {Role.VIEWER, Role.COORDINATOR}),
    ("budget", _("Budget"), {Role.COORDINATOR}),
    ("users", _("Users"), {Role.COORDINATOR}),
    ("intake-embed", _("Forms"), {Role.COORDINATOR, Role.COMMUNICATOR}),
    ("intake-submissions", _("Submissions"), {Role.COORDINATOR}),
    ("tokens", _("API tokens"), set(Role)),
    ("security", _("Security"), set(Role)),
]


def talang(request):
    user = getattr(request, "user", None)
    nav = []
    role = None
    if user is not None and user.is_authenticated and second_factor_satisfied(request):
        role = role_of(user)
        for name, label, roles in NAVIGATION:
            if role in roles:
                url = reverse(name)
                nav.append({"url": url, "label": label, "current": request.path == url})
    return {
        "talang_staff_languages": settings.TALANG_STAFF_LANGUAGES,
        "talang_demo": settings.TALANG_DEMO,
        "talang_nav": nav,
        "talang_role": role,
        "talang_can_search": role in {Role.GUIDE, Role.COORDINATOR, Role.COMMUNICATOR},
    }
