from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from talang.accounts import services
from talang.accounts.models import Municipality, Region, Role, User


class Command(BaseCommand):
    help = "Manage staff accounts: add (create or update), list, deactivate, reset-second-factor."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create or update a user.")
        add.add_argument("email")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--municipality", metavar="CODE", help="Official code, e.g. 2380.")
        add.add_argument("--region", metavar="CODE", help="Needed only when there are several.")
        add.add_argument("--name", default="", help="Full name.")
        add.add_argument(
            "--api-token", action="store_true", help="Print a new API token as the last line."
        )
        sub.add_parser("list", help="List users with role and municipality.")
        for name in ("deactivate", "reactivate", "reset-second-factor"):
            sub.add_parser(name).add_argument("email")

    def handle(self, *args, action: str, **options):
        handler = getattr(self, "handle_" + action.replace("-", "_"))
        handler(**options)

    def _region(self, code: str | None, municipality: Municipality | None) -> Region:
        if municipality is not None:
            return municipality.region
        regions = Region.objects.all()
        if code:
            regions = regions.filter(code=code)
        region_list = list(regions[:2])
        if len(region_list) != 1:
            raise CommandError("Name the region with --region CODE (none or several match).")
        return region_list[0]

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("No user with that e-mail address.")
        return user

    def handle_add(self, *, email, role, municipality, region, name, api_token, **options):
        place = None
        if municipality:
            place = Municipality.objects.select_related("region").filter(code=municipality).first()
            if place is None:
                raise CommandError(f"Unknown municipality code: {municipality}")
        try:
            result = services.user_upsert(
                email=email,
                role=role,
                region=self._region(region, place),
                municipality=place,
                full_name=name,
                api_token=api_token,
            )
        except ValidationError as error:
            raise CommandError(_describe(error)) from None
        verb = "Created" if result.created else "Updated"
        self.stdout.write(f"{verb} user {result.user.pk} ({role}).")
        if result.created:
            link = services.invitation_link(user=result.user)
            self.stdout.write(
                f"Choose a password within {settings.TALANG_INVITATION_DAYS} days: {link}"
            )
        if result.token:
            self.stdout.write(result.token)

    def handle_list(self, **options):
        for user in User.objects.select_related("membership__municipality").order_by("email"):
            membership = getattr(user, "membership", None)
            role = membership.role if membership else "-"
            place = membership.municipality.code if membership and membership.municipality else "-"
            state = "active" if user.is_active else "inactive"
            self.stdout.write(f"{user.email:<40} {role:<20} {place:<5} {state}")

    def handle_deactivate(self, *, email, **options):
        services.user_set_active(user=self._user(email), active=False, by=None, via="cli")
        self.stdout.write("Deactivated.")

    def handle_reactivate(self, *, email, **options):
        services.user_set_active(user=self._user(email), active=True, by=None, via="cli")
        self.stdout.write("Reactivated.")

    def handle_reset_second_factor(self, *, email, **options):
        services.second_factor_reset(user=self._user(email), by=None, via="cli")
        self.stdout.write("Second factor reset; the user enrols again at next sign-in.")


def _describe(error: ValidationError) -> str:
    """One line naming each bad field, e.g. "municipality: A guide belongs to a municipality."."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()
        )
    return " ".join(error.messages)
