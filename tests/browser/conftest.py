"""Browser tests: real Chromium (Debian's) driven through Playwright against a live server.

One browser for the session, a fresh context (cookies, storage) per test. Every page records its
console errors, uncaught exceptions and failed sub-resources; a test fails on any of them, and on
any Content Security Policy report. A failing test leaves a screenshot in test-artifacts/.
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to run there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 5_000

# Chromium logs every 4xx document as a console error; the journeys load such pages on purpose
# (a refused form is 422, a record out of scope is 404). Failed sub-resources are caught separately.
ICON = re.compile(r"/static/rapport/favicon(\.\w+)?\.svg$")
EXPECTED_DOCUMENT_STATUS = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")

expect.set_options(timeout=TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body: fail it (not error in teardown) when the browser saw a problem."""
    result = yield
    problems = item.funcargs.get("browser_problems")
    if problems is not None:
        problems.assert_none()
    return result


@pytest.hookimpl(tryfirst=True, wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM} (Debian package 'chromium'); "
                    "run scripts/ensure-browser.", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageProblems:
    """What went wrong inside the browser while a test ran: JS errors, CSP violations, broken assets."""

    def __init__(self):
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.failed_resources: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text:
            self.console.append(f"CSP: {text}")
        elif message.type == "error" and not EXPECTED_DOCUMENT_STATUS.match(text):
            self.console.append(text)

    def _on_request_failed(self, request) -> None:
        # A link that answers with a file turns from a navigation into a download: Chromium then
        # reports the navigation as aborted, which is how downloads look, not a failure.
        if request.resource_type == "document" and request.failure == "net::ERR_ABORTED":
            return
        # The page's icon is fetched last, at low priority: a journey that moves on before it arrives has
        # Chromium abort it. A missing icon still shows, as a 404 in _on_response.
        if request.failure == "net::ERR_ABORTED" and ICON.search(request.url):
            return
        self.failed_resources.append(f"{request.method} {request.url}: {request.failure}")

    def _on_response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed_resources.append(f"{response.status} {response.request.method} {response.url}")

    def all(self) -> list[str]:
        return [*self.console, *(f"page error: {e}" for e in self.page_errors),
                *(f"failed resource: {r}" for r in self.failed_resources)]

    def assert_none(self) -> None:
        assert self.all() == [], "Problems in the browser:\n" + "\n".join(self.all())


@pytest.fixture
def browser_problems() -> PageProblems:
    return PageProblems()


def _screenshot_on_failure(request, page: Page) -> None:
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call"))
    if failed and not page.is_closed():
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception as error:  # a screenshot must never hide the real failure
            print(f"Could not save a screenshot of the failure: {error}")


def _make_context(browser: Browser, live_server, viewport: dict):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(10_000)
    return context


@pytest.fixture
def context(browser, live_server):
    context = _make_context(browser, live_server, {"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context, request, browser_problems):
    page = context.new_page()
    browser_problems.watch(page)
    yield page
    _screenshot_on_failure(request, page)


@pytest.fixture
def phone_page(browser, live_server, request, browser_problems):
    context = _make_context(browser, live_server, PHONE)
    page = context.new_page()
    browser_problems.watch(page)
    yield page
    _screenshot_on_failure(request, page)
    context.close()
