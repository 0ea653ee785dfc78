"""Custom fields and saved views belong to every record type now: their rows move to the records app,
and the custom phone values of accounts and contacts are stored in E.164 like every other phone."""

from django.core.management.color import no_style
from django.db import migrations

from rapport.core.phones import to_e164

MOVED = ("CustomField", "SavedView")


def move_rows(apps, schema_editor):
    for name in MOVED:
        old, new = apps.get_model("customers", name), apps.get_model("records", name)
        fields = [field.attname for field in old._meta.concrete_fields]
        new.objects.bulk_create(new(**{field: getattr(row, field) for field in fields}) for row in old.objects.all())
        # The rows keep their ids; the id sequence must continue after them (PostgreSQL).
        with schema_editor.connection.cursor() as cursor:
            for statement in schema_editor.connection.ops.sequence_reset_sql(no_style(), [new]):
                cursor.execute(statement)


def phones_to_e164(apps, schema_editor):
    definitions = apps.get_model("customers", "CustomField").objects.filter(field_type="phone")
    for definition in definitions:
        model = apps.get_model("customers", definition.entity.capitalize())
        changed = []
        for record in model._base_manager.filter(custom__has_key=definition.key).only("id", "custom").iterator():
            stored = record.custom.get(definition.key)
            number = to_e164(str(stored)) if stored else None
            if number and number != stored:
                record.custom[definition.key] = number
                changed.append(record)
        model._base_manager.bulk_update(changed, ["custom"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0006_account_owner_updated"),
        ("records", "0001_custom_fields_and_saved_views"),
    ]

    operations = [
        migrations.RunPython(phones_to_e164, migrations.RunPython.noop),
        migrations.RunPython(move_rows, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="customfield", name="unique_custom_field_key"),
        migrations.DeleteModel(name="CustomField"),
        migrations.RemoveConstraint(model_name="savedview", name="unique_saved_view_name"),
        migrations.DeleteModel(name="SavedView"),
    ]
