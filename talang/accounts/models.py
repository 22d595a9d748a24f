"""Users, regions, municipalities and the roles that give access."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100)
    # The county code (län) of Statistics Sweden, e.g. "23" for Jämtland.
    code = models.CharField(_("code"), max_length=2, unique=True)
    # Where households and visitors reach the relocation guidance with a question: shown on
    # the public pages and in the confirmation e-mail (a shared address, never a person's).
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    contact_phone = models.CharField(_("contact phone number"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("name"), max_length=100)
    # The official four-digit municipality code of Statistics Sweden.
    code = models.CharField(_("code"), max_length=4, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_four_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PopulationFigure(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population_figures"
    )
    reference_date = models.DateField(_("reference date"))
    count = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["municipality__name", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date"], name="population_one_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.reference_date}: {self.count}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A staff member. The e-mail address is the login, stored in lower case."""

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    # Access to Django's admin site only; roles in Talang come from Membership.
    is_staff = models.BooleanField(_("admin site access"), default=False)
    # Demo accounts may skip the second factor, and only while TALANG_DEMO is on.
    is_demo = models.BooleanField(default=False)
    # The language of the pages and of the e-mails Talang sends the user (the language switch).
    language = models.CharField(_("language"), max_length=8, default="sv")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or f"user {self.pk}"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else ""


class Role(models.TextChoices):
    GUIDE = "guide", _("Guide")
    COORDINATOR = "coordinator", _("Coordinator")
    COMMUNICATOR = "communicator", _("Communicator")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in a region; a guide belongs to one municipality of it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("municipality"),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="guide") | models.Q(municipality__isnull=False),
                name="membership_guide_has_municipality",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    role__in=[
                        "guide",
                        "coordinator",
                        "communicator",
                        "network_coordinator",
                        "viewer",
                    ]
                ),
                name="membership_role_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.municipality or self.region})"


class UserChange(models.Model):
    """Who changed which account, when and how. Append-only."""

    class Action(models.TextChoices):
        INVITED = "invited", _("invited")
        CREATED = "created", _("created")
        ROLE_CHANGED = "role_changed", _("role or municipality changed")
        DEACTIVATED = "deactivated", _("deactivated")
        REACTIVATED = "reactivated", _("reactivated")
        PASSWORD_SET = "password_set", _("password set")
        SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("second factor enrolled")
        SECOND_FACTOR_RESET = "second_factor_reset", _("second factor reset")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("recovery codes renewed")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="changes")
    # None when the change was made on the command line or by the system.
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes_made"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    # What changed, as field → [before, after]; never a secret.
    details = models.JSONField(default=dict, blank=True)
    via = models.CharField(max_length=16, default="web")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token for /api/v1/. Only a SHA-256 hash of it is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # The first characters, shown in lists so that a token can be recognised.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
