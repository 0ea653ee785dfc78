"""The security log and the change history, for administrators to read; nobody edits them."""

from django.contrib import admin

from .models import Change, SecurityEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "username", "user", "address", "detail")
    list_filter = ("kind", "at")
    list_select_related = ("user",)
    search_fields = ("username", "address", "user__username", "user__email", "detail")
    date_hierarchy = "at"


@admin.register(Change)
class ChangeAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "content_type", "object_id", "actor", "version", "note")
    list_filter = ("action", "content_type", "at")
    list_select_related = ("actor", "content_type")
    search_fields = ("=object_id", "actor__username", "note")
    date_hierarchy = "at"
