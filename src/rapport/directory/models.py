"""Internal people: users, teams and who reports to whom."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.core.remembered import new_stamp, remembered


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    department = models.CharField(_("department"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    email = models.EmailField(_("email address"), blank=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", verbose_name=_("manager"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    role = models.ForeignKey(
        "access.Role", verbose_name=_("role"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="users",
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True)
    # What is kept about the user across requests is filed under this (rapport.core.remembered).
    stamp = models.BigIntegerField(default=new_stamp, editable=False)

    objects = UserManager()
    NAME_FIELDS = ("display_name", "first_name", "last_name", "username")  # what str(user) reads

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"), condition=~models.Q(email=""), name="unique_user_email",
                violation_error_message=_("Another user already has this email address."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def visible_owner_ids(self) -> list[int]:
        """This user and everyone who reports to them, directly or through others."""
        return remembered(self, "visible owners", self._owners_reporting)

    def _owners_reporting(self) -> list[int]:
        owners, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = [pk for pk in User.objects.filter(manager_id__in=frontier).values_list("pk", flat=True)
                        if pk not in owners]
            owners.extend(frontier)
        return owners

    def team_member_ids(self) -> list[int]:
        """Everyone in this user's team, this user included; none without a team."""
        if not self.team_id:
            return []
        return remembered(self, "team members", lambda: list(
            User.objects.filter(team_id=self.team_id).values_list("pk", flat=True)))


class UserSession(models.Model):
    """Which sessions belong to whom, so they can be ended when a user is deactivated."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.session_key[:8]}…"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 digest is stored, the token is shown once."""

    PREFIX = "rpt_"
    USE_RECORDED_EVERY = timedelta(minutes=1)

    class Purpose(models.TextChoices):
        API = "api", _("API")  # everything its user may do
        INBOUND_MAIL = "inbound_mail", _("Inbound mail")  # a mail server delivering messages, nothing else

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    lookup = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.API)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.PREFIX}{self.lookup}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RecentlyViewed(models.Model):
    """The records a user opened last, for the home page."""

    WRITTEN_EVERY = 60  # seconds: views of the same record within a minute are one

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="one_recent_view_per_record")
        ]
        indexes = [models.Index(fields=["user", "-viewed_at"], name="recent_views_by_user")]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.content_type_id}#{self.object_id}"
