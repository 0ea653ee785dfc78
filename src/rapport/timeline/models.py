"""Everything that happens with a customer: activities, tasks, comments, emails, notifications,
and the timeline entries that merge them (written when the thing happens, never rebuilt on read)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.core.links import reverse_with_id
from rapport.core.models import BusinessRecord
from rapport.core.phrases import render


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email")
    NOTE = "note", _("Note")


class Activity(BusinessRecord):
    """A call, visit, meeting, email or note; `owner` is its author."""

    kind = models.CharField(_("type"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.CALL)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("notes"), blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    author_department = models.CharField(_("department"), max_length=100, blank=True, editable=False)
    account = models.ForeignKey(
        "customers.Account", verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="activities",
    )
    contact = models.ForeignKey(
        "customers.Contact", verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="activities",
    )
    participant_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("colleagues present"), blank=True, related_name="+"
    )
    participant_contacts = models.ManyToManyField(
        "customers.Contact", verbose_name=_("customer participants"), blank=True, related_name="+"
    )
    # What a later module's record (deal, ticket, order) this is about, without this app knowing it.
    related_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["account", "-occurred_at", "-id"], name="activity_account"),
            models.Index(fields=["contact", "-occurred_at", "-id"], name="activity_contact"),
            models.Index(fields=["owner", "-occurred_at", "-id"], name="activity_owner"),
            models.Index(fields=["related_type", "related_id"], name="activity_related"),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse_with_id("timeline:activity_detail", self.pk)


class TaskPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(BusinessRecord):
    """Something one person asks another (or themselves) to do by a time; `owner` is who created it."""

    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="tasks"
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=TaskPriority.choices,
                                default=TaskPriority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    remind_minutes_before = models.PositiveIntegerField(_("remind me (minutes before)"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    account = models.ForeignKey(
        "customers.Account", verbose_name=_("account"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="tasks",
    )
    contact = models.ForeignKey(
        "customers.Contact", verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="tasks",
    )
    related_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    related_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at", "id"], name="task_assignee_due"),
            models.Index(fields=["account", "status", "due_at"], name="task_account_due"),
            models.Index(fields=["contact", "status", "due_at"], name="task_contact_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse_with_id("timeline:task_detail", self.pk)

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at is not None and self.due_at < timezone.now()


class Comment(models.Model):
    """A remark on any record, with @mentions; how a manager coaches on an account or a deal."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    account = models.ForeignKey("customers.Account", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    contact = models.ForeignKey("customers.Contact", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="comment_record")]

    def __str__(self) -> str:
        return self.body[:50]


class ShownEntries(models.Manager):
    """Leaves out the entries of records in the recycle bin; they come back when the record is restored."""

    def get_queryset(self):
        return super().get_queryset().filter(source_deleted=False)


class TimelineEntry(models.Model):
    """One line of a customer's story. Each module writes its own kinds through the timeline registry."""

    kind = models.CharField(max_length=50)  # a registered event type, e.g. "activity.call", "deal.moved"
    occurred_at = models.DateTimeField(default=timezone.now)
    account = models.ForeignKey("customers.Account", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    contact = models.ForeignKey("customers.Contact", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    department = models.CharField(max_length=100, blank=True)
    is_customer_contact = models.BooleanField(default=False)  # a call, visit, meeting or email
    # What someone typed (a subject) is kept as it is in `title` and `detail`; generated words ("Ray commented
    # on Acme", "Outcome: …") are kept in `words` as {"title": …, "detail": …} and shown in the reader's
    # language (core.phrases), beside what an event type's own template shows (a deal's stages).
    title = models.CharField(max_length=300, blank=True)
    detail = models.TextField(blank=True)
    words = models.JSONField(default=dict, blank=True)
    source_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")
    source_id = models.BigIntegerField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    source_deleted = models.BooleanField(default=False, db_default=False)  # in the recycle bin with its source

    objects = ShownEntries()
    all_entries = models.Manager()  # noqa: DJ012 - a second manager, not a field

    class Meta:
        base_manager_name = "all_entries"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # source_deleted second: a customer's shown story is one range of the index, read in order.
            models.Index(fields=["account", "source_deleted", "-occurred_at", "-id"], name="timeline_account_shown"),
            models.Index(fields=["contact", "source_deleted", "-occurred_at", "-id"], name="timeline_contact_shown"),
            models.Index(fields=["account", "is_customer_contact", "-occurred_at"], name="timeline_account_contact"),
            models.Index(fields=["contact", "is_customer_contact", "-occurred_at"], name="timeline_contact_contact"),
            models.Index(fields=["source_type", "source_id"], name="timeline_source"),
        ]

    def __str__(self) -> str:
        return self.shown_title

    @property
    def shown_title(self) -> str:
        return render(self.words["title"]) if "title" in self.words else self.title

    @property
    def shown_detail(self) -> str:
        return render(self.words["detail"]) if "detail" in self.words else self.detail


class Notification(models.Model):
    """An item in a user's inbox: a task given to them, a mention, a reminder."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)
    words = models.JSONField(default=str)  # shown in the reader's language (core.phrases)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return render(self.words)


def new_feed_secret() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret address of a user's iCalendar feed; revoking deletes it, a new one gets a new secret."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    secret = models.CharField(max_length=64, unique=True, default=new_feed_secret)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} calendar"
