"""Bringing a legacy spreadsheet in, with a progress bar, and taking the filtered list out to Excel."""

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from rapport.access.scopes import Scope
from rapport.customers.models import Account, Contact
from rapport.directory.demo import DEMO_PASSWORD
from rapport.directory.models import User

from ..factories import UserFactory, role_with
from .helpers import Interactions, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEGACY_CSV = (
    "姓名,手机,邮箱,职位\n"
    "张伟,138 0013 8000,zhang.wei@example.cn,采购经理\n"
    "李娜,13900139000,li.na@example.cn,财务总监\n"
    "王芳,not a phone,wang.fang@example.cn,工程师\n"
)


def run_the_worker() -> None:
    """The real task worker processes what is queued (in this thread: it installs signal handlers)."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_import_shows_progress_then_the_filtered_list_exports_to_excel(page, password, tmp_path):
    role = role_with("Office manager", view=Scope.ALL, create=Scope.ALL, edit=Scope.ALL, export=Scope.ALL)
    UserFactory(username="office", role=role)
    legacy = tmp_path / "客户联系人.csv"
    legacy.write_bytes(LEGACY_CSV.encode("gbk"))
    log_in(page, "office", password)
    page.goto("/customers/contacts/")
    page.get_by_role("link", name="Import").click()
    page.locator("input[type=file]").set_input_files(str(legacy))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("cell", name="张伟", exact=True)).to_be_visible()
    page.get_by_role("button", name="Check (dry run)").click()

    progress = page.locator("#job-progress-bar")
    expect(progress).to_be_visible()
    run_the_worker()
    expect(page.locator('#import-counts [data-count="created"]')).to_have_text("2")
    expect(page.locator('#import-counts [data-count="rejected"]')).to_have_text("1")
    expect(page.locator("#rejected-table")).to_contain_text("phone")
    assert not Contact.objects.exists(), "a dry run writes nothing"

    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.locator("#job-progress-bar")).to_be_visible()
    run_the_worker()
    expect(page.locator('#import-counts [data-count="created"]')).to_have_text("2")
    assert sorted(Contact.objects.values_list("full_name", flat=True)) == ["张伟", "李娜"]

    page.goto("/customers/contacts/?title=采购经理")
    expect(page.locator("#record-table tbody tr")).to_have_count(1)
    page.locator("summary", has_text="Export").click()
    with page.expect_download() as download_info:
        page.locator('[data-export-format="xlsx"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = openpyxl.load_workbook(saved)
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "Full name"
    assert [row[0] for row in rows[1:]] == ["张伟"]


def test_a_demo_rep_exports_the_list_they_see_to_excel_in_two_interactions(page, tmp_path):
    call_command("demo", verbosity=0)
    rep1 = User.objects.get(username="rep1")
    log_in(page, "rep1", DEMO_PASSWORD)
    page.goto("/customers/accounts/")
    steps = Interactions()
    steps.click(page.locator("summary", has_text="Export"))
    with page.expect_download() as download_info:
        steps.click(page.locator('[data-export-format="xlsx"]'))
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    names = [row[0] for row in list(openpyxl.load_workbook(saved).active.iter_rows(values_only=True))[1:]]
    assert steps.count <= 2
    assert sorted(names) == sorted(Account.objects.filter(owner=rep1).values_list("name", flat=True))
    assert names, "the demo rep has customers to export"
