"""Administrators manage people and teams here; deactivation goes through the service."""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Team, User


class UniqueEmailMixin:
    """Name the clash next to the field; the database constraint alone reports it only by its name."""

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another user already has this email address."))
        return email


class UserCreationForm(UniqueEmailMixin, auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "display_name")


class UserChangeForm(UniqueEmailMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("username", "display_name", "email", "team", "manager", "role", "is_active")
    list_filter = ("is_active", "team", "role", "is_staff", "is_superuser", "language")
    list_select_related = ("team", "manager", "role")
    search_fields = ("username", "display_name", "email", "first_name", "last_name", "department")
    autocomplete_fields = ("manager",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email", "phone", "language")}),
        (_("Organisation"), {"fields": ("team", "manager", "role", "department")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "display_name", "usable_password",
                                                 "password1", "password2")}),
    )
    actions = ["deactivate_users"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(actor=request.user, user=obj)

    @admin.action(description=_("Deactivate selected users"), permissions=["change"])
    def deactivate_users(self, request, queryset):
        users = list(queryset.filter(is_active=True))
        for user in users:
            services.user_deactivate(actor=request.user, user=user)
        self.message_user(
            request,
            ngettext("%(count)d user is deactivated and logged out.",
                     "%(count)d users are deactivated and logged out.", len(users)) % {"count": len(users)},
            messages.SUCCESS,
        )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "member_count")
    list_filter = ("department",)
    search_fields = ("name", "department")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, team) -> int:
        return team.member_count
