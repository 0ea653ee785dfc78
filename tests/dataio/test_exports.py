"""Exporting a list: the same rows, columns, order and scope as the list, in the files people open."""

import csv
import datetime
import io
import re
from decimal import Decimal

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.access.scopes import Scope
from rapport.core.errors import PermissionDenied
from rapport.customers import filters as list_filters
from rapport.dataio import exports
from rapport.dataio.jobs import STALLED_AFTER
from rapport.dataio.models import Job, JobKind, JobStatus
from rapport.directory.services import token_create
from rapport.records.models import FieldType

from ..factories import AccountFactory, ContactFactory, CustomFieldFactory, UserFactory, role_with

pytestmark = pytest.mark.django_db


def export_job(**fields) -> Job:
    return Job.objects.create(kind=JobKind.EXPORT, **fields)

ACCOUNTS = reverse("customers:account_list")
CONTACTS = reverse("customers:contact_list")
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def start_url(entity: str) -> str:
    return reverse("dataio:export_start", args=[entity])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS
    return settings.MEDIA_ROOT


@pytest.fixture
def boss(db, sales_team):
    """A sales manager who may export their own and their reports' records, as in the demo."""
    role = role_with("Exporting manager", view=Scope.OWN, create=Scope.OWN, edit=Scope.OWN, export=Scope.OWN)
    return UserFactory(username="boss", display_name="Mia Boss", role=role, team=sales_team)


@pytest.fixture
def report(db, boss, rep_role):
    return UserFactory(username="report", display_name="Ray Report", role=rep_role, manager=boss)


@pytest.fixture
def boss_client(client, boss):
    client.force_login(boss)
    return client


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)  # the test client closes the file at the end


def names_in(response) -> list[str]:
    return re.findall(r'<td data-label="[^"]*"><a href="/customers/\w+/\d+/">([^<]+)</a>', response.content.decode())


def headers_in(response) -> list[str]:
    return re.findall(r"<th scope=\"col\">(?:<a [^>]*>)?([^<]+)", response.content.decode())


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def api_get(client, user, path: str, params: dict | None = None):
    _token, secret = token_create(actor=user, user=user, name="tests")
    return client.get(f"/api/v1{path}", params or {}, headers={"Authorization": f"Bearer {secret}"})


def test_export_has_exactly_the_lists_scoped_filtered_rows_in_its_order_and_columns(boss_client, boss, report,
                                                                                     other_rep):
    acme = AccountFactory(owner=boss, name="Acme")
    ContactFactory(owner=boss, full_name="Ann CEO", title="CEO", account=acme, birthday=datetime.date(1970, 5, 1))
    ContactFactory(owner=report, full_name="Bob CEO", title="CEO", birthday=datetime.date(1985, 1, 2))
    ContactFactory(owner=report, full_name="Cai CEO", title="CEO")  # no birthday: last, as in the list
    ContactFactory(owner=boss, full_name="Dan Clerk", title="Clerk")
    ContactFactory(owner=other_rep, full_name="Eve CEO", title="CEO")  # not in the manager's scope
    query = {"title": "ceo", "sort": "-birthday", "cols": "full_name,birthday,account,owner"}
    listed = boss_client.get(CONTACTS, query)

    response = boss_client.get(start_url("contacts"), {**query, "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="contacts-')
    sheet = sheet_of(body_of(response))
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == headers_in(listed) == ["Full name", "Birthday", "Account", "Owner"]
    assert [row[0] for row in rows[1:]] == names_in(listed) == ["Bob CEO", "Ann CEO", "Cai CEO"]
    assert rows[2] == ("Ann CEO", datetime.datetime(1970, 5, 1), "Acme", "Mia Boss")
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd"


def test_every_export_is_recorded_with_who_what_and_how_many(boss_client, boss, media):
    AccountFactory(owner=boss, name="Alpha", industry="Retail")
    AccountFactory(owner=boss, name="Beta", industry="Retail")
    AccountFactory(owner=boss, name="Gamma", industry="Mining")
    response = boss_client.get(start_url("accounts"), {"format": "csv", "ff": "industry", "fo": "", "fv": "Retail",
                                                       "cols": "name,industry"})
    assert csv_rows(body_of(response)) == [["Name", "Industry"], ["Alpha", "Retail"], ["Beta", "Retail"]]
    job = Job.objects.get()
    assert (job.user, job.entity, job.file_format, job.status, job.progress, job.total_rows) == (
        boss, "accounts", "csv", JobStatus.DONE, 100, 2)
    assert job.options["query"] == "industry=Retail&sort=name&cols=name%2Cindustry"
    assert job.options["filters"] == ["industry is Retail", "Sorted by name, ascending"]
    assert job.options["columns"] == [{"key": "name", "label": "Name"}, {"key": "industry", "label": "Industry"}]
    assert job.file.path.startswith(str(media))  # served by a view that checks the owner, never a public URL


def test_money_numbers_and_custom_fields_keep_their_types_in_xlsx(boss_client, boss):
    CustomFieldFactory(entity="account", key="credit", label="Credit limit", field_type=FieldType.MONEY)
    CustomFieldFactory(entity="account", key="audited", label="Audited on", field_type=FieldType.DATE)
    CustomFieldFactory(entity="account", key="sites", label="Sites", field_type=FieldType.NUMBER)
    AccountFactory(owner=boss, name="Acme", employees=250, annual_revenue=Decimal("1234567.89"), currency="EUR",
                   custom={"credit": "5000.00", "audited": "2024-06-30", "sites": 3})
    response = boss_client.get(start_url("accounts"), {
        "format": "xlsx", "cols": "name,employees,annual_revenue,cf_credit,cf_audited,cf_sites"})
    sheet = sheet_of(body_of(response))
    name, employees, revenue, credit, audited, sites = sheet[2]
    assert [cell.value for cell in sheet[1]] == ["Name", "Employees", "Annual revenue", "Credit limit", "Audited on",
                                                 "Sites"]
    assert employees.value == 250 and employees.data_type == "n"
    assert revenue.value == pytest.approx(1234567.89) and revenue.number_format == '#,##0.00 "EUR"'
    assert credit.value == 5000 and credit.data_type == "n" and "EUR" in credit.number_format
    assert audited.is_date and audited.value == datetime.datetime(2024, 6, 30)
    assert sites.value == 3
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F2" and sheet["A1"].font.b


def test_formula_text_in_records_is_neutralised_in_csv_and_xlsx(boss_client, boss):
    AccountFactory(owner=boss, name="=HYPERLINK(\"http://evil.example\",\"click\")", industry="+cmd")
    query = {"cols": "name,industry"}
    rows = csv_rows(body_of(boss_client.get(start_url("accounts"), {**query, "format": "csv"})))
    assert rows[1] == ["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+cmd"]
    sheet = sheet_of(body_of(boss_client.get(start_url("accounts"), {**query, "format": "xlsx"})))
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=HYPERLINK")
    assert sheet["B2"].value == "'+cmd"


def test_docx_report_names_the_list_its_filters_the_date_and_the_author(boss_client, boss):
    AccountFactory(owner=boss, name="Acme", industry="Retail", employees=1200)
    AccountFactory(owner=boss, name="Other", industry="Mining")
    response = boss_client.get(start_url("accounts"), {"format": "docx", "industry": "Retail",
                                                       "cols": "name,employees"})
    document = docx.Document(io.BytesIO(body_of(response)))
    text = [paragraph.text for paragraph in document.paragraphs]
    assert text[0] == "Accounts"
    assert text[1] == "Filters and sort: industry is Retail; Sorted by name, ascending"
    assert text[2].startswith("Exported on ") and text[2].endswith(" by Mia Boss")
    assert text[3] == "1 record"
    assert [[cell.text for cell in row.cells] for row in document.tables[0].rows] == [
        ["Name", "Employees"], ["Acme", "1,200"]]


def test_a_word_report_of_a_very_long_list_is_refused_with_a_pointer_to_xlsx(boss_client, boss, settings):
    settings.EXPORT_DOCX_LIMIT = 2
    AccountFactory.create_batch(3, owner=boss)
    response = boss_client.get(start_url("accounts"), {"format": "docx"}, follow=True)
    assert "A Word report holds at most 2 rows. Narrow the filters, or export to Excel or CSV." in \
        response.content.decode()
    assert not Job.objects.exists()
    assert boss_client.get(start_url("accounts"), {"format": "xlsx"}).status_code == 200


def test_contacts_export_as_vcard_4(boss_client, boss):
    acme = AccountFactory(owner=boss, name="Acme, Inc.")
    ContactFactory(owner=boss, full_name="张伟", family_name="张", given_name="伟", account=acme, department="Sales",
                   title="CEO", mobile_phone="138 0013 8000", mobile_phone_e164="+8613800138000",
                   work_phone="010 1234 5678", work_phone_e164="+861012345678", email="wei@acme.example",
                   birthday=datetime.date(1980, 2, 29))
    ContactFactory(owner=boss, full_name="No Details")
    response = boss_client.get(start_url("contacts"), {"format": "vcf"})
    assert response["Content-Type"].startswith("text/vcard")
    text = body_of(response).decode()
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    cards = text.replace("\r\n ", "").split("END:VCARD\r\n")[:-1]
    lines = cards[1].split("\r\n")  # sorted by name: "No Details", then 张伟
    assert lines[:3] == ["BEGIN:VCARD", "VERSION:4.0", "FN:张伟"]
    assert "N:张;伟;;;" in lines and "ORG:Acme\\, Inc.;Sales" in lines and "TITLE:CEO" in lines
    assert "TEL;VALUE=uri;TYPE=cell:tel:+8613800138000" in lines
    assert "TEL;VALUE=uri;TYPE=work:tel:+861012345678" in lines
    assert "EMAIL;PREF=1:wei@acme.example" in lines and "BDAY:19800229" in lines
    assert cards[0].split("\r\n")[2] == "FN:No Details"
    assert Job.objects.get().total_rows == 2


def test_accounts_have_no_vcard(boss_client, boss):
    AccountFactory(owner=boss)
    response = boss_client.get(start_url("accounts"), {"format": "vcf"})
    assert response.status_code == 302 and response["Location"].startswith(ACCOUNTS)
    assert not Job.objects.exists()


def test_a_rep_without_the_export_permission_is_refused_in_pages_and_api(rep_client, client, rep):
    AccountFactory(owner=rep, name="Mine")
    assert rep_client.get(start_url("accounts"), {"format": "csv"}).status_code == 403
    assert "data-export-format" not in rep_client.get(ACCOUNTS).content.decode()
    response = api_get(client, rep, "/accounts/export", {"format": "csv"})
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert not Job.objects.exists()


def test_the_list_offers_export_links_carrying_its_current_query(boss_client, boss):
    AccountFactory(owner=boss, name="Acme", employees=500)
    page = boss_client.get(ACCOUNTS, {"employees__gte": "100", "sort": "-name"}).content.decode()
    links = re.findall(r'<a href="([^"]+)" data-export-format="(\w+)"', page)
    formats = {key: url.replace("&amp;", "&") for url, key in links}
    assert set(formats) == {"csv", "xlsx", "docx"}
    assert formats["xlsx"] == f"{start_url('accounts')}?employees__gte=100&sort=-name&format=xlsx"
    assert 'data-copy-table="#record-table"' in page
    contacts = boss_client.get(CONTACTS).content.decode()
    assert 'data-export-format="vcf"' in contacts


def test_a_bad_filter_is_shown_on_the_list_not_exported(boss_client):
    response = boss_client.get(start_url("accounts"), {"format": "csv", "colour": "blue"}, follow=True)
    assert "Unknown filter “colour”" in response.content.decode()
    assert not Job.objects.exists()


def test_a_large_export_runs_as_a_task_with_progress_then_downloads(boss_client, boss, settings, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_LIMIT = 5
    monkeypatch.setattr(exports, "CHUNK_SIZE", 4)
    ContactFactory.create_batch(12, owner=boss)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = boss_client.get(start_url("contacts"), {"format": "xlsx", "cols": "full_name"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dataio:export_status", args=[job.pk])
    progress_updates = [q["sql"] for q in queries.captured_queries
                        if q["sql"].startswith("UPDATE") and "progress" in q["sql"]]
    assert len(progress_updates) >= 3  # 0 at the start, then 33% and 66% as chunks go out
    assert (job.status, job.progress, job.total_rows) == (JobStatus.DONE, 100, 12)

    status = boss_client.get(response["Location"])
    download = reverse("dataio:export_download", args=[job.pk])
    assert f'href="{download}"' in status.content.decode()
    partial = boss_client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="export-progress"') and "hx-trigger" not in partial
    sheet = sheet_of(body_of(boss_client.get(download)))
    assert sheet.max_row == 13


def test_a_running_export_page_polls_for_its_progress(boss_client, boss):
    job = export_job(user=boss, entity="contacts", file_format="csv", status=JobStatus.RUNNING,
                     progress=42, enqueued_at=datetime.datetime.now(datetime.UTC))
    page = boss_client.get(reverse("dataio:export_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and '<progress id="job-progress-bar" max="100" value="42">' in page
    assert reverse("dataio:export_download", args=[job.pk]) not in page


def test_an_export_whose_worker_stopped_shows_as_failed_and_says_what_to_do(boss_client, boss):
    silent_since = datetime.datetime.now(datetime.UTC) - STALLED_AFTER - datetime.timedelta(minutes=1)
    stalled = export_job(user=boss, entity="contacts", file_format="xlsx", status=JobStatus.RUNNING,
                         progress=42, heartbeat_at=silent_since)
    working = export_job(user=boss, entity="contacts", file_format="csv", status=JobStatus.RUNNING,
                         progress=7, heartbeat_at=datetime.datetime.now(datetime.UTC))
    page = boss_client.get(reverse("dataio:export_status", args=[stalled.pk])).content.decode()
    assert "gave no sign of life for 45 seconds" in page and 'hx-trigger="every 1s"' not in page
    boss_client.get(reverse("dataio:job_list"))
    stalled.refresh_from_db()
    working.refresh_from_db()
    assert stalled.status == JobStatus.FAILED and stalled.finished_at is not None
    assert working.status == JobStatus.RUNNING


def test_a_starting_worker_gives_up_exports_whose_worker_died(boss, settings, transactional_db):
    silent_since = datetime.datetime.now(datetime.UTC) - STALLED_AFTER - datetime.timedelta(seconds=1)
    stalled = export_job(user=boss, entity="contacts", file_format="xlsx", status=JobStatus.RUNNING,
                         progress=42, heartbeat_at=silent_since)

    settings.TASKS = DATABASE_TASKS  # the real worker, with nothing queued; it closes connections between tasks
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    stalled.refresh_from_db()
    assert stalled.status == JobStatus.FAILED and "Export the list again" in stalled.error


def test_an_export_no_worker_takes_up_says_so(boss_client, boss):
    queued = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=2)
    waiting = export_job(user=boss, entity="contacts", file_format="csv", enqueued_at=queued)
    page = boss_client.get(reverse("dataio:export_status", args=[waiting.pk])).content.decode()
    assert "No task worker has taken this up for over a minute" in page
    assert api_get(boss_client, boss, f"/jobs/{waiting.pk}").json()["waiting_for_worker"] is True


def test_a_running_export_gives_signs_of_life(boss_client, boss, settings):
    settings.EXPORT_SYNC_LIMIT = 0  # every export runs as the worker's task
    ContactFactory.create_batch(3, owner=boss)
    boss_client.get(start_url("contacts"), {"format": "csv"})
    job = Job.objects.get()
    exports.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.heartbeat_at is not None


def test_someone_elses_export_is_not_found(boss_client, boss, marketer, client):
    AccountFactory(owner=boss, name="Secret Co")
    boss_client.get(start_url("accounts"), {"format": "csv"})
    job = Job.objects.get()
    client.force_login(marketer)
    assert client.get(reverse("dataio:export_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("dataio:export_status", args=[job.pk])).status_code == 404
    assert "Secret Co" not in client.get(reverse("dataio:job_list")).content.decode()
    assert api_get(client, marketer, f"/jobs/{job.pk}/file").status_code == 404


def test_the_history_lists_my_exports_with_their_filters(boss_client, boss, marketer):
    AccountFactory(owner=boss)
    boss_client.get(start_url("accounts"), {"format": "csv", "industry": "Retail"})
    export_job(user=marketer, entity="contacts", file_format="vcf")
    page = boss_client.get(reverse("dataio:job_list")).content.decode()
    job = Job.objects.get(user=boss)
    assert "industry is Retail" in page and reverse("dataio:export_download", args=[job.pk]) in page
    assert "vCard" not in page


def test_api_exports_a_small_list_at_once_with_its_filters(client, marketer):
    AccountFactory(name="Acme", industry="Retail", employees=10)
    AccountFactory(name="Bolt", industry="Retail", employees=900)
    AccountFactory(name="Coal", industry="Mining", employees=900)
    response = api_get(client, marketer, "/accounts/export",
                       {"format": "csv", "industry": "Retail", "sort": "-employees", "cols": "name,employees"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert csv_rows(body_of(response)) == [["Name", "Employees"], ["Bolt", "900"], ["Acme", "10"]]
    job = Job.objects.get()
    assert (job.user, job.entity, job.total_rows) == (marketer, "accounts", 2)


def test_api_export_of_a_large_list_answers_with_a_job_to_follow(client, marketer, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.EXPORT_SYNC_LIMIT = 2
    ContactFactory.create_batch(3, title="CEO")
    ContactFactory(title="Clerk")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_get(client, marketer, "/contacts/export", {"format": "vcf", "title": "CEO"})
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "pending" and body["filters"][0] == "title is CEO"
    job = api_get(client, marketer, f"/jobs/{body['id']}").json()
    assert (job["status"], job["progress"], job["rows"]) == ("done", 100, 3)
    download = api_get(client, marketer, job["download_url"].removeprefix("/api/v1"))
    assert body_of(download).decode().count("BEGIN:VCARD") == 3


def test_api_refuses_a_format_the_list_does_not_have_and_unknown_filters(client, marketer):
    response = api_get(client, marketer, "/accounts/export", {"format": "vcf"})
    assert response.status_code == 422 and "format" in response.json()["error"]["fields"]
    response = api_get(client, marketer, "/accounts/export", {"format": "csv", "colour": "blue"})
    assert response.status_code == 422 and "colour" in response.json()["error"]["fields"]
    assert api_get(client, marketer, "/deals/export", {"format": "csv"}).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize("entity", ["accounts", "contacts"])
def test_export_of_every_column_reads_in_chunks_so_queries_do_not_grow_with_rows(boss_client, boss, entity):
    CustomFieldFactory(entity=entity[:-1], key="region", label="Region")
    columns = {"accounts": list_filters.ACCOUNT_LIST, "contacts": list_filters.CONTACT_LIST}[entity].columns()
    query = {"format": "xlsx", "cols": ",".join(column.key for column in columns)}

    def add_records(count: int) -> None:
        for _ in range(count):
            account = AccountFactory(owner=boss, parent=AccountFactory(owner=boss), custom={"region": "North"})
            contact = ContactFactory(owner=boss, account=account, custom={"region": "South"})
            (account if entity == "accounts" else contact).tags.create(name=f"tag {account.pk}")

    def queries_for_export() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            sheet = sheet_of(body_of(boss_client.get(start_url(entity), query)))
        return len(captured.captured_queries), sheet.max_row - 1

    add_records(2)
    queries_for_export()  # the first request works out the boss's grants; later ones remember them
    few, rows = queries_for_export()
    add_records(20)
    assert queries_for_export() == (few, rows + (40 if entity == "accounts" else 20))


def test_an_export_whose_user_lost_the_permission_fails_clearly(boss, settings):
    settings.EXPORT_SYNC_LIMIT = 0
    ContactFactory(owner=boss)
    job = exports.export_start(actor=boss, entity="contacts", file_format="csv", query=QueryDict(""))
    assert job.status == JobStatus.PENDING
    for grant in boss.role.grants.filter(action="export"):  # as the role's page in the admin saves them
        grant.scope = Scope.NONE
        grant.save()
    with pytest.raises(PermissionDenied):
        exports.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "You are not allowed to do this." and not job.file
