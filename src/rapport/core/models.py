"""Base models shared by every business record."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .parsing import complete_url


class AliveManager(models.Manager):
    """Hides soft-deleted rows; `all_objects` sees them (recycle bin, restore)."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class BusinessRecord(models.Model):
    """A record people own and edit: versioned, soft-deletable, with owner and team."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "directory.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deleted by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )

    objects = AliveManager()
    all_objects = models.Manager()  # noqa: DJ012 - a second manager, not a field

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class IdempotencyKey(models.Model):
    """The outcome of a POST sent with an `Idempotency-Key`, so a retry replays it instead of acting twice.

    `fingerprint` is the SHA-256 of the request's method, path and body: the same key may not be
    reused for a different request.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key_per_user")]

    def __str__(self) -> str:
        return self.key


def set_fields(record: models.Model, data: dict, fields) -> None:
    """Set each of `fields` that `data` holds, read as the forms read it, so every way in stores the same:
    text loses its surrounding white space (a name of spaces is blank), a web address typed without its
    scheme gets https://."""
    for field in fields:
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
                if isinstance(record._meta.get_field(field), models.URLField):
                    value = complete_url(value)
            setattr(record, field, value)
