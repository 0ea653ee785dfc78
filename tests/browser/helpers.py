"""Steps the browser journeys share."""

from playwright.sync_api import Page, expect


def log_in(page: Page, identifier: str, password: str) -> None:
    """Log in through the login form, as a person does."""
    page.goto("/login/")
    page.get_by_label("Username or email").fill(identifier)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_be_attached()


def has_no_horizontal_overflow(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
