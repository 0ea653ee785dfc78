"""Every write of the timeline app: activities, tasks, comments, notifications, calendar feeds."""

import re
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from rapport import access
from rapport.core.background import enqueue_on_commit
from rapport.core.errors import Conflict, InvalidInput
from rapport.core.models import set_fields
from rapport.core.phrases import moment, phrase
from rapport.core.remembered import forget_about
from rapport.customers.models import Account, Contact
from rapport.directory.models import User
from rapport.records import services as records
from rapport.records.custom_fields import apply_custom_values

from .events import department_of, record_event, update_events_of
from .models import Activity, ActivityKind, CalendarFeed, Comment, Notification, Task, TaskStatus, TimelineEntry

MODULE = "timeline"
ACTIVITY_FIELDS = ("kind", "subject", "body", "occurred_at", "duration_minutes", "outcome", "place", "account",
                   "contact")
TASK_FIELDS = ("title", "description", "assignee", "due_at", "priority", "remind_minutes_before", "account",
               "contact")
MENTION = re.compile(r"(?<![\w.])@([\w.+-]+)")


# --- activities -------------------------------------------------------------------------------


def activity_create(*, actor, data: dict) -> Activity:
    """Log a call, visit, meeting, email or note; with `check_in`, a visit records the time of arrival."""
    access.require(actor, f"{MODULE}.create")
    activity = Activity(owner=actor, team=actor.team, created_by=actor, author_department=department_of(actor))
    participants = _apply(activity, actor=actor, data=data, fields=ACTIVITY_FIELDS)
    with transaction.atomic():
        activity.save()
        _set_participants(activity, participants)
        records.records_created(actor=actor, model=Activity, records=[activity])
        record_event(kind=f"activity.{activity.kind}", title=activity.subject, detail=_activity_detail(activity),
                     account=activity.account, contact=activity.contact, actor=actor,
                     occurred_at=activity.occurred_at, source=activity)
    return activity


def activity_update(*, actor, activity: Activity, data: dict, version: int | None) -> Activity:
    def change(current: Activity) -> None:
        _set_participants(current, _apply(current, actor=actor, data=data, fields=ACTIVITY_FIELDS))

    with transaction.atomic():
        current = records.record_update(actor=actor, record=activity, version=version, change=change)
        if current.emails.exists():
            # An email's entries keep their own kind and per-account placement (see timeline.email).
            update_events_of(current, title=current.subject, detail=_activity_detail(current))
        else:
            update_events_of(current, kind=f"activity.{current.kind}", title=current.subject,
                             detail=_activity_detail(current), occurred_at=current.occurred_at,
                             account=current.account, contact=current.contact)
    return current


def activity_delete(*, actor, activity: Activity) -> Activity:
    """Into the recycle bin, and its entries off the timelines until it is restored."""
    return records.record_delete(actor=actor, record=activity)


def _activity_detail(activity: Activity) -> list | str:
    """The notes as written, then the outcome and the place, labelled in the reader's language."""
    parts = [activity.body[:500]] if activity.body else []
    if activity.outcome:
        parts.append(phrase(gettext_noop("Outcome: %(outcome)s"), outcome=activity.outcome))
    if activity.place:
        parts.append(phrase(gettext_noop("Place: %(place)s"), place=activity.place))
    return parts or ""


def _set_participants(activity: Activity, participants: dict) -> None:
    if "participant_users" in participants:
        activity.participant_users.set(participants["participant_users"])
    if "participant_contacts" in participants:
        activity.participant_contacts.set(participants["participant_contacts"])


# --- two customers merging ---------------------------------------------------------------------


def customer_merged(*, actor, source, target) -> None:
    """The story of a customer merged away becomes the kept one's: its activities and tasks (a history row
    each), its timeline lines, its comments and the meetings it took part in."""
    field = "account" if source._meta.model_name == "account" else "contact"
    for model in (Activity, Task):
        records.records_reassign(actor=actor, model=model, field=field, source=source, target=target)
    TimelineEntry.all_entries.filter(**{field: source}).update(**{field: target})
    Comment.objects.filter(**{field: source}).update(**{field: target})
    Comment.objects.filter(content_type=ContentType.objects.get_for_model(source), object_id=source.pk).update(
        object_id=target.pk)
    if field == "contact":
        present = Activity.participant_contacts.through.objects
        moved = [present.model(activity_id=activity_id, contact_id=target.pk)
                 for activity_id in present.filter(contact_id=source.pk).values_list("activity_id", flat=True)]
        present.bulk_create(moved, ignore_conflicts=True)
        present.filter(contact_id=source.pk).delete()


# --- shared validation ------------------------------------------------------------------------


def _apply(record, *, actor, data: dict, fields: tuple[str, ...]) -> dict:
    """Set and validate the given fields; return the many-to-many values to set after saving."""
    errors: dict[str, list[str]] = {}
    allowed = set(fields) | {"participant_users", "participant_contacts", "check_in", "custom"}
    for field in sorted(set(data) - allowed):
        errors[field] = [_("This field cannot be set.")]
    customers_before = (record.account_id, record.contact_id) if record.pk else (None, None)
    set_fields(record, data, fields)
    if isinstance(record, Activity):
        if data.get("check_in") and record.kind == ActivityKind.VISIT and record.checked_in_at is None:
            record.checked_in_at = timezone.now()
        if record.kind == ActivityKind.VISIT and not record.place and "place" in data:
            errors["place"] = [_("Where was the visit?")]
    if record.contact_id and record.account_id is None:
        record.account = record.contact.account
    # Only a customer the edit puts on the record must be visible to its editor: the assignee of a task on a
    # colleague's account may still change its description.
    if record.account_id != customers_before[0]:
        _check_customer(actor, record, "account", errors)
    if record.contact_id != customers_before[1]:
        _check_customer(actor, record, "contact", errors)
    if record.account_id and record.contact_id and record.contact.account_id not in (None, record.account_id):
        errors["contact"] = [_("This person belongs to another account.")]
    apply_custom_values(record, data, errors)
    participants = {}
    if "participant_users" in data:
        participants["participant_users"] = list(data["participant_users"])
        if any(not user.is_active for user in participants["participant_users"]):
            errors["participant_users"] = [_("Choose colleagues who are still here.")]
    if "participant_contacts" in data:
        contacts = list(data["participant_contacts"])
        if any(not access.can(actor, "customers.view", contact) for contact in contacts):
            errors["participant_contacts"] = [_("Choose people you can see.")]
        participants["participant_contacts"] = contacts
    try:
        record.full_clean(exclude=["owner", "team", "created_by", "deleted_by", "custom", "related_type",
                                   "assignee", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise InvalidInput(fields=errors)
    return participants


def _check_customer(actor, record, field: str, errors: dict) -> None:
    customer = getattr(record, field)
    if customer is not None and not access.can(actor, "customers.view", customer):
        errors[field] = [_("Choose a customer you can see.")]


# --- tasks ------------------------------------------------------------------------------------


def task_create(*, actor, data: dict) -> Task:
    """Give a task to anyone, in any department; they hear of it in their inbox and by email."""
    access.require(actor, f"{MODULE}.create")
    task = Task(owner=actor, team=actor.team, created_by=actor, assignee=actor)  # one's own unless given
    _check_assignee(data)
    _apply(task, actor=actor, data=data, fields=TASK_FIELDS)
    with transaction.atomic():
        task.save()
        records.records_created(actor=actor, model=Task, records=[task])
        if task.account_id or task.contact_id:
            record_event(kind="task.created", title=task.title, detail=_task_detail(task), account=task.account,
                         contact=task.contact, actor=actor, source=task)
        if task.assignee_id != actor.pk:
            notify(user=task.assignee, kind="task", url=task.get_absolute_url(), words=_task_given(actor, task))
        _schedule_reminder(task)
    return task


def task_update(*, actor, task: Task, data: dict, version: int | None) -> Task:
    _check_assignee(data)
    assigned_before = {}

    def change(current: Task) -> None:
        assigned_before["id"] = current.assignee_id
        _apply(current, actor=actor, data=data, fields=TASK_FIELDS)
        if "due_at" in data or "remind_minutes_before" in data:
            current.reminded_at = None

    with transaction.atomic():
        current = records.record_update(actor=actor, record=task, version=version, change=change)
        update_events_of(current, title=current.title, detail=_task_detail(current))
        if current.assignee_id != assigned_before["id"] and current.assignee_id != actor.pk:
            notify(user=current.assignee, kind="task", url=current.get_absolute_url(),
                   words=_task_given(actor, current))
        _schedule_reminder(current)
    return current


def task_complete(*, actor, task: Task, outcome: str = "") -> Task:
    """Mark a task done; its outcome lands on the customer's timeline."""
    def close(current: Task) -> None:
        if current.status != TaskStatus.OPEN:
            raise Conflict(_("This task is already closed."))
        current.status, current.completed_at, current.outcome = TaskStatus.DONE, timezone.now(), outcome.strip()

    with transaction.atomic():
        task = records.record_update(actor=actor, record=task, version=None, change=close)
        if task.account_id or task.contact_id:
            record_event(kind="task.completed", title=task.title, detail=task.outcome, account=task.account,
                         contact=task.contact, actor=actor, source=task)
        if task.owner_id != actor.pk:
            notify(user=task.owner, kind="task_done", url=task.get_absolute_url(),
                   words=phrase(gettext_noop("%(person)s completed: %(task)s"), person=str(actor), task=task.title))
    return task


def task_delete(*, actor, task: Task) -> Task:
    return records.record_delete(actor=actor, record=task)


def _check_assignee(data: dict) -> None:
    if "assignee" in data and (data["assignee"] is None or not data["assignee"].is_active):
        raise InvalidInput(fields={"assignee": [_("Choose an active colleague.")]})


def _task_given(actor, task: Task) -> dict:
    return phrase(gettext_noop("%(person)s gave you a task: %(task)s"), person=str(actor), task=task.title)


def _task_detail(task: Task) -> dict:
    if task.due_at is None:
        return phrase(gettext_noop("For %(person)s"), person=str(task.assignee))
    return phrase(gettext_noop("For %(person)s, due %(due)s"), person=str(task.assignee), due=moment(task.due_at))


def _schedule_reminder(task: Task) -> None:
    if task.due_at is None or task.remind_minutes_before is None or task.status != TaskStatus.OPEN:
        return
    remind_at = task.due_at - timedelta(minutes=task.remind_minutes_before)
    enqueue_on_commit("rapport.timeline.tasks.send_task_reminder", run_after=max(remind_at, timezone.now()),
                      task_id=task.pk, version=task.version)


def task_remind(*, task_id: int, version: int) -> bool:
    """Send a task's reminder if it is still due as planned; True when sent."""
    with transaction.atomic():
        task = Task.objects.select_for_update().select_related("assignee").filter(pk=task_id).first()
        if task is None or task.version != version or task.status != TaskStatus.OPEN or task.reminded_at:
            return False
        task.reminded_at = timezone.now()
        task.save(update_fields=["reminded_at"])
        notify(user=task.assignee, kind="reminder", url=task.get_absolute_url(),
               words=phrase(gettext_noop("Reminder: %(task)s is due at %(due)s"), task=task.title,
                            due=moment(task.due_at)))
    return True


# --- comments ---------------------------------------------------------------------------------


def comment_add(*, actor, target, body: str) -> Comment:
    """Comment on any record the actor can see; @username notifies that person."""
    module, _scoped = access.module_for_model(type(target))
    access.require(actor, f"{module.name}.view", target, hide=True)
    body = body.strip()
    if not body:
        raise InvalidInput(fields={"body": [_("Write something first.")]})
    if len(body) > 10000:
        raise InvalidInput(fields={"body": [_("At most %(limit)d characters.") % {"limit": 10000}]})
    account, contact = _customer_of(target)
    mentioned = list(User.objects.filter(username__in=MENTION.findall(body), is_active=True).exclude(pk=actor.pk))
    with transaction.atomic():
        comment = Comment.objects.create(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                                         account=account, contact=contact, author=actor, body=body)
        comment.mentions.set(mentioned)
        url = target.get_absolute_url()
        if account is not None or contact is not None:
            record_event(kind="comment", title=phrase(gettext_noop("%(person)s commented on %(record)s"),
                                                      person=str(actor), record=str(target)),
                         detail=body[:500], account=account, contact=contact, actor=actor, source=comment, url=url)
        for person in mentioned:
            notify(user=person, kind="mention", url=url, words=phrase(
                gettext_noop("%(person)s mentioned you on %(record)s"), person=str(actor), record=str(target)))
    return comment


def _customer_of(target) -> tuple:
    if isinstance(target, Account):
        return target, None
    if isinstance(target, Contact):
        return target.account, target
    return getattr(target, "account", None), getattr(target, "contact", None)


# --- notifications ----------------------------------------------------------------------------


def notify(*, user, kind: str, words, url: str = "") -> Notification:
    """An inbox item, and the same by email once the transaction commits, in the reader's language."""
    notification = Notification.objects.create(user=user, kind=kind, words=words, url=url)
    forget_about(user)  # the unread count
    if user.email:
        enqueue_on_commit("rapport.timeline.tasks.email_notification", notification_id=notification.pk)
    return notification


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    marked = unread.update(read_at=timezone.now())
    if marked:
        forget_about(user)
    return marked


# --- calendar feed ----------------------------------------------------------------------------


def calendar_feed_renew(*, user) -> CalendarFeed:
    """A new secret feed address; the old one stops working."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


def calendar_feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()
