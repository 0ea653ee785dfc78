"""A record type that exists only here (tests/records/widgets.py) gets, by declaring itself, what every
record gets: list, detail, form, API with ETag and idempotency, custom fields, filters, saved views,
bulk actions, history, soft delete and restore, search within scope, import and export."""

import csv
import io
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from rapport.audit.history import history_of
from rapport.dataio import exports
from rapport.dataio.import_jobs import import_start, import_upload
from rapport.directory.services import token_create
from rapport.records.models import FieldType, SavedView
from rapport.search.selectors import search

from ..factories import AccountFactory, CustomFieldFactory
from . import widgets
from .widgets import Widget

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.records.widgets")]


@pytest.fixture(scope="module", autouse=True)
def widget_table(django_db_setup, django_db_blocker):
    widgets.bring_back_the_model()
    widgets.register()
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Widget)
        ContentType.objects.get_for_model(Widget)  # made outside the tests' transactions, which roll back
    yield
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.delete_model(Widget)
        ContentType.objects.filter(app_label="records", model="widget").delete()
        ContentType.objects.clear_cache()
    widgets.unregister()
    widgets.forget_the_model()


class Api:
    def __init__(self, client, user):
        self.client, self.headers = client, {"Authorization": f"Bearer {token_create(actor=user, user=user,
                                                                                         name='t')[1]}"}

    def __call__(self, method: str, path: str, body=None, **headers):
        send = getattr(self.client, method)
        url = f"/widget-api{path}"
        if body is None:
            return send(url, headers={**self.headers, **headers})
        return send(url, json.dumps(body), content_type="application/json", headers={**self.headers, **headers})


def names(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return re.findall(r'<td data-label="Name"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_the_api_creates_once_per_idempotency_key_and_refuses_stale_edits(client, rep):
    api = Api(client, rep)
    first = api("post", "/widgets", {"name": "Sprocket", "size": 3}, **{"Idempotency-Key": "k1"})
    again = api("post", "/widgets", {"name": "Sprocket", "size": 3}, **{"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Widget.objects.count() == 1
    widget_id = first.json()["id"]
    fetched = api("get", f"/widgets/{widget_id}")
    assert fetched["ETag"] == '"1"'
    assert api("patch", f"/widgets/{widget_id}", {"size": 4}, **{"If-Match": '"1"'}).status_code == 200
    assert api("patch", f"/widgets/{widget_id}", {"size": 5}, **{"If-Match": '"1"'}).status_code == 412
    listed = client.get("/widget-api/widgets?size__gte=4", headers=api.headers).json()
    assert [item["name"] for item in listed["results"]] == ["Sprocket"]
    assert api("patch", f"/widgets/{widget_id}", {"size": -1}).status_code == 422
    assert api("delete", f"/widgets/{widget_id}").status_code == 204
    assert api("get", f"/widgets/{widget_id}").status_code == 404


def test_the_form_the_page_and_history_with_a_custom_field(rep_client, rep):
    CustomFieldFactory(entity="widget", key="batch", label="Batch", field_type=FieldType.TEXT, required=True)
    new = reverse("widgets:widget_create")
    assert 'name="cf_batch"' in rep_client.get(new).content.decode()
    missing = rep_client.post(new, {"name": "Gear", "size": "7"})
    assert missing.status_code == 422 and "This field is required." in missing.content.decode()
    created = rep_client.post(new, {"name": "Gear", "size": "7", "colour": "red", "cf_batch": "B-17"})
    widget = Widget.objects.get()
    assert created.url == widget.get_absolute_url() and widget.custom == {"batch": "B-17"}
    edit = reverse("widgets:widget_edit", args=[widget.pk])
    rep_client.post(edit, {"name": "Gear II", "size": "7", "colour": "red", "cf_batch": "B-17", "version": 1})
    stale = rep_client.post(edit, {"name": "Gear III", "size": "7", "colour": "red", "cf_batch": "B-17",
                                   "version": 1})
    assert stale.status_code == 409
    page = rep_client.get(widget.get_absolute_url()).content.decode()
    assert "Gear II" in page and "B-17" in page and "Red" in page and 'id="history"' in page
    assert [change.action for change in history_of(widget)] == ["updated", "created"]


def test_the_list_filters_sorts_saves_views_and_acts_in_bulk_within_scope(rep_client, rep, other_rep):
    for name, size, owner in [("Alpha", 5, rep), ("Beta", 50, rep), ("Gamma", 500, rep), ("Theirs", 9, other_rep)]:
        widgets.widget_create(actor=owner, data={"name": name, "size": size})
    listing = reverse("widgets:widget_list")
    assert names(rep_client.get(listing)) == ["Alpha", "Beta", "Gamma"]
    assert names(rep_client.get(listing, {"size__gte": "10", "sort": "-size"})) == ["Gamma", "Beta"]
    assert rep_client.get(listing, {"colour": "green"}).status_code == 400
    rep_client.post(reverse("widgets:widget_view_save"), {"name": "Big", "query": "size__gte=10"})
    assert SavedView.objects.get().entity == "widget"
    ids = list(Widget.objects.filter(name__in=["Alpha", "Theirs"]).values_list("pk", flat=True))
    done = rep_client.post(reverse("widgets:widget_bulk"), {"action": "delete", "ids": ids}, follow=True)
    assert "1 record changed." in done.content.decode() and "1 record was skipped" in done.content.decode()
    assert names(rep_client.get(listing)) == ["Beta", "Gamma"]


def test_soft_delete_and_restore_from_the_recycle_bin(rep_client, rep):
    widget = widgets.widget_create(actor=rep, data={"name": "Cog"})
    rep_client.post(reverse("widgets:widget_delete", args=[widget.pk]))
    assert not Widget.objects.exists()
    assert "Cog" in rep_client.get(reverse("recycle_bin")).content.decode()
    rep_client.post(reverse("recycle_restore", args=["records.widget", widget.pk]))
    assert Widget.objects.get().name == "Cog"


def test_search_finds_it_within_scope_also_through_its_account(rep, other_rep, admin_user):
    account = AccountFactory(owner=rep, name="Acme")
    widgets.widget_create(actor=admin_user, data={"name": "Flux capacitor", "account": account})
    assert [hit.title for hit in search(actor=rep, text="flux").hits] == ["Flux capacitor"]
    assert search(actor=other_rep, text="flux").hits == []


def test_import_and_export_as_files(rep, marketer):
    CustomFieldFactory(entity="widget", key="batch", label="Batch", field_type=FieldType.TEXT)
    upload = SimpleUploadedFile("widgets.csv", b"name,size,batch\nBolt,3,B-1\nNut,lots,B-2\nWasher,,B-3\n")
    job = import_upload(actor=rep, entity="widgets", upload=upload, filename="widgets.csv")
    assert job.options["columns"] == ["name", "size", "custom.batch"]
    job = import_start(actor=rep, job=job, dry_run=False, background=False)
    assert (job.created_count, job.rejected_count) == (2, 1)
    assert sorted(Widget.objects.values_list("name", "custom")) == [("Bolt", {"batch": "B-1"}),
                                                                   ("Washer", {"batch": "B-3"})]
    export = exports.export_start(actor=marketer, entity="widgets", file_format="csv",
                                  query=QueryDict("sort=name&cols=name,size,cf_batch"))
    with export.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert rows[-3:] == [["Name", "Size", "Batch"], ["Bolt", "3", "B-1"], ["Washer", "", "B-3"]]


def test_a_role_without_the_module_sees_no_widget(client, rep, other_rep):
    widget = widgets.widget_create(actor=other_rep, data={"name": "Secret"})
    client.force_login(rep)
    assert client.get(widget.get_absolute_url()).status_code == 404
    assert names(client.get(reverse("widgets:widget_list"))) == []
