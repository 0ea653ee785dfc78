"""Email moved to its own app (rapport.mail). Its tables stay where they are; only Django's idea of which
app holds them changes (see mail.0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("timeline", "0004_words_in_the_readers_language")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(model_name="emailmessage", name="activities"),
            migrations.RemoveField(model_name="emailmessage", name="received_by"),
            migrations.DeleteModel(name="EmailAttachment"),
            migrations.DeleteModel(name="EmailMessage"),
        ]),
    ]
