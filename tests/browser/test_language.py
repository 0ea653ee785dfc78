"""A user who prefers Chinese sees the interface in Chinese."""

import pytest
from playwright.sync_api import expect

from rapport.core.translations import compile_catalogues

from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """`make` compiles the .po files; a bare `pytest` run does it here (only when a .mo is stale)."""
    compile_catalogues()


def test_switching_to_simplified_chinese_translates_the_pages(page, rep, password):
    log_in(page, "rep1", password)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Ray Rep").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My preferences")
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    nav = page.locator("nav.mainnav")
    expect(nav.get_by_role("link", name="客户", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="联系人", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Accounts", exact=True)).to_have_count(0)

    # The choice belongs to the user: it follows them to the next page.
    nav.get_by_role("link", name="客户", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("客户")
