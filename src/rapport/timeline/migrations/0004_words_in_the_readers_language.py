"""Timeline lines and notifications are shown in the reader's language: the words a service generated
("Ray commented on Acme", "lifecycle stage: Prospect → Customer", "Outcome: …") move from text in the
writer's language to `words` (see rapport.core.phrases), recognised in either language they were
written in. Text that matches none of them stays as it was written.

The Chinese of each template is copied here as it was when those rows were written, so a later change
of the translation cannot change what this migration recognises.
"""

import re

from django.db import migrations, models

WRITTEN_AS = {
    "%(person)s gave you a task: %(task)s": "%(person)s 给您分配了任务：%(task)s",
    "%(person)s completed: %(task)s": "%(person)s 已完成任务：%(task)s",
    "Reminder: %(task)s is due at %(due)s": "提醒：任务“%(task)s”将于 %(due)s 到期",
    "%(person)s mentioned you on %(record)s": "%(person)s 在 %(record)s 中提到了您",
    "%(person)s commented on %(record)s": "%(person)s 评论了 %(record)s",
    "%(field)s: %(old)s → %(new)s": "%(field)s：%(old)s → %(new)s",
    "For %(person)s, due %(due)s": "执行人：%(person)s，截止时间：%(due)s",
    "For %(person)s": "执行人：%(person)s",
    "Outcome: %(outcome)s": "结果：%(outcome)s",
    "Place: %(place)s": "地点：%(place)s",
}
NOTIFICATIONS = {
    "task": "%(person)s gave you a task: %(task)s",
    "task_done": "%(person)s completed: %(task)s",
    "reminder": "Reminder: %(task)s is due at %(due)s",
    "mention": "%(person)s mentioned you on %(record)s",
}
CHANGED_FIELDS = {  # the fields whose changes were timeline lines, by their label in either language
    "customers.Account": {"name": "name", "名称": "name", "lifecycle stage": "lifecycle_stage",
                          "生命周期阶段": "lifecycle_stage", "owner": "owner", "负责人": "owner", "rating": "rating",
                          "评级": "rating", "parent account": "parent", "上级客户": "parent"},
    "customers.Contact": {"account": "account", "客户": "account", "owner": "owner", "负责人": "owner",
                          "title": "title", "职务": "title", "marketing consent": "marketing_consent",
                          "营销许可": "marketing_consent"},
}
CHOICES = {  # field -> label in either language -> stored value
    "lifecycle_stage": {"Prospect": "prospect", "潜在客户": "prospect", "Customer": "customer", "成交客户": "customer",
                        "Former customer": "former", "流失客户": "former"},
    "rating": {"Hot": "hot", "热": "hot", "Warm": "warm", "温": "warm", "Cold": "cold", "冷": "cold"},
}
BATCH = 2000


def _pattern(written: str) -> re.Pattern:
    return re.compile(re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(written)), re.S)


PATTERNS = {template: [_pattern(template), _pattern(chinese)] for template, chinese in WRITTEN_AS.items()}


def _recognised(text: str, template: str) -> dict | None:
    for pattern in PATTERNS[template]:
        if match := pattern.fullmatch(text):
            return {"phrase": template, "params": match.groupdict()}
    return None


def _change(text: str, model_label: str) -> dict | None:
    parts = []
    for part in text.split("; "):
        words = _recognised(part, "%(field)s: %(old)s → %(new)s")
        field = words and CHANGED_FIELDS.get(model_label, {}).get(words["params"]["field"])
        if field is None:
            return None
        params = words["params"]
        params["field"] = {"field": f"{model_label}.{field}"}
        for side in ("old", "new"):
            if (value := CHOICES.get(field, {}).get(params[side])) is not None:
                params[side] = {"choice": f"{model_label}.{field}", "value": value}
        parts.append(words)
    return {"parts": parts, "separator": "; "}


def _activity_detail(text: str) -> list | None:
    lines = [_recognised(line, "Outcome: %(outcome)s") or _recognised(line, "Place: %(place)s") or line
             for line in text.split("\n")]
    return lines if any(isinstance(line, dict) for line in lines) else None


def _entry_words(entry, model_labels: dict) -> dict:
    if entry.kind == "comment":
        return {"title": words} if (words := _recognised(entry.title, "%(person)s commented on %(record)s")) else {}
    if entry.kind == "change":
        words = _change(entry.title, model_labels.get(entry.source_type_id, ""))
        return {"title": words} if words else {}
    if entry.kind == "task.created":
        words = (_recognised(entry.detail, "For %(person)s, due %(due)s")
                 or _recognised(entry.detail, "For %(person)s"))
        return {"detail": words} if words else {}
    if entry.kind.startswith("activity.") and entry.detail:
        return {"detail": words} if (words := _activity_detail(entry.detail)) else {}
    return {}


def _in_batches(queryset):
    last_pk = 0
    while batch := list(queryset.filter(pk__gt=last_pk).order_by("pk")[:BATCH]):
        yield batch
        last_pk = batch[-1].pk


def entries_forward(apps, schema_editor):
    entry_model = apps.get_model("timeline", "TimelineEntry")
    content_types = apps.get_model("contenttypes", "ContentType").objects
    model_labels = {content_type.pk: f"{content_type.app_label}.{content_type.model.title()}"
                    for content_type in content_types.filter(app_label="customers")}
    candidates = (models.Q(kind__in=["comment", "change", "task.created"])
                  | models.Q(kind__startswith="activity.", detail__regex=r"(Outcome: |结果：|Place: |地点：)"))
    fields = ("pk", "kind", "title", "detail", "source_type_id")
    for batch in _in_batches(entry_model.objects.filter(candidates).only(*fields)):
        changed = []
        for entry in batch:
            if words := _entry_words(entry, model_labels):
                entry.words = words
                entry.title = "" if "title" in words else entry.title
                entry.detail = "" if "detail" in words else entry.detail
                changed.append(entry)
        entry_model.objects.bulk_update(changed, ["words", "title", "detail"], batch_size=500)


def notifications_forward(apps, schema_editor):
    notification_model = apps.get_model("timeline", "Notification")
    for batch in _in_batches(notification_model.objects.only("pk", "kind", "title")):
        for notification in batch:
            template = NOTIFICATIONS.get(notification.kind)
            notification.words = (template and _recognised(notification.title, template)) or notification.title
        notification_model.objects.bulk_update(batch, ["words"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("timeline", "0003_timeline_entries_follow_their_record_into_the_recycle_bin"),
    ]

    operations = [
        migrations.AddField("timelineentry", "words", models.JSONField(blank=True, default=dict)),
        migrations.AlterField("timelineentry", "title", models.CharField(blank=True, max_length=300)),
        migrations.AddField("notification", "words", models.JSONField(default=str)),
        migrations.RunPython(entries_forward, migrations.RunPython.noop),
        migrations.RunPython(notifications_forward, migrations.RunPython.noop),
        migrations.RemoveField("notification", "title"),
    ]
