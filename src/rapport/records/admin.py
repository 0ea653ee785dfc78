"""Administrators define the custom fields of every record type here."""

from django import forms
from django.contrib import admin

from .models import CustomField
from .registry import record_types


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "entity", "field_type", "required", "active", "position")
    list_filter = ("entity", "field_type", "required", "active")
    search_fields = ("label", "key", "help_text")
    list_editable = ("position", "active")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "entity":  # the record types registered, not a fixed list
            return forms.ChoiceField(label=db_field.verbose_name, help_text=db_field.help_text,
                                     choices=[(key, record_type.label) for key, record_type in record_types.items()])
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Values are stored under the key, per record type: changing either would orphan them.
        return ("entity", "key") if obj is not None else ()
