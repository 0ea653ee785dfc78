"""/api/v1/activities and /api/v1/tasks: the same rules as the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.timeline.models import Activity, Notification, TimelineEntry

from ..factories import AccountFactory, ContactFactory
from .conftest import error_fields

pytestmark = pytest.mark.django_db


def test_log_a_visit_through_the_api_and_list_it_by_account(rep_api, rep):
    account = AccountFactory(owner=rep)
    contact = ContactFactory(owner=rep, account=account)
    created = rep_api.post("/activities", {"kind": "visit", "subject": "Plant tour", "place": "Suzhou",
                                           "contact": contact.pk, "check_in": True, "participant_users": [rep.pk]})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["account"] == account.pk and body["checked_in_at"] and body["participant_users"] == [rep.pk]
    listed = rep_api.get("/activities", {"account": account.pk}).json()
    assert [row["subject"] for row in listed["results"]] == ["Plant tour"]
    assert TimelineEntry.objects.filter(account=account, kind="activity.visit").exists()


def test_activity_on_a_customer_outside_scope_is_refused_by_field(rep_api, other_rep):
    hidden = AccountFactory(owner=other_rep)
    response = rep_api.post("/activities", {"kind": "call", "subject": "Hi", "account": hidden.pk})
    assert response.status_code == 422
    assert "account" in error_fields(response)
    assert not Activity.objects.exists()


def test_unknown_fields_and_kinds_are_refused(rep_api):
    assert rep_api.post("/activities", {"subject": "x", "owner": 1}).status_code == 422
    assert rep_api.post("/activities", {"subject": "x", "kind": "fax"}).status_code == 422


def test_an_activity_without_a_time_happened_now_and_a_null_time_is_refused_by_field(rep_api, rep):
    account = AccountFactory(owner=rep)
    refused = rep_api.post("/activities", {"subject": "Call", "account": account.pk, "occurred_at": None})
    assert refused.status_code == 422 and "occurred_at" in error_fields(refused)
    assert not Activity.objects.exists()
    before = timezone.now()
    activity_id = rep_api.post("/activities", {"subject": "Call", "account": account.pk}).json()["id"]
    assert before <= Activity.objects.get(pk=activity_id).occurred_at <= timezone.now()
    refused_edit = rep_api.patch(f"/activities/{activity_id}", {"occurred_at": None})
    assert refused_edit.status_code == 422 and "occurred_at" in error_fields(refused_edit)
    assert Activity.objects.get(pk=activity_id).version == 1


@pytest.mark.parametrize("field", ["participant_users", "participant_contacts"])
def test_ids_beyond_64_bits_are_refused_by_field_on_create_and_update(rep_api, rep, field):
    account = AccountFactory(owner=rep)
    created = rep_api.post("/activities", {"kind": "call", "subject": "Call", "account": account.pk,
                                           field: [2**64]})
    assert created.status_code == 422 and f"{field}.0" in created.json()["error"]["fields"]
    activity_id = rep_api.post("/activities", {"kind": "call", "subject": "Call", "account": account.pk}).json()["id"]
    updated = rep_api.patch(f"/activities/{activity_id}", {field: [2**64]})
    assert updated.status_code == 422 and f"{field}.0" in updated.json()["error"]["fields"]


@pytest.mark.parametrize("path", ["/activities/{}", "/tasks/{}", "/accounts/{}", "/contacts/{}", "/users/{}",
                                  "/jobs/{}", "/jobs/{}/file", "/jobs/{}/rejected"])
def test_a_record_id_beyond_64_bits_in_the_path_is_refused(rep_api, path):
    response = rep_api.get(path.format(2**64))
    assert response.status_code == 422


def test_patch_honours_if_match_and_delete_removes_it_from_the_timeline(rep_api, rep):
    account = AccountFactory(owner=rep)
    activity_id = rep_api.post("/activities", {"kind": "call", "subject": "Call", "account": account.pk}).json()["id"]
    etag = rep_api.get(f"/activities/{activity_id}")["ETag"]
    assert rep_api.patch(f"/activities/{activity_id}", {"outcome": "Deal"}, **{"If-Match": etag}).status_code == 200
    assert rep_api.patch(f"/activities/{activity_id}", {"outcome": "Lost"}, **{"If-Match": etag}).status_code == 412
    assert TimelineEntry.objects.get(account=account).shown_detail == "Outcome: Deal"
    assert rep_api.delete(f"/activities/{activity_id}").status_code == 204
    assert not TimelineEntry.objects.filter(account=account).exists()


def test_another_reps_activity_is_not_found(api_as, rep, other_rep):
    theirs = api_as(other_rep).post("/activities", {"kind": "note", "subject": "Secret"}).json()["id"]
    assert api_as(rep).get(f"/activities/{theirs}").status_code == 404


def test_tasks_filter_by_assignee_and_complete(rep_api, rep, agent):
    account = AccountFactory(owner=rep)
    mine = rep_api.post("/tasks", {"title": "Mine", "account": account.pk, "due_at": "2030-01-02T10:00:00Z"})
    theirs = rep_api.post("/tasks", {"title": "For the agent", "assignee": agent.pk,
                                     "due_at": "2030-01-01T09:00:00Z"})
    assert mine.status_code == theirs.status_code == 201
    assert Notification.objects.filter(user=agent, kind="task").count() == 1
    for_agent = rep_api.get("/tasks", {"assignee": agent.pk}).json()["results"]
    assert [task["title"] for task in for_agent] == ["For the agent"]
    done = rep_api.post(f"/tasks/{mine.json()['id']}/complete", {"outcome": "Sent"})
    assert done.json()["status"] == "done"
    again = rep_api.post(f"/tasks/{mine.json()['id']}/complete", {"outcome": "again"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert rep_api.get("/tasks", {"status": "open"}).json()["count"] == 1


def test_task_list_queries_do_not_grow_with_rows(rep_api, rep):
    for index in range(3):
        rep_api.post("/tasks", {"title": f"T{index}", "account": AccountFactory(owner=rep).pk})
    with CaptureQueriesContext(connection) as few:
        rep_api.get("/tasks")
    for index in range(20):
        rep_api.post("/tasks", {"title": f"U{index}", "account": AccountFactory(owner=rep).pk})
    with CaptureQueriesContext(connection) as many:
        rep_api.get("/tasks")
    assert len(many) == len(few)


def test_the_assignee_edits_their_task_on_a_colleagues_account_but_cannot_move_it_to_one(api_as, rep, other_rep):
    account = AccountFactory(owner=rep)
    task_id = api_as(rep).post("/tasks", {"title": "Call back", "assignee": other_rep.pk,
                                          "account": account.pk}).json()["id"]
    assignee = api_as(other_rep)

    edited = assignee.patch(f"/tasks/{task_id}", {"description": "Ask about the second site"})
    assert edited.status_code == 200 and edited.json()["description"] == "Ask about the second site"
    assert edited.json()["account"] == account.pk

    elsewhere = AccountFactory(owner=rep)
    moved = assignee.patch(f"/tasks/{task_id}", {"account": elsewhere.pk})
    assert moved.status_code == 422 and "account" in moved.json()["error"]["fields"]


def test_activity_and_task_lists_filter_and_sort_like_every_record_list(rep_api, rep, agent):
    account = AccountFactory(owner=rep)
    for kind, subject, when in [("call", "First call", "2026-11-01T09:00:00Z"),
                                ("visit", "Site visit", "2026-11-02T09:00:00Z"),
                                ("call", "Second call", "2026-11-03T09:00:00Z")]:
        rep_api.post("/activities", {"kind": kind, "subject": subject, "place": "Wuxi", "account": account.pk,
                                     "occurred_at": when})
    calls = rep_api.get("/activities", {"kind": "call", "sort": "occurred_at"}).json()["results"]
    assert [row["subject"] for row in calls] == ["First call", "Second call"]
    rep_api.post("/tasks", {"title": "Mine"})
    rep_api.post("/tasks", {"title": "For the agent", "assignee": agent.pk})
    mine = rep_api.get("/tasks", {"assignee": rep.pk, "status": "open"}).json()["results"]
    assert [row["title"] for row in mine] == ["Mine"]
    refused = rep_api.get("/tasks", {"colour": "red"})
    assert refused.status_code == 422 and "colour" in error_fields(refused)


@pytest.mark.parametrize("path", ["/activities", "/tasks", "/accounts", "/contacts"])
def test_a_relation_filter_beyond_64_bits_is_refused_by_field(rep_api, path):
    response = rep_api.get(path, {"owner": str(2**64)})
    assert response.status_code == 422 and "owner" in error_fields(response)


@pytest.mark.parametrize(("value", "names"), [("1e30", []), ("-99999999999999999999999", ["Acme"])])
def test_a_number_filter_beyond_what_the_column_holds_compares_as_numbers_do(rep_api, rep, value, names):
    AccountFactory(owner=rep, name="Acme", employees=12)
    response = rep_api.get("/accounts", {"employees__gte": value})
    assert response.status_code == 200 and [row["name"] for row in response.json()["results"]] == names
