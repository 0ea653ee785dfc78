"""The account journeys of a sales rep: create, add contacts, edit, find."""

import re

import pytest
from playwright.sync_api import Page, expect

from rapport.customers.models import Account

from ..factories import AccountFactory
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def section(page: Page, title: str):
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=title, exact=True))


def table_names(page: Page) -> list[str]:
    return page.locator("#record-table tbody tr td:nth-child(2) a").all_inner_texts()


def test_create_an_account_then_add_two_contacts_from_its_page(page, live_server, rep, password):
    log_in(page, "rep1", password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts").click()
    page.get_by_role("link", name="New account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New account")
    page.locator("#id_name").fill("Harbour Logistics")
    page.locator("#id_industry").fill("Logistics")
    page.locator("#id_phone").fill("+86 21 5555 0101")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Harbour Logistics is created.")
    account = Account.objects.get(name="Harbour Logistics")
    expect(page).to_have_url(f"{live_server.url}{account.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Logistics")
    expect(section(page, "Contacts")).to_contain_text("No contacts yet.")

    # The first contact: the account picker comes filled in from the account page.
    section(page, "Contacts").get_by_role("link", name="Add a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New contact")
    expect(page.locator("#id_account")).to_have_value("Harbour Logistics")
    page.locator("#id_full_name").fill("Zhang Wei")
    page.locator("#id_title").fill("Buyer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Zhang Wei is created.")
    page.get_by_role("main").get_by_role("link", name="Harbour Logistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Logistics")

    # The second: clear the picker and choose the account again by typing its name.
    section(page, "Contacts").get_by_role("link", name="Add a contact").click()
    page.get_by_role("button", name="clear").click()
    expect(page.locator("#id_account")).to_have_value("")
    page.locator("#id_account").press_sequentially("harbour")
    page.locator(".picker-results").get_by_role("button", name="Harbour Logistics").click()
    expect(page.locator("#id_account")).to_have_value("Harbour Logistics")
    expect(page.locator(".picker-results")).to_be_empty()
    page.locator("#id_full_name").fill("Li Na")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Li Na is created.")
    expect(page.get_by_role("main").get_by_role("link", name="Harbour Logistics")).to_be_visible()

    page.goto(account.get_absolute_url())
    contacts = section(page, "Contacts").locator("li > a")
    expect(contacts).to_have_text(["Li Na", "Zhang Wei"])
    expect(page.locator(".facts")).to_contain_text("2 (0 consent to marketing)")


def test_edit_shows_the_error_beside_the_field_then_saves_and_records_history(page, live_server, rep, password):
    account = AccountFactory(owner=rep, name="Pearl River Foods", email="info@pearl.example")
    log_in(page, "rep1", password)
    page.goto(account.get_absolute_url())
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Pearl River Foods")

    page.locator("#id_email").fill("sales at pearl")
    page.get_by_role("button", name="Save").click()
    email_field = page.locator(".field").filter(has=page.locator("#id_email"))
    expect(email_field).to_have_class("field has-error")
    expect(email_field.locator("p.error")).to_have_text("Enter a valid email address.")
    expect(page.locator("#id_email")).to_have_value("sales at pearl")
    expect(page.locator("p.error")).to_have_count(1)

    page.locator("#id_email").fill("sales@pearl.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Pearl River Foods is saved.")
    expect(page).to_have_url(f"{live_server.url}{account.get_absolute_url()}")
    expect(page.locator(".facts").get_by_role("link", name="sales@pearl.example")).to_be_visible()
    change = section(page, "History").locator(".change-list li").filter(has_text="sales@pearl.example")
    expect(change).to_have_count(1)
    expect(change.locator(".old")).to_have_text("info@pearl.example")


@pytest.fixture
def three_accounts(rep, other_rep):
    AccountFactory(owner=rep, name="Northwind Traders", industry="Shipping", employees=120)
    AccountFactory(owner=rep, name="Southwind Foods", industry="Food", employees=40)
    AccountFactory(owner=rep, name="Eastwind Energy", industry="Energy", employees=900)
    AccountFactory(owner=other_rep, name="Westwind Shipping", industry="Shipping", employees=300)


def test_filter_on_any_field_shows_exactly_the_matching_account(page, three_accounts, password):
    log_in(page, "rep1", password)
    page.goto("/customers/accounts/")
    expect(page.locator("#record-table tbody tr")).to_have_count(3)
    page.get_by_text("Filter on any field").click()
    row = page.locator(".filter-row").first
    row.locator("select[name=ff]").select_option("industry")
    row.locator("select[name=fo]").select_option("contains")
    row.locator("input[name=fv]").fill("ship")
    page.locator("#filter-form").get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"[?&]ff=industry&fo=contains&fv=ship(&|$)"))
    expect(page.locator("#record-table tbody tr")).to_have_count(1)
    assert table_names(page) == ["Northwind Traders"]

    # Reloading the address shows the same list: the filter lives in the URL.
    page.reload()
    expect(page.locator("#record-table tbody tr")).to_have_count(1)
    assert table_names(page) == ["Northwind Traders"]
    expect(page.locator(".filter-row").first.locator("select[name=ff]")).to_have_value("industry")


def test_search_box_narrows_the_list_as_you_type(page, three_accounts, password):
    log_in(page, "rep1", password)
    page.goto("/customers/accounts/")
    page.get_by_label("Search").fill("southwind")
    expect(page.locator("#record-table tbody tr")).to_have_count(1)
    assert table_names(page) == ["Southwind Foods"]
    page.get_by_label("Search").fill("n")  # one letter: nothing to search for yet
    expect(page.locator("#record-table tbody tr")).to_have_count(3)
    page.get_by_label("Search").fill("northwind tra")
    expect(page.locator("#record-table tbody tr")).to_have_count(1)
    assert table_names(page) == ["Northwind Traders"]
