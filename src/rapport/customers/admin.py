"""Administrators define custom fields here; accounts and contacts are edited in the app, through services."""

from django.contrib import admin

from .models import CustomField


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "entity", "field_type", "required", "active", "position")
    list_filter = ("entity", "field_type", "required", "active")
    search_fields = ("label", "key", "help_text")
    list_editable = ("position", "active")

    def get_readonly_fields(self, request, obj=None):
        # Values are stored under the key, per entity: changing either would orphan them.
        return ("entity", "key") if obj is not None else ()
