"""Activities and tasks get the pages every record type gets: lists with filters, columns, saved views and
bulk actions; forms with custom fields; pages with history; the record picker."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapport.records.models import FieldType, SavedView
from rapport.timeline import services
from rapport.timeline.models import Activity, Task, TaskStatus

from ..factories import AccountFactory, CustomFieldFactory

pytestmark = pytest.mark.django_db

ACTIVITIES = reverse("timeline:activity_list")
TASKS = reverse("timeline:task_list")


def first_cells(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<td data-label="[^"]*"><a href="/(?:activities|tasks)/\d+/">([^<]+)</a>',
                      response.content.decode())


def steady_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def log(actor, subject, **data):
    return services.activity_create(actor=actor, data={"kind": "call", "subject": subject, **data})


def test_the_activity_list_shows_what_i_may_see_newest_first_and_filters(rep_client, rep, other_rep):
    now = timezone.now()
    log(rep, "Older call", occurred_at=now - timedelta(days=2))
    log(rep, "Site visit", kind="visit", place="Plant 2", occurred_at=now - timedelta(days=1))
    log(other_rep, "Their call")
    assert first_cells(rep_client.get(ACTIVITIES)) == ["Site visit", "Older call"]
    assert first_cells(rep_client.get(ACTIVITIES, {"kind": "visit"})) == ["Site visit"]
    assert first_cells(rep_client.get(ACTIVITIES, {"q": "older"})) == ["Older call"]
    refused = rep_client.get(ACTIVITIES, {"colour": "blue"})
    assert refused.status_code == 400 and "Unknown filter “colour”" in refused.content.decode()


def test_activity_list_queries_do_not_grow_with_rows(rep_client, rep):
    account = AccountFactory(owner=rep)
    url = f"{ACTIVITIES}?cols=subject,kind,account,contact,owner,updated_at"
    for index in range(3):
        log(rep, f"Call {index}", account=account)
    few = steady_queries(rep_client, url)
    for index in range(20):
        log(rep, f"More {index}", account=AccountFactory(owner=rep))
    assert steady_queries(rep_client, url) == few


def test_the_task_list_filters_by_status_and_sorts_by_due_date(rep_client, rep):
    now = timezone.now()
    late = services.task_create(actor=rep, data={"title": "Later", "due_at": now + timedelta(days=3)})
    services.task_create(actor=rep, data={"title": "Soon", "due_at": now + timedelta(days=1)})
    services.task_complete(actor=rep, task=late, outcome="")
    assert first_cells(rep_client.get(TASKS)) == ["Soon", "Later"]
    assert first_cells(rep_client.get(TASKS, {"status": "open"})) == ["Soon"]
    assert first_cells(rep_client.get(TASKS, {"sort": "-due_at"})) == ["Later", "Soon"]


def test_a_custom_field_of_activities_is_in_the_form_the_page_the_list_and_the_api(rep_client, rep):
    CustomFieldFactory(entity="activity", key="mood", label="Customer mood", field_type=FieldType.CHOICE,
                       choices=["happy", "angry"], required=True)
    account = AccountFactory(owner=rep)
    form_page = rep_client.get(reverse("timeline:activity_create"), {"account": account.pk}).content.decode()
    assert 'name="cf_mood"' in form_page
    missing = rep_client.post(reverse("timeline:activity_create"), {
        "kind": "call", "subject": "Complaint", "occurred_at": "2026-12-01T10:00", "account": account.pk})
    assert missing.status_code == 422 and "This field is required." in missing.content.decode()
    assert not Activity.objects.exists()
    created = rep_client.post(reverse("timeline:activity_create"), {
        "kind": "call", "subject": "Complaint", "occurred_at": "2026-12-01T10:00", "account": account.pk,
        "cf_mood": "angry"})
    assert created.status_code == 302 and created.url == account.get_absolute_url()
    activity = Activity.objects.get()
    assert activity.custom == {"mood": "angry"}
    page = rep_client.get(activity.get_absolute_url()).content.decode()
    assert "Customer mood" in page and "angry" in page and 'id="history"' in page
    assert first_cells(rep_client.get(ACTIVITIES, {"cf_mood": "happy"})) == []
    assert first_cells(rep_client.get(ACTIVITIES, {"cf_mood": "angry", "cols": "subject,cf_mood"})) == ["Complaint"]
    api = rep_client.get(f"/api/v1/activities/{activity.pk}").json()
    assert api["custom"] == {"mood": "angry"}
    wrong = rep_client.patch(f"/api/v1/activities/{activity.pk}", {"custom": {"mood": "bored"}},
                             content_type="application/json")
    assert wrong.status_code == 422 and "custom.mood" in wrong.json()["error"]["fields"]
    activity.refresh_from_db()
    assert activity.custom == {"mood": "angry"}


def test_editing_a_task_from_a_stale_page_is_refused_and_shows_the_other_change(rep_client, rep):
    task = services.task_create(actor=rep, data={"title": "Call back"})
    edit_url = reverse("timeline:task_edit", args=[task.pk])
    services.task_update(actor=rep, task=task, data={"title": "Call back today"}, version=task.version)
    stale = rep_client.post(edit_url, {"title": "Call back tomorrow", "assignee": rep.pk, "priority": "normal",
                                       "version": 1})
    assert stale.status_code == 409 and "Call back today" in stale.content.decode()
    task.refresh_from_db()
    assert task.title == "Call back today"


def test_bulk_delete_from_the_task_list_moves_them_to_the_recycle_bin(rep_client, rep, other_rep):
    mine = [services.task_create(actor=rep, data={"title": f"Mine {index}"}) for index in range(2)]
    theirs = services.task_create(actor=other_rep, data={"title": "Theirs"})
    response = rep_client.post(reverse("timeline:task_bulk"), {
        "action": "delete", "ids": [task.pk for task in mine] + [theirs.pk]}, follow=True)
    text = response.content.decode()
    assert "2 records changed." in text and "1 record was skipped" in text
    assert list(Task.objects.values_list("title", flat=True)) == ["Theirs"]
    assert Task.all_objects.filter(deleted_at__isnull=False).count() == 2


def test_an_activity_list_is_saved_as_a_view(rep_client, rep):
    rep_client.post(reverse("timeline:activity_view_save"), {"name": "Visits", "query": "kind=visit"})
    view = SavedView.objects.get(user=rep)
    assert (view.entity, view.query) == ("activity", "kind=visit")
    assert 'href="?kind=visit">Visits</a>' in rep_client.get(ACTIVITIES).content.decode()


def test_completing_a_task_from_its_page(rep_client, rep):
    task = services.task_create(actor=rep, data={"title": "Send the offer"})
    page = rep_client.get(task.get_absolute_url()).content.decode()
    assert f'action="{reverse("timeline:task_complete", args=[task.pk])}"' in page
    rep_client.post(reverse("timeline:task_complete", args=[task.pk]), {"outcome": "Sent"})
    task.refresh_from_db()
    assert (task.status, task.outcome) == (TaskStatus.DONE, "Sent")


def test_the_record_picker_looks_up_any_record_type_within_scope(rep_client, rep, other_rep):
    services.task_create(actor=rep, data={"title": "Quote for Acme"})
    services.task_create(actor=other_rep, data={"title": "Quote for Zeta"})
    found = rep_client.get(reverse("records:lookup", args=["task"]), {"q": "quote"}).content.decode()
    assert "Quote for Acme" in found and "Zeta" not in found
    assert rep_client.get(reverse("records:lookup", args=["nothing"]), {"q": "x"}).status_code == 404
