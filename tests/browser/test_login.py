"""Logging in through the login form."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("identifier", ["rep1", "REP1@example.com"], ids=["username", "email"])
def test_log_in_lands_on_the_home_page(page, live_server, rep, password, identifier):
    page.goto("/customers/accounts/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/customers/accounts/")
    page.goto("/login/")
    page.get_by_label("Username or email").fill(identifier)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Good to see you, Ray Rep")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Accounts")).to_be_visible()


def test_wrong_password_shows_an_error_and_lets_nobody_in(page, live_server, rep):
    page.goto("/login/")
    page.get_by_label("Username or email").fill("rep1")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The username or email and the password do not match. The password is case-sensitive.")
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")


def test_the_pages_link_our_icon_and_it_is_served(page, live_server):
    page.goto("/login/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    answer = page.request.get(f"{live_server.url}{icon}")
    assert answer.ok and answer.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in answer.text()
