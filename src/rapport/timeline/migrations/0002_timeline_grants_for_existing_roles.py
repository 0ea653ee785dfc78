"""Roles that existed before the timeline get the same scopes on it as on customers."""

from django.db import migrations


def copy_customer_grants(apps, schema_editor):
    Grant = apps.get_model("access", "Grant")
    existing = set(Grant.objects.filter(module="timeline").values_list("role_id", "action"))
    Grant.objects.bulk_create(
        Grant(role_id=grant.role_id, module="timeline", action=grant.action, scope=grant.scope)
        for grant in Grant.objects.filter(module="customers")
        if (grant.role_id, grant.action) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_activities_tasks_timeline"), ("access", "0001_initial")]
    operations = [migrations.RunPython(copy_customer_grants, migrations.RunPython.noop)]
