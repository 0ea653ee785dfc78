"""A manager opens a report on a phone and taps a bar to see the records behind it."""

import pytest
from playwright.sync_api import expect

from ..factories import AccountFactory
from .helpers import has_no_horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bar_of_the_chart_opens_its_records_on_a_phone(phone_page, rep, password):
    page = phone_page
    for name in ["Acme", "Globex", "Initech"]:
        AccountFactory(owner=rep, name=name, lifecycle_stage="customer")
    AccountFactory(owner=rep, name="Hooli", lifecycle_stage="prospect")
    log_in(page, "rep1", password)
    page.goto("/customers/accounts/")
    page.get_by_text("Charts").click()
    page.get_by_role("link", name="Accounts by lifecycle stage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts by lifecycle stage")
    expect(page.locator("svg.chart")).to_be_visible()
    assert has_no_horizontal_overflow(page), "the report is wider than the phone"
    page.locator("svg.chart a").nth(1).click()  # the second bar: prospects
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    expect(page.locator("#record-table tbody tr")).to_have_count(1)
    expect(page.locator("#record-table tbody")).to_contain_text("Hooli")
