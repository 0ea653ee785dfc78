"""The pages a rep opens on the road, at phone width (390 × 844)."""

import pytest
from playwright.sync_api import expect

from ..factories import AccountFactory, ContactFactory
from .conftest import ARTIFACTS
from .helpers import has_no_horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_fit_a_phone_screen_and_the_menu_opens(phone_page, rep, password):
    page = phone_page
    account = AccountFactory(
        owner=rep, name="Guangzhou Pearl River Precision Manufacturing Co., Ltd.", industry="Manufacturing",
        email="procurement.department@pearl-river-precision.example", website="https://www.pearl-river-precision.example/en/",
        phone="+86 20 8888 0000", billing_street="1 Very Long Industrial Park Road", billing_city="Guangzhou",
    )
    ContactFactory(owner=rep, account=account, full_name="Chen Jing", title="Head of purchasing",
                   email="chen.jing@pearl-river-precision.example")
    AccountFactory.create_batch(3, owner=rep)

    page.goto("/login/")
    assert has_no_horizontal_overflow(page), "the login page is wider than the phone"
    log_in(page, "rep1", password)

    nav_link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts")
    expect(nav_link).to_be_hidden()
    page.locator("label[for=nav-toggle]").click()
    expect(nav_link).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert has_no_horizontal_overflow(page), "the open menu is wider than the phone"
    nav_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    expect(page.locator("#record-table tbody tr")).to_have_count(4)
    expect(nav_link).to_be_hidden()  # a new page starts with the menu closed
    bulk_actions = page.get_by_label("With selected:")
    expect(bulk_actions).to_be_hidden()  # folded until a row is ticked
    page.locator("#record-table tbody input[type=checkbox]").first.check()
    expect(bulk_actions).to_be_visible()
    page.locator("#record-table tbody input[type=checkbox]").first.uncheck()
    assert has_no_horizontal_overflow(page), "the account list is wider than the phone"

    page.get_by_role("link", name=account.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(account.name)
    expect(page.get_by_role("link", name="Chen Jing")).to_be_visible()
    assert has_no_horizontal_overflow(page), "the account page is wider than the phone"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-account-page.png"), full_page=True)

    page.goto("/customers/accounts/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("New account")
    expect(page.locator("#id_name")).to_be_visible()
    assert has_no_horizontal_overflow(page), "the new-account form is wider than the phone"
