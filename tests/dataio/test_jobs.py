"""Imports and exports are one kind of job: one history page, one API shape, one life."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.access.scopes import Scope
from rapport.dataio import import_jobs
from rapport.dataio.jobs import STALLED_AFTER
from rapport.dataio.models import ImportedRecord, Job, JobKind, JobStatus
from rapport.directory.services import token_create

from ..factories import AccountFactory, UserFactory, role_with

pytestmark = pytest.mark.django_db

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
JOBS = reverse("dataio:job_list")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def clerk(db, sales_team):
    """Someone who imports and exports their own accounts."""
    role = role_with("Data clerk", view=Scope.OWN, create=Scope.OWN, edit=Scope.OWN, export=Scope.OWN)
    return UserFactory(username="clerk", display_name="Cleo Clerk", role=role, team=sales_team)


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def api_headers(user) -> dict:
    _token, secret = token_create(actor=user, user=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def import_accounts(clerk, django_capture_on_commit_callbacks, *, dry_run: bool = False) -> Job:
    upload = SimpleUploadedFile("accounts.csv", b"Name,Industry\nAcme,Retail\nBolt,Mining\n,Retail\n")
    job = import_jobs.import_upload(actor=clerk, entity="accounts", upload=upload, filename="accounts.csv",
                                    dry_run=dry_run)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_jobs.import_start(actor=clerk, job=job, dry_run=dry_run)
    job.refresh_from_db()
    return job


@pytest.fixture
def both(clerk, clerk_client, marketer, django_capture_on_commit_callbacks):
    """The clerk's import (one row rejected), a check that was never run for real, an export; and a
    marketer's export."""
    imported = import_accounts(clerk, django_capture_on_commit_callbacks)
    import_accounts(clerk, django_capture_on_commit_callbacks, dry_run=True)
    clerk_client.get(reverse("dataio:export_start", args=["accounts"]), {"format": "xlsx", "industry": "Retail"})
    Job.objects.create(kind=JobKind.EXPORT, user=marketer, entity="contacts", file_format="vcf")
    exported = Job.objects.get(user=clerk, kind=JobKind.EXPORT)
    return imported, exported


def test_one_page_lists_my_imports_and_exports_newest_first_with_what_each_did(clerk_client, both):
    imported, exported = both
    clerk_client.get(JOBS)  # the clerk's grants and unread count are worked out once, then remembered
    with CaptureQueriesContext(connection) as queries:
        page = clerk_client.get(JOBS).content.decode()
    assert len(queries) == 5  # session, user; stalled jobs, the page, its capped count
    assert page.index(f'data-job="{exported.pk}"') < page.index(f'data-job="{imported.pk}"')
    assert page.count("data-job=") == 2  # the dry run and the marketer's export are not mine to list
    assert "accounts.csv" in page and "2 created, 0 updated, 0 skipped" in page and "1 rejected" in page
    assert reverse("dataio:import_rejected", args=[imported.pk]) in page
    assert "industry is Retail" in page and reverse("dataio:export_download", args=[exported.pk]) in page

    for _more in range(3):  # more rows, the same queries
        Job.objects.create(kind=JobKind.EXPORT, user=imported.user, entity="accounts", file_format="csv")
    with CaptureQueriesContext(connection) as more_queries:
        assert clerk_client.get(JOBS).content.decode().count("data-job=") == 5
    assert len(more_queries) == len(queries)

    only_exports = clerk_client.get(JOBS, {"kind": "export"}).content.decode()
    assert f'data-job="{exported.pk}"' in only_exports and f'data-job="{imported.pk}"' not in only_exports
    only_imports = clerk_client.get(JOBS, {"kind": "import"}).content.decode()
    assert f'data-job="{imported.pk}"' in only_imports and f'data-job="{exported.pk}"' not in only_imports
    assert clerk_client.get(JOBS, {"kind": "ships"}).status_code == 404
    damaged = clerk_client.get(JOBS, {"kind": "import", "cursor": "not-a-cursor"})
    assert (damaged.status_code, damaged["Location"]) == (302, f"{JOBS}?kind=import")


def test_a_file_is_refused_once_it_is_gone_or_its_owner_may_no_longer_export(client, clerk_client, clerk, both):
    imported, exported = both
    page_url = reverse("dataio:export_download", args=[exported.pk])
    api_url = f"/api/v1/jobs/{exported.pk}/file"
    exported.file.storage.delete(exported.file.name)
    assert clerk_client.get(page_url).status_code == 404
    grant = clerk.role.grants.get(module="customers", action="export")
    grant.delete()
    assert clerk_client.get(page_url).status_code == 403
    assert client.get(api_url, headers=api_headers(clerk)).status_code == 403
    Job.objects.filter(pk=imported.pk).update(rejected_file="")
    assert clerk_client.get(reverse("dataio:import_rejected", args=[imported.pk])).status_code == 404
    assert client.get(f"/api/v1/jobs/{imported.pk}/rejected", headers=api_headers(clerk)).status_code == 404


def test_the_api_answers_imports_and_exports_in_one_shape(client, clerk, marketer, both):
    imported, exported = both
    listed = client.get("/api/v1/jobs", headers=api_headers(clerk)).json()
    assert [job["id"] for job in listed] == [exported.pk, imported.pk]
    assert {frozenset(job) for job in listed} == {frozenset(listed[0])}  # the same fields for both kinds
    export, an_import = listed
    assert (export["kind"], export["format"], export["rows"], export["filters"]) == (
        "export", "xlsx", 1, ["industry is Retail", "Sorted by name, ascending"])
    assert export["download_url"] == f"/api/v1/jobs/{exported.pk}/file" and export["rejected_file_url"] is None
    assert (an_import["kind"], an_import["file"], an_import["rows"], an_import["created"], an_import["rejected"]) == (
        "import", "accounts.csv", 3, 2, 1)
    assert an_import["download_url"] is None and an_import["rejected_file_url"].endswith("/rejected")

    assert [job["id"] for job in client.get("/api/v1/jobs?kind=import", headers=api_headers(clerk)).json()] == [
        imported.pk]
    assert client.get("/api/v1/jobs?kind=ships", headers=api_headers(clerk)).status_code == 422
    file = client.get(export["download_url"], headers=api_headers(clerk))
    assert file.status_code == 200 and file["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(f"/api/v1/jobs/{imported.pk}/file", headers=api_headers(clerk)).status_code == 404
    assert client.get(f"/api/v1/jobs/{exported.pk}/undo", headers=api_headers(clerk)).status_code == 405
    assert client.post(f"/api/v1/jobs/{exported.pk}/undo", headers=api_headers(clerk)).status_code == 404
    for path in (f"/api/v1/jobs/{exported.pk}", f"/api/v1/jobs/{exported.pk}/file"):
        assert client.get(path, headers=api_headers(marketer)).status_code == 404


def test_a_stalled_import_and_a_stalled_export_are_given_up_by_the_same_check(clerk_client, clerk):
    silent_since = datetime.datetime.now(datetime.UTC) - STALLED_AFTER - datetime.timedelta(seconds=1)
    running = {"user": clerk, "entity": "accounts", "file_format": "csv", "status": JobStatus.RUNNING,
               "heartbeat_at": silent_since, "enqueued_at": silent_since}
    stalled_import = Job.objects.create(kind=JobKind.IMPORT, original_filename="a.csv", **running)
    stalled_export = Job.objects.create(kind=JobKind.EXPORT, **running)
    page = clerk_client.get(JOBS).content.decode()
    assert page.count("Failed") == 2
    stalled_import.refresh_from_db()
    stalled_export.refresh_from_db()
    assert "undo the import, or upload the file again" in stalled_import.error
    assert "Export the list again" in stalled_export.error


@pytest.mark.django_db(transaction=True)
def test_imports_and_exports_recorded_before_keep_their_history_in_the_one_model(clerk):
    account = AccountFactory(owner=clerk)
    executor = MigrationExecutor(connection)
    before, after = [("dataio", "0003_job_heartbeat")], executor.loader.graph.leaf_nodes("dataio")
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    content_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="customers", model="account")
    old_import = old.get_model("dataio", "ImportJob").objects.create(
        user_id=clerk.pk, entity="accounts", file="imports/a.upload", original_filename="a.csv", file_format="csv",
        status="done", total_rows=1, created_count=1, options={"columns": ["name"]}, header=["Name"])
    old.get_model("dataio", "ImportedRecord").objects.create(job_id=old_import.pk, content_type=content_type,
                                                            object_id=account.pk, created=True, version_after=1)
    old.get_model("dataio", "ExportJob").objects.create(
        user_id=clerk.pk, entity="accounts", file_format="xlsx", query="industry=Retail", status="done",
        filters_description=["industry is Retail"], columns=[{"key": "name", "label": "Name"}], row_count=7,
        file="exports/accounts.xlsx")
    MigrationExecutor(connection).migrate(after)

    imported = Job.objects.get(kind=JobKind.IMPORT)
    assert (imported.pk, imported.original_filename, imported.created_count) == (old_import.pk, "a.csv", 1)
    assert ImportedRecord.objects.get().job == imported  # undo still knows what the import did
    exported = Job.objects.get(kind=JobKind.EXPORT)
    assert (exported.total_rows, exported.file.name, exported.options) == (7, "exports/accounts.xlsx", {
        "query": "industry=Retail", "filters": ["industry is Retail"], "columns": [{"key": "name", "label": "Name"}]})
