"""The customer's whole story: activities, tasks, comments and changes on one timeline."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapport.audit.history import history_of
from rapport.core.errors import InvalidInput, NotFound
from rapport.customers.models import Account
from rapport.customers.services import account_update
from rapport.timeline import services
from rapport.timeline.models import Activity, Notification, TaskStatus, TimelineEntry

from ..factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def timeline_titles(client, account) -> list[str]:
    text = client.get(account.get_absolute_url()).content.decode()
    return re.findall(r'<li class="timeline-entry[^"]*"[^>]*>.*?<a href="[^"]*">([^<]+)</a>', text, re.S)


def test_a_visit_logged_by_a_rep_is_first_on_the_agents_view_of_the_account(client, rep, agent):
    rep.department = "Sales"
    rep.save()
    account = AccountFactory(owner=rep, name="Acme")
    services.activity_create(actor=agent, data={"kind": "call", "subject": "Complaint about delivery",
                                                "account": account, "occurred_at": timezone.now() - timedelta(hours=2)})
    visit = services.activity_create(actor=rep, data={"kind": "visit", "subject": "Visited the warehouse",
                                                      "place": "Shenzhen", "account": account, "check_in": True})
    assert visit.checked_in_at is not None and visit.author_department == "Sales"
    client.force_login(agent)
    page = client.get(account.get_absolute_url()).content.decode()
    assert timeline_titles(client, account)[:2] == ["Visited the warehouse", "Complaint about delivery"]
    assert "Sales" in page
    assert re.search(r'id="last-contact">Visited the warehouse · Ray Rep', page)


def test_rep_cannot_log_activity_on_someone_elses_customer(rep, other_rep):
    account = AccountFactory(owner=other_rep)
    with pytest.raises(InvalidInput) as refused:
        services.activity_create(actor=rep, data={"kind": "call", "subject": "Hi", "account": account})
    assert "account" in refused.value.fields
    assert not Activity.objects.exists()


def test_contact_gives_its_account_and_contact_page_shows_its_part(client, rep):
    account = AccountFactory(owner=rep)
    alice, bob = ContactFactory(owner=rep, account=account), ContactFactory(owner=rep, account=account)
    services.activity_create(actor=rep, data={"kind": "call", "subject": "Called Alice", "contact": alice})
    services.activity_create(actor=rep, data={"kind": "call", "subject": "Called Bob", "contact": bob})
    client.force_login(rep)
    assert timeline_titles(client, account)[:2] == ["Called Bob", "Called Alice"]
    alice_page = client.get(alice.get_absolute_url()).content.decode()
    assert "Called Alice" in alice_page and "Called Bob" not in alice_page


def test_timeline_filters_by_type_department_and_person(client, rep, agent):
    agent.department = "Service"
    agent.save()
    account = AccountFactory(owner=rep)
    services.activity_create(actor=agent, data={"kind": "call", "subject": "Service call", "account": account})
    services.activity_create(actor=rep, data={"kind": "note", "subject": "Sales note", "account": account})
    services.task_create(actor=rep, data={"title": "Send quote", "assignee": rep, "account": account,
                                          "due_at": timezone.now() + timedelta(days=1)})
    client.force_login(rep)
    url = reverse("timeline:entries", args=["account", account.pk])

    def titles(**query):
        return re.findall(r'<a href="[^"]*">([^<]+)</a>\s*</div>', client.get(url, query).content.decode())

    assert titles(group="task") == ["Send quote"]
    assert titles(department="Service") == ["Service call"]
    assert titles(person=rep.pk) == ["Send quote", "Sales note"]
    assert client.get(url, {"group": "bogus"}).status_code == 400


def test_timeline_filters_offer_the_departments_and_people_of_its_entries(client, rep, agent):
    agent.department, agent.display_name = "Service", "Agnes Agent"
    agent.save()
    account = AccountFactory(owner=rep)
    services.activity_create(actor=agent, data={"kind": "call", "subject": "Service call", "account": account})
    services.activity_create(actor=rep, data={"kind": "note", "subject": "Sales note", "account": account})
    client.force_login(rep)
    page = client.get(account.get_absolute_url()).content.decode()

    def options(select_id):
        select = re.search(rf'<select id="{select_id}".*?</select>', page, re.S).group(0)
        return re.findall(r"<option[^>]*>([^<]+)</option>", select)[1:]

    assert options("timeline-department") == ["Service"]
    assert options("timeline-person") == ["Agnes Agent", "Ray Rep"]  # by user name: agent, rep1


def test_timeline_loads_more_on_scroll_with_constant_queries(client, rep):
    account = AccountFactory(owner=rep)
    now = timezone.now()
    TimelineEntry.objects.bulk_create(
        TimelineEntry(kind="activity.note", title=f"Note {index:03d}", account=account,
                      occurred_at=now - timedelta(minutes=index)) for index in range(60))
    client.force_login(rep)
    first = client.get(account.get_absolute_url()).content.decode()
    assert "Note 000" in first and "Note 030" not in first
    more = re.search(r'hx-get="([^"]+cursor=[^"]+)" hx-trigger="revealed"', first).group(1).replace("&amp;", "&")
    with CaptureQueriesContext(connection) as page_two:
        second = client.get(more).content.decode()
    assert "Note 025" in second and "Note 000" not in second
    TimelineEntry.objects.bulk_create(
        TimelineEntry(kind="activity.note", title="old", account=account, occurred_at=now - timedelta(days=9))
        for _ in range(200))
    with CaptureQueriesContext(connection) as page_two_again:
        client.get(more)
    assert len(page_two_again) == len(page_two)


def test_account_page_queries_do_not_grow_with_the_timeline(client, rep):
    account = AccountFactory(owner=rep)
    client.force_login(rep)
    services.activity_create(actor=rep, data={"kind": "call", "subject": "First", "account": account})
    client.get(account.get_absolute_url())  # warm process-wide caches (content types)
    with CaptureQueriesContext(connection) as few:
        client.get(account.get_absolute_url())
    for index in range(30):
        services.activity_create(actor=rep, data={"kind": "call", "subject": f"Call {index}", "account": account})
        services.task_create(actor=rep, data={"title": f"Task {index}", "assignee": rep, "account": account})
    with CaptureQueriesContext(connection) as many:
        client.get(account.get_absolute_url())
    assert len(many) == len(few)


def test_a_deleted_visit_and_task_leave_the_timeline_and_come_back_from_the_recycle_bin(client, rep):
    account = AccountFactory(owner=rep)
    visit = services.activity_create(actor=rep, data={"kind": "visit", "subject": "Visited the plant",
                                                      "place": "Foshan", "account": account})
    task = services.task_create(actor=rep, data={"title": "Send the quote", "assignee": rep, "account": account})
    client.force_login(rep)
    assert timeline_titles(client, account) == ["Send the quote", "Visited the plant"]

    services.activity_delete(actor=rep, activity=visit)
    services.task_delete(actor=rep, task=task)

    assert timeline_titles(client, account) == []
    bin_page = client.get(reverse("recycle_bin")).content.decode()
    assert "Visited the plant" in bin_page and "Send the quote" in bin_page
    restored = client.post(reverse("recycle_restore", args=["timeline.activity", visit.pk]))
    assert restored["Location"] == visit.get_absolute_url()
    client.post(reverse("recycle_restore", args=["timeline.task", task.pk]))
    assert timeline_titles(client, account) == ["Send the quote", "Visited the plant"]
    assert [change.action for change in history_of(visit)] == ["restored", "deleted", "created"]


def test_an_activity_in_the_recycle_bin_is_restored_only_by_those_who_may_delete_it(client, rep, other_rep):
    visit = services.activity_create(actor=rep, data={"kind": "call", "subject": "Called", "account":
                                                      AccountFactory(owner=rep)})
    services.activity_delete(actor=rep, activity=visit)
    client.force_login(other_rep)
    assert "Called" not in client.get(reverse("recycle_bin")).content.decode()
    assert client.post(reverse("recycle_restore", args=["timeline.activity", visit.pk])).status_code == 404
    assert Activity.all_objects.get(pk=visit.pk).deleted_at is not None


def test_important_field_changes_appear_on_the_timeline(client, rep, manager):
    account = AccountFactory(owner=rep, lifecycle_stage="prospect")
    account_update(actor=manager, account=account, data={"lifecycle_stage": "customer", "website": "https://a.example"},
                   version=1)
    [entry] = TimelineEntry.objects.filter(account=account, kind="change")
    assert entry.shown_title == "lifecycle stage: Prospect → Customer" and entry.actor == manager


@pytest.mark.django_db(transaction=True)  # the real worker closes its connection after each task
def test_task_for_a_colleague_lands_in_their_inbox_and_email(client, rep, agent, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    account = AccountFactory(owner=rep)
    with django_capture_on_commit_callbacks(execute=True):
        task = services.task_create(actor=rep, data={"title": "Check the invoice", "assignee": agent,
                                                     "account": account, "due_at": timezone.now() + timedelta(hours=3)})
    [notification] = Notification.objects.filter(user=agent)
    assert "Check the invoice" in notification.title
    client.force_login(agent)
    home = client.get("/").content.decode()
    assert re.search(r'class="count-badge"[^>]*>1<', home)
    assert "Check the invoice" in client.get(reverse("timeline:inbox")).content.decode()
    opened = client.get(reverse("timeline:notification_open", args=[notification.pk]))
    assert opened["Location"] == task.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [message.to for message in mailoutbox] == [[agent.email]]
    assert task.get_absolute_url() in mailoutbox[0].body


def test_my_tasks_lists_overdue_first_and_completing_puts_the_outcome_on_the_timeline(client, rep):
    account = AccountFactory(owner=rep)
    now = timezone.now()
    services.task_create(actor=rep, data={"title": "Later", "assignee": rep, "due_at": now + timedelta(days=2)})
    services.task_create(actor=rep, data={"title": "Undated", "assignee": rep})
    overdue = services.task_create(actor=rep, data={"title": "Overdue", "assignee": rep, "account": account,
                                                    "due_at": now - timedelta(days=1)})
    client.force_login(rep)
    page = client.get(reverse("timeline:my_tasks")).content.decode()
    assert re.findall(r'<td data-label="Task"><a href="[^"]+">([^<]+)</a>', page) == ["Overdue", "Later", "Undated"]
    assert "(overdue)" in page
    client.post(reverse("timeline:task_complete", args=[overdue.pk]), {"outcome": "Customer paid"})
    overdue.refresh_from_db()
    assert overdue.status == TaskStatus.DONE
    done = TimelineEntry.objects.get(account=account, kind="task.completed")
    assert done.detail == "Customer paid"


def test_reminder_is_sent_once_and_not_after_the_due_time_moved(rep):
    task = services.task_create(actor=rep, data={"title": "Call back", "assignee": rep,
                                                 "due_at": timezone.now() + timedelta(minutes=20),
                                                 "remind_minutes_before": 30})
    assert services.task_remind(task_id=task.pk, version=task.version) is True
    assert services.task_remind(task_id=task.pk, version=task.version) is False
    moved = services.task_update(actor=rep, task=task, data={"due_at": timezone.now() + timedelta(days=1)},
                                 version=task.version)
    assert services.task_remind(task_id=task.pk, version=task.version) is False
    assert services.task_remind(task_id=task.pk, version=moved.version) is True
    assert Notification.objects.filter(user=rep, kind="reminder").count() == 2


def test_reminder_is_scheduled_as_a_background_task(rep, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    with django_capture_on_commit_callbacks(execute=True):
        services.task_create(actor=rep, data={"title": "Call back", "assignee": rep,
                                              "due_at": timezone.now() + timedelta(hours=2),
                                              "remind_minutes_before": 15})
    [reminder] = [r for r in default_task_backend.results if r.task.name == "send_task_reminder"]
    assert reminder.task.run_after > timezone.now() + timedelta(minutes=100)


def test_comment_mentions_notify_and_land_on_the_timeline(client, rep, manager):
    account = AccountFactory(owner=rep)
    comment = services.comment_add(actor=manager, target=account, body="@rep1 ask about the second plant")
    assert list(comment.mentions.all()) == [rep]
    assert Notification.objects.get(user=rep, kind="mention").url == account.get_absolute_url()
    assert TimelineEntry.objects.filter(account=account, kind="comment").exists()
    client.force_login(rep)
    assert "ask about the second plant" in client.get(account.get_absolute_url()).content.decode()


def test_comment_on_a_record_the_author_cannot_see_is_refused(rep, other_rep, client):
    account = AccountFactory(owner=other_rep)
    with pytest.raises(NotFound):
        services.comment_add(actor=rep, target=account, body="hello")
    client.force_login(rep)
    url = reverse("timeline:comment_add", args=[ContentType.objects.get_for_model(Account).pk, account.pk])
    assert client.post(url, {"body": "hello"}).status_code == 404


def test_week_calendar_and_ical_feed(client, rep):
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    at = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time())) + timedelta(hours=10)
    services.activity_create(actor=rep, data={"kind": "meeting", "subject": "Board meeting", "occurred_at": at,
                                              "duration_minutes": 90})
    services.task_create(actor=rep, data={"title": "Prepare slides, agenda; notes", "assignee": rep,
                                          "due_at": at + timedelta(days=1)})
    client.force_login(rep)
    week = client.get(reverse("timeline:calendar")).content.decode()
    assert "Board meeting" in week and "Prepare slides" in week
    client.post(reverse("timeline:calendar_feed_manage"), {"action": "renew"})
    secret = rep.calendar_feed.secret
    client.logout()
    feed = client.get(reverse("timeline:calendar_feed", args=[secret]))
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Meeting: Board meeting" in body
    assert "Prepare slides\\, agenda\\; notes" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    client.force_login(rep)
    client.post(reverse("timeline:calendar_feed_manage"), {"action": "revoke"})
    client.logout()
    assert client.get(reverse("timeline:calendar_feed", args=[secret])).status_code == 404


def test_existing_roles_get_timeline_grants_from_their_customer_grants(rep):
    from rapport import access

    assert access.can(rep, "timeline.create")
    outsider = UserFactory()
    assert not access.can(outsider, "timeline.create")


def test_an_event_type_of_a_later_module_renders_with_its_own_template_and_icon(client, rep, tmp_path, settings):
    from rapport.core.icons import icons
    from rapport.timeline.events import record_event
    from rapport.timeline.registry import EventType, event_types, register_event_type

    (tmp_path / "deal_moved.html").write_text('<div class="deal-stages">{{ entry.words.stages.0 }} → '
                                              '{{ entry.words.stages.1 }}</div>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0].get("DIRS", []), tmp_path]}]
    icons.register("deal", "M3 12h15M13 6l6 6-6 6")
    register_event_type(EventType("deal.moved", "Deal moved", "deal", "deal", template="deal_moved.html"))
    try:
        account = AccountFactory(owner=rep, name="Acme")
        entry = record_event(kind="deal.moved", title="Big deal", account=account, actor=rep)
        TimelineEntry.objects.filter(pk=entry.pk).update(words={"stages": ["Proposal", "Won"]})
        client.force_login(rep)
        page = client.get(account.get_absolute_url()).content.decode()
        assert '<div class="deal-stages">Proposal → Won</div>' in page
        assert '<path d="M3 12h15M13 6l6 6-6 6"/>' in page
    finally:
        event_types.unregister("deal.moved")
        icons.unregister("deal")
