"""My tasks for someone with hundreds open: fifty at a time, most urgent first, the rest a click away."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rapport.timeline import services

pytestmark = pytest.mark.django_db


def listed(page: str) -> list[str]:
    return re.findall(r'<td data-label="Task"><a href="[^"]+">([^<]+)</a>', page)


def test_my_tasks_come_fifty_at_a_time_most_urgent_first(client, rep):
    now = timezone.now()
    for number in range(54):
        services.task_create(actor=rep, data={"title": f"Task {number:02d}", "assignee": rep,
                                              "due_at": now + timedelta(hours=number - 3, minutes=30)})
    services.task_create(actor=rep, data={"title": "Undated", "assignee": rep})
    client.force_login(rep)
    first = client.get(reverse("timeline:my_tasks")).content.decode()
    assert listed(first) == [f"Task {number:02d}" for number in range(50)]
    assert first.count("(overdue)") == 3
    following = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(reverse("timeline:my_tasks") + following).content.decode()
    assert listed(second) == [f"Task {number:02d}" for number in range(50, 54)] + ["Undated"]
    assert 'rel="next"' not in second
