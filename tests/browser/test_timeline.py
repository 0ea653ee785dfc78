"""The customer's story across departments, as people see it in the browser."""

import pytest
from playwright.sync_api import expect

from ..factories import AccountFactory, ContactFactory
from .helpers import has_no_horizontal_overflow, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_logs_a_visit_on_a_phone_and_the_service_agent_sees_it_first(phone_page, browser, live_server,
                                                                         rep, agent, password):
    rep.department, agent.department = "Sales", "Service"
    rep.save()
    agent.save()
    account = AccountFactory(owner=rep, name="Harbour Logistics")
    ContactFactory(owner=rep, account=account, full_name="Li Na")

    page = phone_page
    log_in(page, "rep1", password)
    page.goto(account.get_absolute_url())
    page.get_by_role("link", name="Log a visit").click()
    expect(page.get_by_label("Visit")).to_be_checked()
    page.get_by_label("Subject").fill("Checked the new loading dock")
    page.get_by_label("Place").fill("Shenzhen port")
    page.get_by_label("Check in now (records the time of arrival)").check()
    assert has_no_horizontal_overflow(page), "the visit form is wider than the phone"
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Logistics")
    expect(page.locator(".timeline-entry").first).to_contain_text("Checked the new loading dock")
    assert has_no_horizontal_overflow(page), "the account page is wider than the phone"

    agent_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    agent_page = agent_context.new_page()
    log_in(agent_page, "agent", password)
    agent_page.goto(account.get_absolute_url())
    first = agent_page.locator(".timeline-entry").first
    expect(first).to_contain_text("Checked the new loading dock")
    expect(first).to_contain_text("Ray Rep")
    expect(first).to_contain_text("Sales")
    expect(agent_page.locator("#last-contact")).to_contain_text("Checked the new loading dock")
    agent_context.close()


def test_a_task_for_a_colleague_shows_in_their_inbox(page, browser, live_server, rep, agent, password):
    account = AccountFactory(owner=rep, name="Harbour Logistics")
    log_in(page, "rep1", password)
    page.goto(account.get_absolute_url())
    page.get_by_role("link", name="New task").click()
    page.get_by_label("Task").fill("Please check the disputed invoice")
    page.get_by_label("Assigned to").select_option(label=str(agent))
    page.get_by_label("Due").fill("2030-01-15T10:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The task is given to")).to_be_visible()

    agent_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    agent_page = agent_context.new_page()
    log_in(agent_page, "agent", password)
    expect(agent_page.locator("#inbox-link .count-badge")).to_have_text("1")
    agent_page.locator("#inbox-link").click()
    agent_page.get_by_role("link", name="Ray Rep gave you a task: Please check the disputed invoice").click()
    expect(agent_page.get_by_role("heading", level=1)).to_have_text("Please check the disputed invoice")
    agent_page.get_by_label("Outcome").fill("Credit note issued")
    agent_page.get_by_role("button", name="Mark as done").click()
    agent_page.goto(account.get_absolute_url())
    expect(agent_page.locator(".timeline-entry").first).to_contain_text("Credit note issued")
    agent_context.close()
