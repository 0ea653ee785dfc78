"""Roles and their grants: one row per registered module and action, each with a scope."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Grant, Role
from .registry import modules
from .scopes import Scope


def module_choices() -> list[tuple[str, str]]:
    return [(module.name, module.label) for module in modules]


def action_choices() -> list[tuple[str, str]]:
    actions = {}
    for module in modules:
        actions.update(module.actions)
    return list(actions.items())


def ungranted_actions(role: Role | None) -> list[dict[str, str]]:
    """Every registered module and action the role has no grant for yet, in registry order."""
    granted = set(role.grants.values_list("module", "action")) if role and role.pk else set()
    return [
        {"module": module.name, "action": action, "scope": Scope.NONE}
        for module in modules for action in module.actions
        if (module.name, action) not in granted
    ]


class GrantForm(forms.ModelForm):
    module = forms.ChoiceField(label=_("module"), choices=module_choices)
    action = forms.ChoiceField(label=_("action"), choices=action_choices)

    class Meta:
        model = Grant
        fields = ("module", "action", "scope")

    def clean(self):
        cleaned = super().clean()
        module, action = cleaned.get("module"), cleaned.get("action")
        if module in modules and action and action not in modules.get(module).actions:
            self.add_error("action", _("“%(module)s” has no action “%(action)s”.")
                           % {"module": modules.get(module).label, "action": action})
        return cleaned


class GrantInline(admin.TabularInline):
    model = Grant
    form = GrantForm
    ordering = ("module", "action")

    def get_extra(self, request, obj=None, **kwargs):
        return len(ungranted_actions(obj))


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "description", "user_count")
    search_fields = ("name", "description")
    inlines = [GrantInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(user_count=Count("users"))

    @admin.display(description=_("users"), ordering="user_count")
    def user_count(self, role) -> int:
        return role.user_count

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, GrantInline):
            kwargs["initial"] = ungranted_actions(obj)
        return kwargs
