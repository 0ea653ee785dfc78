"""Roles grant, per module and action, a data scope."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scopes import Scope


class Role(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Grant(models.Model):
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="grants")
    module = models.CharField(_("module"), max_length=50)
    action = models.CharField(_("action"), max_length=50)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.NONE)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [models.UniqueConstraint(fields=["role", "module", "action"], name="one_grant_per_action")]

    def __str__(self) -> str:
        return f"{self.role}: {self.module}.{self.action} = {self.scope}"
