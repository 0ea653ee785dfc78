"""Modules register their actions and scoped models here, so roles can grant scopes on them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rapport.core.registry import Registry

STANDARD_ACTIONS = {
    "view": _("view"), "create": _("create"), "edit": _("edit"), "delete": _("delete"), "export": _("export"),
}


@dataclass(frozen=True)
class ScopedModel:
    """How a model's rows relate to people: the paths that name an owner and a team — or, for a model whose
    readers follow a rule of their own rather than a role's scope (a stored email: whoever received it and
    whoever may see one of its activities), that rule: (actor) -> a Q over its rows."""

    label: str  # "customers.Account"
    owner_paths: tuple[str, ...] = ("owner",)
    team_paths: tuple[str, ...] = ("team",)
    rule: Callable[..., Q] | None = None


@dataclass(frozen=True)
class Module:
    name: str
    label: str | Promise
    actions: dict[str, str | Promise] = field(default_factory=lambda: dict(STANDARD_ACTIONS))
    models: tuple[ScopedModel, ...] = ()


modules: Registry[Module] = Registry("access modules")


def register_module(module: Module, *, order: int = 100) -> Module:
    return modules.register(module.name, module, order=order)


def module_for_model(model) -> tuple[Module, ScopedModel]:
    label = model._meta.label
    for module in modules:
        for scoped in module.models:
            if scoped.label == label:
                return module, scoped
    raise LookupError(f"{label} is not registered with any access module.")
