"""Steps the browser journeys share."""

from playwright.sync_api import Locator, Page, expect


def log_in(page: Page, identifier: str, password: str) -> None:
    """Log in through the login form, as a person does."""
    page.goto("/login/")
    page.get_by_label("Username or email").fill(identifier)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out", include_hidden=True)).to_be_attached()


class Interactions:
    """A journey's clicks, typed fields and submits, counted as they happen, for the tests that hold a
    journey to at most so many steps."""

    def __init__(self):
        self.count = 0

    def click(self, locator: Locator) -> None:
        self.count += 1
        locator.click()


def has_no_horizontal_overflow(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
