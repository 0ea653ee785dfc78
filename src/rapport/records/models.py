"""What administrators and users add to any kind of record: custom fields and saved list views."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldType(models.TextChoices):
    TEXT = "text", _("Text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    MONEY = "money", _("Money")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes/no")
    URL = "url", _("URL")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")


class CustomField(models.Model):
    """A field an administrator adds to a record type; values live in the record's JSON column."""

    entity = models.CharField(_("record type"), max_length=30,
                              help_text=_("The kind of record that gets the field, e.g. account."))
    key = models.SlugField(
        _("key"), max_length=50, help_text=_("Lower-case letters, digits and underscores; used in the API and filters.")
    )
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(_("type"), max_length=20, choices=FieldType.choices, default=FieldType.TEXT)
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("For choice fields: a list of options.")
    )
    required = models.BooleanField(_("required"), default=False)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["entity", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["entity", "key"], name="custom_field_key_per_type")]

    def __str__(self) -> str:
        return f"{self.entity_label}: {self.label}"

    @property
    def entity_label(self) -> str:
        from .registry import record_types

        return str(record_types.get(self.entity).label) if self.entity in record_types else self.entity

    def clean(self) -> None:
        from .custom_fields import definition_errors  # custom_fields imports this module

        if errors := definition_errors(self):
            raise ValidationError(errors)


class SavedView(models.Model):
    """A named list view of one record type: its filters, sort and columns, as a query string."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    entity = models.CharField(max_length=30)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "entity", "name"], name="saved_view_name_per_user")]

    def __str__(self) -> str:
        return self.name
