"""Roles and data scopes: `can(actor, action, obj)`, `require(...)` and `visible_to(actor, queryset)`."""

from .permissions import (
    can,
    covers_through,
    get_visible,
    granted_scope,
    holders_of,
    may_assign_owner,
    may_assign_team,
    pointing_at_visible,
    require,
    scope_filter,
    visible_to,
)
from .registry import Module, ScopedModel, module_for_model, modules, register_module

__all__ = [
    "Module", "ScopedModel", "can", "covers_through", "get_visible", "granted_scope", "holders_of", "may_assign_owner",
    "may_assign_team", "modules", "module_for_model", "pointing_at_visible", "register_module", "require",
    "scope_filter", "visible_to",
]
