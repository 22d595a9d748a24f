from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talang.accounts.access import role_of, second_factor_satisfied
from talang.accounts.models import Role

GUIDANCE = "guidance"
RESULTS = "results"
ADMINISTRATION = "administration"
COMMUNICATION = "communication"
# The account's own pages sit beside "Sign out", not in the main menu.
ACCOUNT = "account"

# The labelled groups of the main menu.
GROUPS = {
    GUIDANCE: _("Guidance"),
    RESULTS: _("Results"),
    COMMUNICATION: _("Communication"),
    ADMINISTRATION: _("Administration"),
}

# A role with at most this many pages in the main menu sees them as one row, without groups.
FLAT_MENU_LIMIT = 6

# (url name, label, group, roles that see it), a group's pages together and in the order
# shown; a page without a group stands alone. A page is listed only for roles its view admits.
NAVIGATION = [
    ("home", _("Start"), None, set(Role)),
    ("queue", _("Queue"), GUIDANCE, {Role.GUIDE, Role.COORDINATOR}),
    ("inbox", _("Inbox"), GUIDANCE, {Role.GUIDE, Role.COORDINATOR}),
    ("move-review", _("Move status review"), GUIDANCE, {Role.GUIDE, Role.COORDINATOR}),
    ("compliance", _("Compliance"), GUIDANCE, {Role.COORDINATOR}),
    ("statistics", _("Statistics"), RESULTS, {Role.VIEWER, Role.COORDINATOR}),
    ("goals", _("Goals"), RESULTS, {Role.COORDINATOR}),
    ("reports", _("Reports"), RESULTS, {Role.VIEWER, Role.COORDINATOR}),
    ("budget", _("Budget"), RESULTS, {Role.COORDINATOR}),
    (
        "employer-found-staff",
        _("Employer found staff"),
        RESULTS,
        {Role.COORDINATOR, Role.NETWORK_COORDINATOR},
    ),
    (
        "event-attendance",
        _("Event attendance"),
        RESULTS,
        {Role.COORDINATOR, Role.COMMUNICATOR, Role.NETWORK_COORDINATOR},
    ),
    (
        "magazine-orders",
        _("Magazine orders"),
        COMMUNICATION,
        {Role.COORDINATOR, Role.COMMUNICATOR},
    ),
    ("users", _("Users"), ADMINISTRATION, {Role.COORDINATOR}),
    ("intake-embed", _("Forms"), ADMINISTRATION, {Role.COORDINATOR, Role.COMMUNICATOR}),
    ("intake-submissions", _("Submissions"), ADMINISTRATION, {Role.COORDINATOR}),
    ("email-templates", _("E-mail templates"), ADMINISTRATION, {Role.COORDINATOR}),
    ("retention", _("Retention"), ADMINISTRATION, {Role.COORDINATOR}),
    ("records-of-processing", _("Records of processing"), ADMINISTRATION, {Role.COORDINATOR}),
    ("tokens", _("API tokens"), ACCOUNT, set(Role)),
    ("security", _("Security"), ACCOUNT, set(Role)),
]


@dataclass(frozen=True)
class MenuLink:
    url: str
    label: str
    current: bool


@dataclass(frozen=True)
class MenuSection:
    """Links shown together: a labelled group, or (label None) links that stand alone."""

    group: str | None
    label: str | None
    links: list[MenuLink]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def menu_sections(links: list[tuple[str | None, MenuLink]]) -> list[MenuSection]:
    """The main menu of ``links`` (group, link): one plain row if they are few, else grouped."""
    if len(links) <= FLAT_MENU_LIMIT:
        return [MenuSection(group=None, label=None, links=[link for _group, link in links])]
    return [
        MenuSection(group=group, label=GROUPS.get(group), links=[link for _, link in members])
        for group, members in groupby(links, key=lambda entry: entry[0])
    ]


def talang(request):
    user = getattr(request, "user", None)
    main, account = [], []
    role = None
    if user is not None and user.is_authenticated and second_factor_satisfied(request):
        role = role_of(user)
        for name, label, group, roles in NAVIGATION:
            if role in roles:
                url = reverse(name)
                link = MenuLink(url=url, label=label, current=request.path == url)
                if group == ACCOUNT:
                    account.append(link)
                else:
                    main.append((group, link))
    return {
        "talang_staff_languages": settings.TALANG_STAFF_LANGUAGES,
        "talang_demo": settings.TALANG_DEMO,
        "talang_nav": menu_sections(main) if main else [],
        "talang_account_nav": account,
        "talang_role": role,
        "talang_can_search": role in {Role.GUIDE, Role.COORDINATOR, Role.COMMUNICATOR},
    }
