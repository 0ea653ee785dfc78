"""Reports: a list's records within the reader's scope, counted by group, as a table, a CSV and a chart whose
every bar opens the records behind it."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.access.models import Grant
from rapport.access.scopes import Scope

from ..factories import AccountFactory

pytestmark = pytest.mark.django_db

BY_STAGE = reverse("insights:report_detail", args=["accounts-by-stage"])


def table(response) -> list[list[str]]:
    assert response.status_code == 200, response.content
    body = response.content.decode().split('id="report-table"', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1])]


def bar_links(response) -> list[str]:
    svg = re.search(r'<svg class="chart".*?</svg>', response.content.decode(), re.S).group(0)
    return [link.replace("&amp;", "&") for link in re.findall(r'<a href="([^"]+)"', svg)]


def listed(client, url) -> list[str]:
    return re.findall(r'<td data-label="Name"><a href="[^"]+">([^<]+)</a>', client.get(url).content.decode())


@pytest.fixture
def accounts(rep, other_rep):
    for name, stage, employees, owner in [("Acme", "customer", 100, rep), ("Globex", "customer", 50, rep),
                                          ("Initech", "prospect", 10, rep), ("Umbrella", "customer", 999, other_rep)]:
        AccountFactory(name=name, lifecycle_stage=stage, employees=employees, owner=owner, industry="Retail")
    AccountFactory(name="Hooli", lifecycle_stage="prospect", owner=rep, industry="")


def test_a_report_counts_only_what_the_reader_may_see_and_each_bar_opens_those_records(rep_client, accounts):
    response = rep_client.get(BY_STAGE)
    assert table(response) == [["Customer", "2", "150"], ["Prospect", "2", "10"]]
    links = bar_links(response)
    assert [sorted(listed(rep_client, link)) for link in links] == [["Acme", "Globex"], ["Hooli", "Initech"]]


def test_a_report_takes_the_lists_filters_and_its_empty_group_opens_the_records_with_none(rep_client, accounts):
    by_industry = reverse("insights:report_detail", args=["accounts-by-industry"])
    response = rep_client.get(by_industry, {"lifecycle_stage": "prospect"})
    assert table(response) == [["Retail", "1", "10"], ["—", "1", "—"]]
    assert listed(rep_client, bar_links(response)[1]) == ["Hooli"]
    refused = rep_client.get(by_industry, {"colour": "red"})
    assert refused.status_code == 400 and "Unknown filter “colour”" in refused.content.decode()


def test_the_report_downloads_as_csv(rep_client, accounts):
    response = rep_client.get(BY_STAGE, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["Lifecycle stage", "records", "employees"], ["Customer", "2", "150"], ["Prospect", "2", "10"]]


def test_a_list_offers_its_reports_over_what_it_shows(rep_client, accounts):
    page = rep_client.get(reverse("customers:account_list"), {"industry": "Retail"}).content.decode()
    assert f'href="{BY_STAGE}?industry=Retail' in page


def test_reports_of_a_module_one_may_not_view_are_neither_listed_nor_shown(client, rep, accounts):
    Grant.objects.filter(role=rep.role, module="customers", action="view").update(scope=Scope.NONE)
    client.force_login(rep)
    assert "accounts-by-stage" not in client.get(reverse("insights:report_list")).content.decode()
    assert client.get(BY_STAGE).status_code == 404


def test_open_tasks_by_assignee_starts_from_open_tasks(rep_client, rep, other_rep):
    from rapport.timeline import services

    services.task_create(actor=rep, data={"title": "Mine", "assignee": rep})
    done = services.task_create(actor=rep, data={"title": "Done", "assignee": rep})
    services.task_complete(actor=rep, task=done)
    response = rep_client.get(reverse("insights:report_detail", args=["open-tasks-by-assignee"]))
    assert table(response) == [["Ray Rep", "1"]]


def test_a_reports_queries_do_not_grow_with_its_records(rep_client, rep):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert rep_client.get(reverse("insights:report_detail", args=["accounts-by-owner"])).status_code == 200
        return len(captured.captured_queries)

    AccountFactory(owner=rep)
    queries()
    few = queries()
    AccountFactory.create_batch(30, owner=rep)
    assert queries() == few
