"""Importing accounts and contacts from legacy files: what a user uploading a spreadsheet would notice."""

import csv
import datetime
import io
import json
import os
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.db.models.functions import Lower
from django.urls import reverse

from rapport.access.scopes import Scope
from rapport.audit.history import history_of
from rapport.core.errors import InvalidInput, PermissionDenied, Refused
from rapport.customers import services
from rapport.customers.models import Account, Contact
from rapport.dataio import import_jobs, undo
from rapport.dataio.import_files import ImportFileError
from rapport.dataio.imports import ImportOptions
from rapport.dataio.jobs import STALLED_AFTER
from rapport.dataio.models import ImportedRecord, Job, JobKind, JobStatus
from rapport.directory.services import token_create
from rapport.records.models import FieldType
from rapport.search.models import SearchEntry

from ..factories import AccountFactory, ContactFactory, CustomFieldFactory, UserFactory, role_with

pytestmark = pytest.mark.django_db


def import_job(**fields) -> Job:
    return Job.objects.create(kind=JobKind.IMPORT, **fields)

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE_TASKS
    return settings.MEDIA_ROOT


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Upload `content` as `filename` and run it (the task runs at commit, as in production)."""

    def run_import(actor, entity: str, content: bytes, *, filename: str = "data.csv", dry_run: bool = False,
                   encoding: str | None = None, **options) -> Job:
        upload = SimpleUploadedFile(filename, content)
        job = import_jobs.import_upload(actor=actor, entity=entity, upload=upload, filename=filename,
                                        encoding=encoding, dry_run=dry_run)
        chosen = ImportOptions.from_json({**job.options, **options})
        import_jobs.import_configure(actor=actor, job=job, options=chosen)
        with django_capture_on_commit_callbacks(execute=True):
            job = import_jobs.import_start(actor=actor, job=job, dry_run=dry_run)
        job.refresh_from_db()
        return job

    return run_import


def csv_bytes(rows: list[list], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rejected_csv(job: Job) -> list[list[str]]:
    data = job.rejected_file.open("rb").read()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def contact_names() -> list[str]:
    return sorted(Contact.objects.values_list("full_name", flat=True))


# --- files, encodings and formats -----------------------------------------------------------------


def test_gbk_csv_with_chinese_headers_maps_itself_and_imports_through_the_pages(rep_client, rep,
                                                                                  django_capture_on_commit_callbacks):
    AccountFactory(owner=rep, name="华为技术有限公司")
    content = csv_bytes([
        ["姓名", "手机", "电话", "邮箱", "职位", "部门", "所属公司", "生日", "备注"],
        ["张伟", "138 0013 8000", "0755-2878 0808", "zhangwei@huawei.example", "销售经理", "销售部", "华为技术有限公司",
         "1985-03-12", "老客户"],
        ["李娜", "139-1111-2222", "", "lina@example.com", "采购", "采购部", "", "", ""],
    ], encoding="gbk")

    response = rep_client.post(reverse("dataio:import_upload", args=["contacts"]),
                               {"file": SimpleUploadedFile("客户.csv", content)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dataio:import_mapping", args=[job.pk])
    assert job.encoding == "gb18030"
    page = rep_client.get(response["Location"]).content.decode()
    assert "张伟" in page and "华为技术有限公司" in page  # the preview reads the GBK text
    assert job.options["columns"] == ["full_name", "mobile_phone", "work_phone", "email", "title", "department",
                                      "account_name", "birthday", ""]
    assert re.search(r'<option value="mobile_phone" selected>', page)

    form = {f"column_{index}": key for index, key in enumerate(job.options["columns"])}
    form |= {"duplicate_key": "email", "on_duplicate": "skip", "date_format": "YYYY-MM-DD",
             "number_format": "1,234.56", "encoding": job.encoding}
    with django_capture_on_commit_callbacks(execute=True):
        checked = rep_client.post(reverse("dataio:import_mapping", args=[job.pk]), form)
    assert checked.status_code == 302
    job.refresh_from_db()
    assert (job.dry_run, job.status, job.created_count, job.rejected_count) == (True, JobStatus.DONE, 2, 0)
    assert not Contact.objects.exists()
    assert "Import 2 rows" in rep_client.get(checked["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        imported = rep_client.post(reverse("dataio:import_run", args=[job.pk]))
    real = Job.objects.get(dry_run=False)
    assert imported["Location"] == reverse("dataio:import_detail", args=[real.pk])
    assert (real.status, real.progress, real.created_count, real.user) == (JobStatus.DONE, 100, 2, rep)
    zhang = Contact.objects.get(full_name="张伟")
    assert zhang.mobile_phone_e164 == "+8613800138000" and zhang.work_phone_e164 == "+8675528780808"
    assert zhang.account.name == "华为技术有限公司" and zhang.birthday == datetime.date(1985, 3, 12)
    assert zhang.owner == rep and zhang.title == "销售经理"
    assert [change.action for change in history_of(zhang)] == ["created"]
    result = rep_client.get(imported["Location"]).content.decode()
    assert "Undo this import" in result and 'data-count="created">2<' in result


def test_utf8_csv_with_bom_maps_its_first_column(rep, run):
    job = run(rep, "accounts", csv_bytes([["Name", "Industry", "City"], ["Acme Ltd", "Retail", "Shanghai"]], bom=True))
    assert job.options["columns"] == ["name", "industry", "billing_city"]
    account = Account.objects.get()
    assert (account.name, account.industry, account.billing_city) == ("Acme Ltd", "Retail", "Shanghai")


def test_encoding_can_be_chosen_when_detection_would_guess_wrong(rep, run):
    content = "Name,City\n台積電,新竹\n".encode("big5")
    job = run(rep, "accounts", content, encoding="big5")
    assert job.encoding == "big5" and Account.objects.get().name == "台積電"
    with pytest.raises(ImportFileError) as refused:
        run(rep, "accounts", "名称\n華為\n".encode("gbk"), encoding="utf-8")
    assert "not UTF-8" in str(refused.value.message)


def test_xlsx_with_dates_numbers_and_european_number_format(rep, run):
    content = xlsx_bytes([
        ["公司名称", "员工人数", "年营业额", "成立日期", "网站"],
        ["Acme GmbH", 250, "1.234.567,89", datetime.datetime(2001, 5, 17), "https://acme.example"],
        ["Beta AG", 12.0, 99.5, None, None],
    ])
    CustomFieldFactory(entity="account", key="founded", label="成立日期", field_type=FieldType.DATE)
    job = run(rep, "accounts", content, filename="firmen.xlsx", number_format="1.234,56")
    assert (job.file_format, job.created_count, job.rejected_count) == ("xlsx", 2, 0)
    assert job.options["columns"] == ["name", "employees", "annual_revenue", "custom.founded", "website"]
    acme = Account.objects.get(name="Acme GmbH")
    assert acme.employees == 250 and acme.annual_revenue == Decimal("1234567.89")
    assert acme.custom == {"founded": "2001-05-17"} and acme.website == "https://acme.example"
    beta = Account.objects.get(name="Beta AG")
    assert beta.employees == 12 and beta.annual_revenue == Decimal("99.50")


@pytest.mark.parametrize(("date_format", "written"), [
    ("DD/MM/YYYY", "17/05/1990"), ("MM/DD/YYYY", "05/17/1990"), ("YYYY/MM/DD", "1990/05/17"),
    ("YYYY年MM月DD日", "1990年5月17日"),
])
def test_dates_are_read_in_the_chosen_format(rep, run, date_format, written):
    job = run(rep, "contacts", csv_bytes([["Name", "Birthday"], ["Ann", written], ["Bob", "17.05.1990 x"]]),
              date_format=date_format)
    assert Contact.objects.get(full_name="Ann").birthday == datetime.date(1990, 5, 17)
    assert job.rejected_sample == [{"row": 3, "reason": f"Birthday: Enter a date written as {date_format}, "
                                                        f"not “17.05.1990 x”."}]


def test_dry_run_checks_everything_and_writes_nothing(rep, run):
    ContactFactory(owner=rep, full_name="Existing", email="old@example.com")
    content = csv_bytes([["Name", "Email"], ["Ann", "ann@example.com"], ["Old again", "OLD@example.com"],
                         ["Bad", "not-an-email"], ["Ann twice", "ann@example.com"]])
    job = run(rep, "contacts", content, dry_run=True, duplicate_key="email", on_duplicate="skip")
    assert (job.status, job.created_count, job.skipped_count, job.rejected_count) == (JobStatus.DONE, 1, 2, 1)
    assert job.rejected_sample == [{"row": 4, "reason": "Email: Enter a valid email address."}]
    assert contact_names() == ["Existing"]
    assert not ImportedRecord.objects.exists()
    assert [change.action for change in history_of(Contact.objects.get())] == []


# --- duplicates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "existing", "cell"), [
    ("email", {"email": "Wei.Zhang@Example.com"}, "wei.zhang@example.com"),
    ("phone", {"mobile_phone": "13800138000"}, "+86 138-0013-8000"),
    ("external_id", {"external_id": "ERP-0042"}, "ERP-0042"),
    ("name", {}, "张伟"),
])
@pytest.mark.parametrize("action", ["skip", "update", "create"])
def test_duplicates_are_found_by_the_chosen_key_and_skipped_updated_or_created(rep, run, key, existing, cell,
                                                                               action):
    column = {"email": "email", "phone": "mobile_phone", "external_id": "external_id", "name": "full_name"}[key]
    original = services.contact_create(actor=rep, data={"full_name": "张伟", "title": "工程师", **existing})
    header = ["full_name", "title"] if key == "name" else ["full_name", "title", column]
    row = ["张伟", "总经理"] if key == "name" else ["张伟", "总经理", cell]
    job = run(rep, "contacts", csv_bytes([header, row]), duplicate_key=key, on_duplicate=action)

    original.refresh_from_db()
    if action == "skip":
        assert (job.created_count, job.updated_count, job.skipped_count) == (0, 0, 1)
        assert Contact.objects.count() == 1 and original.title == "工程师"
    elif action == "update":
        assert (job.created_count, job.updated_count, job.skipped_count) == (0, 1, 0)
        assert Contact.objects.count() == 1 and original.title == "总经理" and original.version == 2
        assert history_of(original).first().changes["title"] == ["工程师", "总经理"]
    else:
        assert (job.created_count, job.updated_count) == (1, 0)
        assert Contact.objects.count() == 2 and original.title == "工程师"


def test_duplicates_within_the_file_are_caught_across_batches(rep, run, monkeypatch):
    monkeypatch.setattr(import_jobs, "BATCH_SIZE", 2)
    rows = [["Name", "Email", "Title"], ["Ann", "ann@example.com", "Buyer"], ["Ann A.", "ANN@example.com", "CFO"],
            ["Bob", "bob@example.com", ""], ["Ann B.", "ann@example.com", "CEO"]]
    skipped = run(rep, "contacts", csv_bytes(rows), duplicate_key="email", on_duplicate="skip")
    assert (skipped.created_count, skipped.skipped_count) == (2, 2) and contact_names() == ["Ann", "Bob"]

    Contact.objects.all().delete()
    updated = run(rep, "contacts", csv_bytes(rows), duplicate_key="email", on_duplicate="update")
    assert (updated.created_count, updated.updated_count, updated.rejected_count) == (2, 2, 0)
    ann = Contact.objects.get(email__iexact="ann@example.com")
    assert (ann.full_name, ann.title, ann.version) == ("Ann B.", "CEO", 3)


def test_a_long_import_keeps_finding_duplicates_through_the_indexes(rep, run):
    """PostgreSQL plans from the statistics of the last ANALYZE, which are of the empty table until the
    import refreshes them as it fills it; without them each batch's lookups would scan the whole table."""
    rows = [["Name", "Email"]] + [[f"Person {number}", f"person{number}@example.com"] for number in range(1200)]
    job = run(rep, "contacts", csv_bytes(rows), duplicate_key="email", on_duplicate="skip")
    assert job.created_count == 1200

    wanted = ["person5@example.com", "person7@example.com"]
    by_email = Contact.all_objects.annotate(lower_email=Lower("email")).filter(lower_email__in=wanted).exclude(email="")
    assert "contact_email_lower" in by_email.explain()
    entries = SearchEntry.objects.filter(type="contact", object_id__in=[1, 2])
    # The unique (type, object_id) constraint's index: SQLite names it itself.
    assert re.search(r"search_entry_record|sqlite_autoindex_search_searchentry", entries.explain())


def test_update_leaves_values_of_empty_cells_alone(rep, run):
    ContactFactory(owner=rep, full_name="Ann", email="ann@example.com", title="Buyer", department="Purchasing")
    run(rep, "contacts", csv_bytes([["Email", "Title", "Department"], ["ann@example.com", "", "Finance"]]),
        duplicate_key="email", on_duplicate="update")
    ann = Contact.objects.get()
    assert (ann.title, ann.department) == ("Buyer", "Finance")


# --- rejected rows ---------------------------------------------------------------------------------


def test_rejected_rows_come_back_with_row_numbers_and_reasons_and_reimport_after_fixing(rep, run):
    content = csv_bytes([
        ["姓名", "邮箱", "手机", "生日"],
        ["张伟", "zw@example.com", "13800138000", "1980-01-01"],
        ["", "nobody@example.com", "", ""],
        ["李娜", "li.na@", "12", "1980-02-30"],
        ["王芳", "wf@example.com", "+86 139 1234 5678", ""],
    ])
    job = run(rep, "contacts", content)
    assert (job.created_count, job.rejected_count) == (2, 2)
    assert job.rejected_sample[0] == {"row": 3, "reason": "Full name: This field cannot be blank."}
    assert job.rejected_sample[1]["row"] == 4
    assert "Birthday: Enter a date written as YYYY-MM-DD" in job.rejected_sample[1]["reason"]
    rows = rejected_csv(job)
    assert rows[0] == ["姓名", "邮箱", "手机", "生日", "reason"]
    assert rows[2][:4] == ["李娜", "li.na@", "12", "1980-02-30"] and rows[2][4].startswith("Row 4: ")

    rows[1][0] = "赵强"
    rows[2][1:4] = ["li.na@example.com", "13700001111", "1980-02-28"]
    fixed = run(rep, "contacts", csv_bytes(rows, bom=True))
    assert (fixed.created_count, fixed.rejected_count) == (2, 0)
    assert fixed.options["columns"][-1] == ""  # the reason column is not imported
    assert contact_names() == ["张伟", "李娜", "王芳", "赵强"]


def test_rejected_rows_download_is_the_owners_only(rep_client, rep, other_rep, run, client):
    job = run(rep, "accounts", csv_bytes([["Name", "Email"], ["Acme", "bad"]]))
    response = rep_client.get(reverse("dataio:import_rejected", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('data-rejected.csv"')
    client.force_login(other_rep)
    assert client.get(reverse("dataio:import_rejected", args=[job.pk])).status_code == 404
    assert client.get(reverse("dataio:import_detail", args=[job.pk])).status_code == 404


def test_a_bad_row_is_rejected_before_its_batch_is_written_and_the_good_rows_are_written(rep, run, monkeypatch):
    monkeypatch.setattr(import_jobs, "BATCH_SIZE", 3)
    rows = [["Name", "Email"], ["A1", "a1@example.com"], ["A2", "broken"], ["A3", "a3@example.com"],
            ["B1", "b1@example.com"], ["B2", "b2@example.com"]]
    job = run(rep, "accounts", csv_bytes(rows))
    assert (job.created_count, job.rejected_count) == (4, 1)
    assert sorted(Account.objects.values_list("name", flat=True)) == ["A1", "A3", "B1", "B2"]
    assert ImportedRecord.objects.filter(job=job, created=True).count() == 4


def test_when_the_database_refuses_a_batch_its_rows_are_retried_one_by_one(rep, run, monkeypatch):
    monkeypatch.setattr(import_jobs, "BATCH_SIZE", 3)
    original = services.records_create_many

    def refuse_boom(entity, *, actor, records, tags_of_records):
        if any(record.name == "BOOM" for record in records):
            raise IntegrityError("simulated: the database refused the row")
        return original(entity, actor=actor, records=records, tags_of_records=tags_of_records)

    monkeypatch.setattr(services, "records_create_many", refuse_boom)
    job = run(rep, "accounts", csv_bytes([["Name"], ["A1"], ["BOOM"], ["A3"], ["B1"]]))
    assert sorted(Account.objects.values_list("name", flat=True)) == ["A1", "A3", "B1"]
    assert (job.created_count, job.rejected_count) == (3, 1)
    assert job.rejected_sample[0]["row"] == 3 and "database refused" in job.rejected_sample[0]["reason"]


# --- contacts and their accounts -------------------------------------------------------------------


def test_contacts_link_to_accounts_by_name_or_external_id(rep, run, other_rep):
    huawei = AccountFactory(owner=rep, name="华为", external_id="C-001")
    acme = AccountFactory(owner=rep, name="Acme Ltd", external_id="C-002")
    AccountFactory(owner=rep, name="Twin Co")
    AccountFactory(owner=rep, name="Twin Co")
    AccountFactory(owner=other_rep, name="Hidden Ltd")  # outside the rep's scope
    content = csv_bytes([
        ["Name", "Company", "Company ID"],
        ["Ann", "华为", ""], ["Bob", "acme ltd", ""], ["Cai", "", "C-001"], ["Dan", "Nowhere Inc", ""],
        ["Eve", "Twin Co", ""], ["Fay", "Hidden Ltd", ""], ["Gus", "", "C-999"],
    ])
    job = run(rep, "contacts", content)
    assert job.options["columns"] == ["full_name", "account_name", "account_external_id"]
    linked = dict(Contact.objects.values_list("full_name", "account_id"))
    assert linked == {"Ann": huawei.pk, "Bob": acme.pk, "Cai": huawei.pk}
    reasons = {row["row"]: row["reason"] for row in job.rejected_sample}
    assert reasons[5].startswith("No account named “Nowhere Inc”")
    assert reasons[6].startswith("Several accounts are named “Twin Co”")
    assert reasons[7].startswith("No account named “Hidden Ltd”")
    assert reasons[8].startswith("No account with external id “C-999”")


def test_given_and_family_names_make_the_full_name(rep, run):
    run(rep, "contacts", csv_bytes([["姓", "名", "First name", "Last name"], ["张", "伟", "", ""]]),
        columns=["family_name", "given_name", "", ""])
    run(rep, "contacts", csv_bytes([["First name", "Last name"], ["Ann", "Lee"]]))
    assert contact_names() == ["Ann Lee", "张伟"]


# --- undo ------------------------------------------------------------------------------------------


def test_undo_bins_what_the_import_created_and_restores_what_it_updated(rep_client, rep, run):
    kept = ContactFactory(owner=rep, full_name="Ann", email="ann@example.com", title="Buyer")
    job = run(rep, "contacts", csv_bytes([["Name", "Email", "Title", "Tags"], ["Ann", "ann@example.com", "CFO", "VIP"],
                                          ["Bob", "bob@example.com", "Clerk", ""]]),
              duplicate_key="email", on_duplicate="update")
    kept.refresh_from_db()
    assert (kept.title, [tag.name for tag in kept.tags.all()], job.updated_count, job.created_count) == (
        "CFO", ["VIP"], 1, 1)

    response = rep_client.post(reverse("dataio:import_undo", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE and job.undone_by == rep
    kept.refresh_from_db()
    assert (kept.title, list(kept.tags.all())) == ("Buyer", [])
    assert contact_names() == ["Ann"]
    assert Contact.all_objects.get(full_name="Bob").deleted_at is not None  # in the recycle bin
    with pytest.raises(Refused):
        undo.import_undo(actor=rep, job=job)


def test_undo_is_refused_when_a_record_changed_after_the_import(rep, run):
    job = run(rep, "accounts", csv_bytes([["Name"], ["Acme"], ["Beta"]]))
    acme = Account.objects.get(name="Acme")
    services.account_update(actor=rep, account=acme, data={"industry": "Energy"}, version=acme.version)
    with pytest.raises(Refused) as refused:
        undo.import_undo(actor=rep, job=job)
    assert f"“Acme” (#{acme.pk})" in str(refused.value.message)
    assert Account.objects.count() == 2 and Job.objects.get(pk=job.pk).status == JobStatus.DONE


def test_undo_is_refused_when_a_contact_was_added_under_an_imported_account(rep, run):
    job = run(rep, "accounts", csv_bytes([["Name"], ["Acme"]]))
    services.contact_create(actor=rep, data={"full_name": "Ann", "account": Account.objects.get()})
    with pytest.raises(Refused) as refused:
        undo.import_undo(actor=rep, job=job)
    assert "contacts" in str(refused.value.message) and Account.objects.count() == 1


# --- hostile and broken files ----------------------------------------------------------------------


@pytest.mark.parametrize(("filename", "content", "message"), [
    ("data.csv", b"", "The file is empty."),
    ("data.csv", b"\xef\xbb\xbf\r\n", "The file is empty."),
    ("data.csv", b"Name,Email\r\n", "The file has a header row but no data rows."),
    ("data.csv", bytes(range(256)) * 40, "This is not a text (CSV) file or an Excel workbook."),
    ("photo.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF" + os.urandom(2000), "This is not a text (CSV) file"),
    ("data.xlsx", b"\x00\x01\x02\x03\x04" * 50 + b"Name", "This is not a text (CSV) file"),
    ("data.csv", b"Name\n" + b"\x01\x02\x03\x04\x05\x06\x07\x08" * 30, "This is not a text (CSV) file"),
    ("data.xlsx", b"PK\x03\x04 truncated", "This is not a valid .xlsx workbook"),
    ("data.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "This is an old Excel (.xls) file."),
])
def test_broken_files_are_refused_with_a_clear_message(rep, run, filename, content, message):
    with pytest.raises(ImportFileError) as refused:
        run(rep, "contacts", content, filename=filename)
    assert message in str(refused.value.message)
    assert not Job.objects.exists() and not Contact.objects.exists()


def test_a_zip_that_is_not_a_workbook_or_is_a_zip_bomb_is_not_opened(rep, run):
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportFileError) as refused:
        run(rep, "contacts", plain.getvalue(), filename="data.xlsx")
    assert "not an Excel workbook" in str(refused.value.message)

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert len(bomb.getvalue()) < 200 * 1024
    with pytest.raises(ImportFileError) as refused:
        run(rep, "contacts", bomb.getvalue(), filename="data.xlsx")
    assert "zip bomb" in str(refused.value.message)


def test_a_well_formed_workbook_whose_sheet_unpacks_to_hundreds_of_megabytes_is_refused_unread(rep, run):
    """A real workbook (made by openpyxl) whose one sheet is valid XML of 300 MB of rows: it passes every
    check a workbook should, yet must be refused from its zip directory before openpyxl unpacks it."""
    made = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Email"])
    workbook.save(made)
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(made.getvalue())) as original, \
            zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in original.infolist():
            if entry.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entry, original.read(entry))
                continue
            with archive.open(entry.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
                            b'formats.org/spreadsheetml/2006/main"><sheetData>')
                row = b'<row><c t="inlineStr"><is><t>Person</t></is></c></row>' * 20_000
                for _chunk in range(300 * 1024 * 1024 // len(row)):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    assert len(bomb.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(ImportFileError) as refused:
        run(rep, "contacts", bomb.getvalue(), filename="contacts.xlsx")
    assert "zip bomb" in str(refused.value.message)
    assert not Job.objects.exists() and not Contact.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(rep_client, rep, run, settings):
    settings.IMPORT_MAX_BYTES = 1000
    big = csv_bytes([["Name"]] + [[f"Person {number}"] for number in range(8000)])  # about 100 KB
    with pytest.raises(ImportFileError) as refused:
        run(rep, "contacts", big)
    assert re.match(r"The file is 1\d\d\.\d KB; files up to 1 KB can be imported", str(refused.value.message))
    response = rep_client.post(reverse("dataio:import_upload", args=["contacts"]),
                               {"file": SimpleUploadedFile("big.csv", big)})
    assert response.status_code == 413 and "Split it into smaller files" in response.content.decode()
    assert not Job.objects.exists()


def test_ragged_rows_are_rejected_or_padded_and_the_rest_imports(rep, run):
    content = b"Name,Email\r\nAnn,ann@example.com\r\nBob\r\nCai,cai@example.com,extra,cells\r\nDan,,\r\n"
    job = run(rep, "contacts", content)
    assert contact_names() == ["Ann", "Bob", "Dan"]
    assert job.rejected_sample == [{"row": 4, "reason": "This row has 4 cells but the header names 2 columns."}]
    assert rejected_csv(job)[1] == ["Cai", "cai@example.com", "Row 4: This row has 4 cells but the header names 2 "
                                    "columns.", "extra", "cells"]


def test_a_file_that_breaks_encoding_late_fails_before_anything_is_written(rep, run, monkeypatch):
    monkeypatch.setattr("rapport.dataio.import_files.SAMPLE_BYTES", 64)  # the start looks like UTF-8
    content = ("Name\r\n" + "".join(f"Person {number}\r\n" for number in range(20))).encode() + "张伟\r\n".encode("gbk")
    job = run(rep, "contacts", content)
    assert job.status == JobStatus.FAILED and "not valid UTF-8" in job.error and "at line 22" in job.error
    assert not Contact.objects.exists()


def test_formulas_and_html_are_stored_as_text_never_run(rep_client, rep, run):
    content = xlsx_bytes([["Name", "Title", "Department"],
                          ["=HYPERLINK(\"http://evil.example\",\"Click\")", "<script>alert(1)</script>", "=1+1"]])
    job = run(rep, "contacts", content, filename="x.xlsx")
    contact = Contact.objects.get()
    assert job.created_count == 1
    assert contact.full_name == '=HYPERLINK("http://evil.example","Click")' and contact.department == "=1+1"
    assert contact.title == "<script>alert(1)</script>"
    page = rep_client.get(contact.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    csv_job = run(rep, "accounts", csv_bytes([["Name", "Industry"], ["'=cmd|' /C calc'!A0", "@SUM(1)"]]))
    assert csv_job.created_count == 1
    assert Account.objects.get().name == "=cmd|' /C calc'!A0"  # the export's apostrophe is dropped, text kept


def test_control_characters_are_dropped_from_cells(rep, run):
    run(rep, "accounts", b"Name,Industry\r\nAc\x00me\x07,Ret\x1bail\r\n")
    assert Account.objects.values_list("name", "industry").get() == ("Acme", "Retail")


# --- progress, history, pages ----------------------------------------------------------------------


def test_progress_page_polls_while_running_and_stops_at_100(rep_client, rep, run):
    pending = import_job(user=rep, entity="contacts", original_filename="a.csv", file_format="csv",
                         header=["Name"], dry_run=False, enqueued_at=datetime.datetime.now(datetime.UTC),
                         progress=40, total_rows=1000, status=JobStatus.RUNNING)
    polled = rep_client.get(reverse("dataio:import_detail", args=[pending.pk]), HTTP_HX_REQUEST="true")
    body = polled.content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="40"' in body and "<html" not in body

    job = run(rep, "contacts", csv_bytes([["Name"]] + [[f"P{number}"] for number in range(30)]))
    assert (job.status, job.progress, job.total_rows, job.created_count) == (JobStatus.DONE, 100, 30, 30)
    done = rep_client.get(reverse("dataio:import_detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and 'data-count="created">30<' in done


def test_an_import_whose_worker_stopped_shows_as_failed_and_may_be_undone(rep_client, rep, run):
    job = run(rep, "contacts", csv_bytes([["Name"], ["Ann"], ["Bob"]]))
    silent_since = datetime.datetime.now(datetime.UTC) - STALLED_AFTER - datetime.timedelta(minutes=1)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=60, heartbeat_at=silent_since)
    working = import_job(user=rep, entity="contacts", original_filename="b.csv", file_format="csv",
                         header=["Name"], dry_run=False, status=JobStatus.RUNNING,
                         enqueued_at=silent_since, heartbeat_at=datetime.datetime.now(datetime.UTC))
    page = rep_client.get(reverse("dataio:import_detail", args=[job.pk])).content.decode()
    assert "gave no sign of life for 45 seconds" in page and 'hx-trigger="every 1s"' not in page
    rep_client.get(reverse("dataio:job_list"))
    job.refresh_from_db()
    working.refresh_from_db()
    assert job.status == JobStatus.FAILED and import_jobs.may_undo(job)
    assert working.status == JobStatus.RUNNING


def test_a_starting_worker_gives_up_imports_whose_worker_died_in_their_owners_language(rep, run, settings,
                                                                                      transactional_db):
    rep.language = "zh-hans"
    rep.save(update_fields=["language"])
    job = run(rep, "contacts", csv_bytes([["Name"], ["Ann"], ["Bob"]]))
    silent_since = datetime.datetime.now(datetime.UTC) - STALLED_AFTER - datetime.timedelta(seconds=1)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=60, heartbeat_at=silent_since)
    alive = import_job(user=rep, entity="contacts", original_filename="b.csv", file_format="csv",
                       header=["Name"], status=JobStatus.RUNNING, enqueued_at=silent_since,
                       heartbeat_at=datetime.datetime.now(datetime.UTC))

    settings.TASKS = DATABASE_TASKS  # the real worker, with nothing queued; it closes connections between tasks
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    alive.refresh_from_db()
    assert job.status == JobStatus.FAILED and "45" in job.error and "撤销" in job.error
    assert import_jobs.may_undo(job)
    assert alive.status == JobStatus.RUNNING


def test_an_import_given_up_as_stalled_while_it_runs_writes_nothing_more(rep, run, monkeypatch):
    monkeypatch.setattr(import_jobs, "BATCH_SIZE", 2)
    count_batch = import_jobs._Run.count

    def batch_then_stall(self, *args, **kwargs):
        # As if the database had been away for a while: the heartbeat is old and a worker gives the job up.
        count_batch(self, *args, **kwargs)
        silent_since = datetime.datetime.now(datetime.UTC) - STALLED_AFTER - datetime.timedelta(seconds=1)
        Job.objects.filter(pk=self.job.pk).update(heartbeat_at=silent_since)
        import_jobs.give_up_stalled_imports()

    monkeypatch.setattr(import_jobs._Run, "count", batch_then_stall)
    job = run(rep, "contacts", csv_bytes([["Name"], ["Ann"], ["Bob"], ["Cy"], ["Di"], ["Ed"]]))

    assert job.status == JobStatus.FAILED and job.created_count == 2
    assert sorted(Contact.objects.values_list("full_name", flat=True)) == ["Ann", "Bob"]
    assert job.records.count() == 2
    undo.import_undo(actor=rep, job=job)
    assert not Contact.objects.exists()


def test_an_import_no_worker_takes_up_says_so(rep_client, rep):
    queued = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=2)
    waiting = import_job(user=rep, entity="contacts", original_filename="a.csv", file_format="csv",
                         header=["Name"], status=JobStatus.PENDING, enqueued_at=queued)
    fresh = import_job(user=rep, entity="contacts", original_filename="b.csv", file_format="csv",
                       header=["Name"], status=JobStatus.PENDING,
                       enqueued_at=datetime.datetime.now(datetime.UTC))
    notice = "No task worker has taken this up for over a minute"

    assert notice in rep_client.get(reverse("dataio:import_detail", args=[waiting.pk])).content.decode()
    assert notice not in rep_client.get(reverse("dataio:import_detail", args=[fresh.pk])).content.decode()
    _token, raw = token_create(actor=rep, user=rep, name="script")
    answer = rep_client.get(f"/api/v1/jobs/{waiting.pk}", headers={"Authorization": f"Bearer {raw}"}).json()
    assert answer["status"] == "pending" and answer["waiting_for_worker"] is True


def test_a_running_import_gives_signs_of_life(rep, run):
    job = run(rep, "contacts", csv_bytes([["Name"], ["Ann"]]))
    assert job.heartbeat_at is not None


def test_history_lists_the_users_imports_not_dry_runs_or_others(rep_client, rep, other_rep, run):
    run(rep, "accounts", csv_bytes([["Name"], ["Acme"]]), filename="accounts-2024.csv")
    run(rep, "accounts", csv_bytes([["Name"], ["Beta"]]), filename="only-checked.csv", dry_run=True)
    run(other_rep, "accounts", csv_bytes([["Name"], ["Gamma"]]), filename="someone-else.csv")
    page = rep_client.get(reverse("dataio:job_list")).content.decode()
    assert "accounts-2024.csv" in page and "only-checked.csv" not in page and "someone-else.csv" not in page


def test_import_link_is_next_to_new_on_both_lists_for_those_who_may_create(rep_client, client, marketer):
    for entity, url in (("accounts", "customers:account_list"), ("contacts", "customers:contact_list")):
        assert reverse("dataio:import_upload", args=[entity]) in rep_client.get(reverse(url)).content.decode()
        upload_page = rep_client.get(reverse("dataio:import_upload", args=[entity])).content.decode()
        assert 'enctype="multipart/form-data"' in upload_page and "Upload and preview" in upload_page
    client.force_login(marketer)
    assert "/data/imports/new/" not in client.get(reverse("customers:contact_list")).content.decode()


# --- access ----------------------------------------------------------------------------------------


def test_a_marketer_who_may_not_create_cannot_import(client, marketer, run):
    client.force_login(marketer)
    assert client.get(reverse("dataio:import_upload", args=["contacts"])).status_code == 403
    response = client.post(reverse("dataio:import_upload", args=["contacts"]),
                           {"file": SimpleUploadedFile("a.csv", b"Name\nAnn\n")})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        run(marketer, "contacts", b"Name\nAnn\n")
    assert not Contact.objects.exists()


def test_updating_duplicates_needs_the_edit_permission(run):
    creator = UserFactory(role=role_with("Data entry", view=Scope.OWN, create=Scope.OWN))
    with pytest.raises(PermissionDenied):
        run(creator, "contacts", b"Name,Email\nAnn,ann@example.com\n", duplicate_key="email", on_duplicate="update")
    assert run(creator, "contacts", b"Name\nAnn\n").created_count == 1


def test_mapping_must_name_real_fields_once_and_the_required_ones(rep, run):
    with pytest.raises(InvalidInput) as refused:
        run(rep, "accounts", b"A,B\nx,y\n", columns=["industry", "industry"])
    assert "both mapped to" in refused.value.fields["mapping"][0]
    with pytest.raises(InvalidInput) as refused:
        run(rep, "accounts", b"A\nx\n", columns=["industry"])
    assert refused.value.fields["mapping"] == ["Choose a column for “name”."]
    with pytest.raises(InvalidInput) as refused:
        run(rep, "accounts", b"Name\nx\n", duplicate_key="email")
    assert "map a column to it" in refused.value.fields["duplicate_key"][0]


# --- command line ----------------------------------------------------------------------------------


def test_the_command_imports_with_mapping_duplicates_and_dry_run(rep, tmp_path):
    ContactFactory(owner=rep, full_name="Old", mobile_phone="13800138000", mobile_phone_e164="+8613800138000")
    path = tmp_path / "legacy.csv"
    path.write_bytes(csv_bytes([["联系人", "手机号码", "Mail"], ["新人", "13900139000", "new@example.com"],
                                ["Old again", "138-0013-8000", ""], ["Broken", "12", ""]], encoding="gbk"))
    out = io.StringIO()
    call_command("import", "contacts", str(path), "--dry-run", "--duplicates", "phone", "--user", "rep1",
                 "--encoding", "gbk", "--mapping", "Mail=email", "联系人=full_name", "手机号码=mobile_phone",
                 stdout=out)
    printed = out.getvalue()
    assert "Dry run" in printed and "created: 1" in printed and "skipped: 1" in printed and "rejected: 1" in printed
    assert "row 4: Mobile phone: Enter a valid phone number" in printed
    assert contact_names() == ["Old"]

    out = io.StringIO()
    call_command("import", "contacts", str(path), "--duplicates", "phone", "--on-duplicate", "update",
                 "--user", "rep1", stdout=out)
    assert "created: 1" in out.getvalue() and "updated: 1" in out.getvalue()
    assert contact_names() == ["Old again", "新人"]
    with pytest.raises(CommandError, match="no active user"):
        call_command("import", "contacts", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="no column “Nope”"):
        call_command("import", "contacts", str(path), "--user", "rep1", "--mapping", "Nope=email")


# --- API ---------------------------------------------------------------------------------------------


def api_headers(user) -> dict:
    _token, secret = token_create(actor=user, user=user, name="tests")
    return {"Authorization": f"Bearer {secret}"}


def test_api_imports_a_multipart_file_and_reports_status_counts_and_rejections(client, rep, other_rep,
                                                                              django_capture_on_commit_callbacks):
    content = csv_bytes([["Full name", "E-mail", "Mobile"], ["Ann", "ann@example.com", "13800138000"],
                         ["Bob", "bob@", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports", {
            "entity": "contacts", "file": SimpleUploadedFile("api.csv", content),
            "mapping": json.dumps({"Full name": "full_name", "E-mail": "email"}),
            "options": json.dumps({"duplicate_key": "email", "on_duplicate": "skip"}),
        }, headers=api_headers(rep))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["columns"] == [{"name": "Full name", "field": "full_name"}, {"name": "E-mail", "field": "email"}]
    assert (body["kind"], body["dry_run"], body["file"]) == ("import", False, "api.csv")

    status = client.get(body["status_url"], headers=api_headers(rep)).json()
    assert (status["status"], status["progress"], status["created"], status["rejected"]) == ("done", 100, 1, 1)
    assert status["rejected_rows"] == [{"row": 3, "reason": "Email: Enter a valid email address."}]
    assert Contact.objects.get().mobile_phone == ""  # the unmapped column was not imported
    rejected = client.get(status["rejected_file_url"], headers=api_headers(rep))
    assert b"".join(rejected.streaming_content).decode("utf-8-sig").startswith("Full name,E-mail,Mobile,reason")
    assert client.get(body["status_url"], headers=api_headers(other_rep)).status_code == 404


def test_api_dry_run_and_refusals(client, rep, marketer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports", {"entity": "accounts", "dry_run": "true",
                                                   "file": SimpleUploadedFile("a.csv", b"Name\nAcme\n")},
                               headers=api_headers(rep))
    assert response.status_code == 202 and response.json()["dry_run"] is True
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.status, job.created_count) == (JobStatus.DONE, 1) and not Account.objects.exists()

    empty = client.post("/api/v1/imports", {"entity": "accounts", "file": SimpleUploadedFile("a.csv", b"")},
                        headers=api_headers(rep))
    assert empty.status_code == 422 and empty.json()["error"]["fields"]["file"] == ["The file is empty."]
    bad_mapping = client.post("/api/v1/imports", {"entity": "accounts", "mapping": "[1]",
                                                  "file": SimpleUploadedFile("a.csv", b"Name\nAcme\n")},
                              headers=api_headers(rep))
    assert bad_mapping.status_code == 422 and "mapping" in bad_mapping.json()["error"]["fields"]
    forbidden = client.post("/api/v1/imports", {"entity": "contacts",
                                                "file": SimpleUploadedFile("a.csv", b"Name\nA\n")},
                            headers=api_headers(marketer))
    assert forbidden.status_code == 403
    assert client.post("/api/v1/imports", {"entity": "ships", "file": SimpleUploadedFile("a.csv", b"Name\nA\n")},
                       headers=api_headers(rep)).status_code == 404
    assert Job.objects.count() == 1  # refused uploads leave no job behind


# --- more of the pages and fields ------------------------------------------------------------------


def test_mapping_page_shows_what_to_fix_and_lets_the_encoding_be_changed(rep_client, rep):
    content = "Name,City\n台積電,新竹\n".encode("big5")
    rep_client.post(reverse("dataio:import_upload", args=["accounts"]),
                    {"file": SimpleUploadedFile("tw.csv", content), "encoding": "big5"})
    job = Job.objects.get()
    url = reverse("dataio:import_mapping", args=[job.pk])
    form = {"column_0": "name", "column_1": "name", "duplicate_key": "", "on_duplicate": "skip",
            "date_format": "YYYY-MM-DD", "number_format": "1,234.56", "encoding": "big5"}
    response = rep_client.post(url, form)
    assert response.status_code == 400
    assert "are both mapped to “name”" in response.content.decode()
    job.refresh_from_db()
    assert job.enqueued_at is None and not Account.objects.exists()

    rep_client.post(url, {**form, "encoding": "gb18030"})  # garbles the preview: the user sees it and can go back
    job.refresh_from_db()
    assert job.encoding == "gb18030" and "台積電" not in rep_client.get(url).content.decode()
    rep_client.post(url, {**form, "encoding": "big5"})
    assert "台積電" in rep_client.get(url).content.decode()


def test_pressing_import_twice_imports_once(rep_client, rep, run, django_capture_on_commit_callbacks):
    check = run(rep, "accounts", csv_bytes([["Name"], ["Acme"]]), dry_run=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = rep_client.post(reverse("dataio:import_run", args=[check.pk]))
        second = rep_client.post(reverse("dataio:import_run", args=[check.pk]))
    assert first["Location"] == second["Location"]
    assert Account.objects.count() == 1 and Job.objects.filter(dry_run=False).count() == 1
    check_page = rep_client.get(reverse("dataio:import_detail", args=[check.pk])).content.decode()
    assert "See the import of this file" in check_page


def test_xlsx_contacts_keep_phone_numbers_typed_as_numbers_and_read_date_cells(rep, run):
    content = xlsx_bytes([["姓名", "手机号码", "出生日期", "同意营销"],
                          ["张伟", 13800138000, datetime.datetime(1988, 8, 8), "是"],
                          ["李娜", 13900139000.0, 32874, "否"]])
    job = run(rep, "contacts", content, filename="联系人.xlsx")
    assert job.rejected_sample == []
    zhang, li = Contact.objects.get(full_name="张伟"), Contact.objects.get(full_name="李娜")
    assert (zhang.full_name, zhang.mobile_phone, zhang.birthday) == ("张伟", "13800138000", datetime.date(1988, 8, 8))
    assert zhang.marketing_consent and zhang.consent_method == "import" and zhang.consent_at is not None
    assert (li.full_name, li.mobile_phone, li.birthday, li.marketing_consent) == (
        "李娜", "13900139000", datetime.date(1990, 1, 1), False)


def test_custom_fields_map_by_key_or_label_and_are_validated_by_their_type(rep, run):
    CustomFieldFactory(entity="contact", key="vip_level", label="会员等级", field_type=FieldType.CHOICE,
                       choices=["Gold", "Silver"])
    CustomFieldFactory(entity="contact", key="credit", label="Credit limit", field_type=FieldType.MONEY)
    content = csv_bytes([["Name", "会员等级", "credit", "Tags"], ["Ann", "Gold", "1,500.50", "VIP, 华东"],
                         ["Bob", "Bronze", "x", ""]])
    job = run(rep, "contacts", content)
    assert job.options["columns"] == ["full_name", "custom.vip_level", "custom.credit", "tags"]
    ann = Contact.objects.get()
    assert ann.custom == {"vip_level": "Gold", "credit": "1500.50"}
    assert sorted(tag.name for tag in ann.tags.all()) == ["VIP", "华东"]
    assert job.rejected_sample[0]["row"] == 3
    assert "Credit limit: Enter a number written as 1,234.56, not “x”." in job.rejected_sample[0]["reason"]


def test_choices_are_read_by_code_or_label_in_any_language(rep, run):
    run(rep, "accounts", csv_bytes([["Name", "Lifecycle stage", "Rating"], ["Acme", "Customer", "hot"],
                                    ["Beta", "成交客户", "冷"]]))
    assert dict(Account.objects.values_list("name", "lifecycle_stage")) == {"Acme": "customer", "Beta": "customer"}
    assert dict(Account.objects.values_list("name", "rating")) == {"Acme": "hot", "Beta": "cold"}


def test_imported_contacts_are_found_by_search_at_once_with_their_accounts_name(rep, run):
    """The entries are built from the rows in hand and filed in the full-text index once per batch."""
    from rapport.search.selectors import search

    AccountFactory(owner=rep, name="深圳华为技术有限公司")
    rows = [["姓名", "手机", "所属公司"], ["王伟", "138 0013 8000", "深圳华为技术有限公司"],
            ["李娜", "139 0013 9000", "深圳华为技术有限公司"]]
    assert run(rep, "contacts", csv_bytes(rows)).created_count == 2
    found = search(actor=rep, text="华为", types=["contact"])
    assert sorted(hit.title for hit in found.hits) == ["李娜", "王伟"]
    assert [hit.title for hit in search(actor=rep, text="8000", types=["contact"]).hits] == ["王伟"]


def test_a_duplicate_is_found_by_its_other_email_or_work_phone_in_any_case_and_spelling(rep, run):
    """Each column is looked up on its own index: SQLite read every row for the two columns at once."""
    ContactFactory(owner=rep, full_name="Ann", email="ann@example.com", other_email="Ann.Private@Example.com")
    ContactFactory(owner=rep, full_name="Bob", work_phone="0755 2878 0808", work_phone_e164="+8675528780808")
    by_email = run(rep, "contacts", csv_bytes([["Name", "Email"], ["Ann P.", "ann.private@example.COM"]]),
                   duplicate_key="email", on_duplicate="skip")
    by_phone = run(rep, "contacts", csv_bytes([["Name", "Mobile"], ["Bob W.", "+86 755 2878 0808"]]),
                   duplicate_key="phone", on_duplicate="skip")
    assert (by_email.skipped_count, by_email.created_count) == (1, 0)
    assert (by_phone.skipped_count, by_phone.created_count) == (1, 0)
    assert sorted(Contact.objects.values_list("full_name", flat=True)) == ["Ann", "Bob"]
