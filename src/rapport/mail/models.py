"""Email in and out: stored messages, their attachments, and the activities they are filed as.

The tables keep the names they had when email lived in the timeline app.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.timeline.models import Activity


class EmailDirection(models.TextChoices):
    INBOUND = "in", _("Received")
    OUTBOUND = "out", _("Sent")


class EmailMessage(models.Model):
    """An email sent from Rapport or delivered to it; matched contacts get an email activity each."""

    direction = models.CharField(_("direction"), max_length=3, choices=EmailDirection.choices)
    message_id = models.CharField(max_length=300, db_index=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    thread_key = models.CharField(max_length=300, db_index=True)  # the Message-ID that started the thread
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    from_address = models.CharField(_("from"), max_length=300)
    to_addresses = models.JSONField(_("to"), default=list)
    cc_addresses = models.JSONField(_("cc"), default=list)
    sent_at = models.DateTimeField(_("sent"))
    body_text = models.TextField(blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    activities = models.ManyToManyField(Activity, blank=True, related_name="emails")
    filed_at = models.DateTimeField(null=True, blank=True)  # when an unmatched message was filed by hand
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "timeline_emailmessage"
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject or self.message_id


class EmailAttachment(models.Model):
    email = models.ForeignKey(EmailMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="email-attachments/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        db_table = "timeline_emailattachment"

    def __str__(self) -> str:
        return self.filename
