"""A rep whose scope is "own" cannot reach another rep's account — not in the UI, not through the API."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import AccountFactory
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accounts(rep, other_rep):
    return AccountFactory(owner=rep, name="My Own Ltd"), AccountFactory(owner=other_rep, name="Secret Harbour Co")


def test_another_reps_account_is_a_not_found_page_even_by_its_address(page, live_server, rep, password, accounts):
    mine, theirs = accounts
    log_in(page, "rep1", password)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts").click()
    expect(page.locator("#record-table tbody tr td:nth-child(2) a")).to_have_text(["My Own Ltd"])

    # Guess the neighbour's address from the own account's.
    page.get_by_role("link", name="My Own Ltd").click()
    expect(page).to_have_url(f"{live_server.url}/customers/accounts/{mine.pk}/")
    response = page.goto(f"/customers/accounts/{theirs.pk}/")
    assert response.status == 404
    expect(page.locator("body")).to_contain_text(re.compile("not found", re.IGNORECASE))
    assert "Secret Harbour Co" not in page.content()
    response = page.goto(f"/customers/accounts/{theirs.pk}/edit")
    assert response.status == 404
    assert "Secret Harbour Co" not in page.content()


def test_another_reps_account_is_not_found_through_the_api_with_the_reps_session(page, rep, password, accounts):
    mine, theirs = accounts
    log_in(page, "rep1", password)
    api = page.context.request  # shares the browser's cookies: the rep's session

    own = api.get(f"/api/v1/accounts/{mine.pk}")
    assert own.status == 200, f"GET /api/v1/accounts/{mine.pk} gave {own.status}: {own.text()[:200]}"
    assert own.json()["name"] == "My Own Ltd"

    other = api.get(f"/api/v1/accounts/{theirs.pk}")
    assert other.status == 404
    assert other.json()["error"]["code"] == "not_found"
    assert "Secret Harbour Co" not in other.text()
