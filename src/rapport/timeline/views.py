"""Timeline pages: the customer's story, logging activities, tasks, comments, inbox, calendar."""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rapport.core.errors import InvalidInput, NotFound, Refused
from rapport.core.feedback import flash_errors
from rapport.core.http import domain_errors_as_http
from rapport.core.pagination import paginate
from rapport.customers.selectors import account_get, contact_get
from rapport.records.pages import RecordPages

from . import ical, selectors, services
from .filters import ACTIVITY_LIST, TASK_LIST
from .forms import ACTIVITY_FIELDSETS, TASK_FIELDSETS, ActivityForm, CommentForm, CompleteTaskForm, TaskForm
from .models import CalendarFeed
from .operations import ACTIVITY_OPERATIONS, TASK_OPERATIONS
from .registry import inbox_links


def _customer(request, kind: str, pk: int) -> dict:
    if kind == "account":
        return {"account": account_get(actor=request.user, account_id=pk)}
    if kind == "contact":
        return {"contact": contact_get(actor=request.user, contact_id=pk)}
    raise NotFound()


@login_required
@domain_errors_as_http
def timeline_entries(request, kind: str, pk: int):
    """The timeline's entries for a filter or the next page (htmx: filter bar and infinite scroll)."""
    customer = _customer(request, kind, pk)
    try:
        filters = selectors.TimelineFilters.from_query(request.GET)
        page = selectors.timeline_page(actor=request.user, **customer, filters=filters,
                                       cursor=request.GET.get("cursor"))
    except InvalidInput as error:
        return HttpResponse(" ".join(str(m) for ms in error.fields.values() for m in ms), status=400)
    return render(request, "timeline/sections/entries.html",
                  {"page": page, "filters": filters, "kind": kind, "pk": pk, **customer})


# --- activities and tasks: the record pages every record type gets (records.pages) ----------------


def _back_to_customer(record) -> str:
    if record.contact_id and not record.account_id:
        return record.contact.get_absolute_url()
    return record.account.get_absolute_url() if record.account_id else ""


def _initial(*keys):
    """A new record's form starts on the customer (and kind) its link names: ?account=12&kind=visit."""
    return lambda query: {key: query[key] for key in keys if query.get(key)}


def _activity_context(actor, activity) -> dict:
    return {"activity": activity, "comments": selectors.comments_of(activity), "comment_form": CommentForm(),
            "participants": [*activity.participant_users.all(), *activity.participant_contacts.all()]}


def _task_context(actor, task) -> dict:
    return {"task": task, "complete_form": CompleteTaskForm(), "comments": selectors.comments_of(task),
            "comment_form": CommentForm()}


ACTIVITIES = RecordPages(
    record_type_key="activity", nav="activities", url_namespace="timeline", url_prefix="activity",
    new_label=gettext_lazy("Log an activity"), form_class=ActivityForm, fieldsets=ACTIVITY_FIELDSETS,
    list=ACTIVITY_LIST, operations=ACTIVITY_OPERATIONS,
    detail_template="timeline/activity_detail.html", detail_context=_activity_context,
    initial=_initial("account", "contact", "kind"), bulk_actions=("delete",),
    created_message=lambda activity: _("%(activity)s is logged.") % {"activity": activity.get_kind_display()},
    after_create=lambda activity: _back_to_customer(activity) or activity.get_absolute_url(),
    after_delete=lambda activity: _back_to_customer(activity) or reverse("home"),
)
TASKS = RecordPages(
    record_type_key="task", nav="tasks", url_namespace="timeline", url_prefix="task",
    new_label=gettext_lazy("New task"), form_class=TaskForm, fieldsets=TASK_FIELDSETS,
    list=TASK_LIST, operations=TASK_OPERATIONS,
    detail_template="timeline/task_detail.html", detail_context=_task_context,
    initial=_initial("account", "contact"), bulk_actions=("delete",),
    created_message=lambda task: _("The task is given to %(person)s.") % {"person": task.assignee},
    after_create=lambda task: _back_to_customer(task) or reverse("timeline:my_tasks"),
    after_delete=lambda task: reverse("timeline:my_tasks"),
)


MY_TASKS_PER_PAGE = 50  # a rep with a fifth of all customers has a thousand open tasks


@login_required
def my_tasks(request):
    try:
        page = paginate(selectors.open_tasks_of(actor=request.user), selectors.MY_TASKS_ORDER,
                        cursor=request.GET.get("cursor"), per_page=MY_TASKS_PER_PAGE)
    except InvalidInput:  # a damaged page link: start from the first page
        return redirect("timeline:my_tasks")
    template = "timeline/my_tasks.html#results" if request.htmx else "timeline/my_tasks.html"
    return render(request, template, {"page": page, "tasks": page.rows, "base_query": "", "nav": "tasks"})


@login_required
@require_POST
@domain_errors_as_http
def task_complete(request, pk: int):
    task = selectors.task_get(actor=request.user, task_id=pk)
    form = CompleteTaskForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form.errors)
        return redirect(task.get_absolute_url())
    try:
        services.task_complete(actor=request.user, task=task, outcome=form.cleaned_data["outcome"])
    except Refused as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("Done. The outcome is on the customer's timeline."))
    return redirect(task.get_absolute_url())


# --- comments ---------------------------------------------------------------------------------


@login_required
@require_POST
@domain_errors_as_http
def comment_add(request, content_type_id: int, pk: int):
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    if model is None or not hasattr(model, "get_absolute_url"):
        raise NotFound()
    target = model._default_manager.filter(pk=pk).first()
    if target is None:
        raise NotFound()
    try:
        services.comment_add(actor=request.user, target=target, body=request.POST.get("body", ""))
    except InvalidInput as error:
        flash_errors(request, error.fields)
    return redirect(f"{target.get_absolute_url()}#comments")


# --- inbox ------------------------------------------------------------------------------------


@login_required
def inbox(request):
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("timeline:inbox")
    return render(request, "timeline/inbox.html", {"notifications": selectors.inbox(user=request.user, limit=200),
                                                   "inbox_links": list(inbox_links.items()), "nav": "inbox"})


@login_required
def notification_open(request, pk: int):
    notification = request.user.notifications.filter(pk=pk).first()
    if notification is None:
        raise Http404()
    services.notifications_mark_read(user=request.user, ids=[pk])
    return redirect(notification.url or "timeline:inbox")


# --- calendar ---------------------------------------------------------------------------------


@login_required
def calendar_week(request):
    try:
        day = date.fromisoformat(request.GET.get("week", "")) if request.GET.get("week") else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    start = timezone.make_aware(datetime.combine(monday, time.min))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "timeline/calendar.html", {
        "days": selectors.week_of(actor=request.user, start=start), "monday": monday,
        "previous_week": (monday - timedelta(days=7)).isoformat(),
        "next_week": (monday + timedelta(days=7)).isoformat(),
        "today": timezone.localdate(), "feed": feed,
        "feed_url": request.build_absolute_uri(reverse("timeline:calendar_feed", args=[feed.secret])) if feed else "",
        "nav": "calendar",
    })


@login_required
@require_POST
def calendar_feed_manage(request):
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(user=request.user)
        messages.success(request, _("The calendar address is revoked; calendar apps using it stop updating."))
    else:
        services.calendar_feed_renew(user=request.user)
        messages.success(request, _("Your calendar address is ready. Any previous address no longer works."))
    return redirect("timeline:calendar")


def calendar_feed(request, secret: str):
    """A user's iCalendar feed; the secret in the address is the only credential, so it is revocable."""
    feed = CalendarFeed.objects.select_related("user").filter(secret=secret, user__is_active=True).first()
    if feed is None:
        raise Http404()
    activities, tasks = selectors.calendar_items(user=feed.user, since=timezone.now() - timedelta(days=60))
    body = ical.calendar(user=feed.user, activities=activities, tasks=tasks, base_url=request.build_absolute_uri("/"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")

