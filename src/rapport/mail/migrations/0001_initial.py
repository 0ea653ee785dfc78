"""Email's models, moved here from the timeline app with their tables (timeline_emailmessage,
timeline_emailattachment and the activities link keep their names): nothing in the database changes but
the app its content types name."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _move(apps, source: str, target: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects
    content_types.filter(app_label=source, model__in=["emailmessage", "emailattachment"]).update(app_label=target)


def content_types_follow(apps, schema_editor):
    _move(apps, "timeline", "mail")


def content_types_go_back(apps, schema_editor):
    _move(apps, "mail", "timeline")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('timeline', '0005_email_moves_to_the_mail_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='EmailMessage',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('direction', models.CharField(choices=[('in', 'Received'), ('out', 'Sent')], max_length=3, verbose_name='direction')),
                    ('message_id', models.CharField(db_index=True, max_length=300)),
                    ('in_reply_to', models.CharField(blank=True, max_length=300)),
                    ('thread_key', models.CharField(db_index=True, max_length=300)),
                    ('subject', models.CharField(blank=True, max_length=300, verbose_name='subject')),
                    ('from_address', models.CharField(max_length=300, verbose_name='from')),
                    ('to_addresses', models.JSONField(default=list, verbose_name='to')),
                    ('cc_addresses', models.JSONField(default=list, verbose_name='cc')),
                    ('sent_at', models.DateTimeField(verbose_name='sent')),
                    ('body_text', models.TextField(blank=True)),
                    ('filed_at', models.DateTimeField(blank=True, null=True)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                    ('activities', models.ManyToManyField(blank=True, related_name='emails', to='timeline.activity')),
                    ('received_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'email',
                    'verbose_name_plural': 'emails',
                    'db_table': 'timeline_emailmessage',
                    'ordering': ['-sent_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='EmailAttachment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('file', models.FileField(upload_to='email-attachments/%Y/%m/')),
                    ('filename', models.CharField(max_length=255)),
                    ('content_type', models.CharField(max_length=100)),
                    ('size', models.PositiveIntegerField()),
                    ('email', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='mail.emailmessage')),
                ],
                options={
                    'db_table': 'timeline_emailattachment',
                },
            ),
        ]),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
