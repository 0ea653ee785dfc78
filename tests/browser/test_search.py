"""Finding any customer in a second from the search box on every page."""

import pytest
from playwright.sync_api import expect

from rapport.customers.services import account_create, contact_create

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_number_typed_with_spaces_finds_the_contact(page, rep, password):
    account = account_create(actor=rep, data={"name": "Pearl River Trading"})
    contact_create(actor=rep, data={"full_name": "张伟", "mobile_phone": "+86-138-0013-8000", "account": account})
    log_in(page, "rep1", password)
    page.keyboard.press("/")
    expect(page.locator("#global-search")).to_be_focused()
    page.keyboard.type("138 0013 8000")
    suggestion = page.locator("#search-suggest .suggest-option", has_text="张伟")
    expect(suggestion).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("张伟")


def test_chinese_text_is_found_by_any_substring_and_scope_is_respected(page, rep, other_rep, password):
    account_create(actor=rep, data={"name": "深圳华为技术有限公司"})
    account_create(actor=other_rep, data={"name": "华为南京研究所"})
    log_in(page, "rep1", password)
    page.locator("#global-search").fill("华为")
    expect(page.locator("#search-suggest .suggest-option", has_text="深圳华为技术有限公司")).to_be_visible()
    expect(page.locator("#search-suggest")).not_to_contain_text("华为南京研究所")
    page.locator("#global-search").press("Enter")
    expect(page.locator(".search-hits")).to_contain_text("深圳华为技术有限公司")
    expect(page.locator("main")).not_to_contain_text("华为南京研究所")
