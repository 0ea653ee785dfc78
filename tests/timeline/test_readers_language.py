"""What a colleague writes in one language is read in each reader's own: the timeline's generated lines and
the inbox are stored as words and put together in the reader's language."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from rapport.customers.services import account_update
from rapport.timeline import services
from rapport.timeline.models import Notification, TimelineEntry

from ..factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(rep_role, sales_team, manager):
    return UserFactory(username="wangfang", display_name="王芳", role=rep_role, team=sales_team, manager=manager,
                       language="zh-hans")


def timeline_text(client, account) -> str:
    page = client.get(account.get_absolute_url()).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.split('id="timeline"', 1)[-1]))


def test_an_entry_written_in_chinese_reads_in_english_to_an_english_reader(client, wang, manager):
    account = AccountFactory(owner=wang, name="Acme", lifecycle_stage="prospect")
    with translation.override("zh-hans"):  # as in the request of a colleague who works in Chinese
        services.activity_create(actor=wang, data={"kind": "visit", "subject": "参观工厂", "place": "苏州",
                                                   "outcome": "同意试用", "account": account})
        services.comment_add(actor=wang, target=account, body="客户很满意")
        account_update(actor=manager, account=account, data={"lifecycle_stage": "customer"},
                       version=account.version)
    manager.language = "en"
    manager.save()
    client.force_login(manager)
    english = timeline_text(client, account)
    for text in ["王芳 commented on Acme", "lifecycle stage: Prospect → Customer", "Outcome: 同意试用",
                 "Place: 苏州", "参观工厂"]:
        assert text in english, text
    assert "评论了" not in english and "结果" not in english

    client.force_login(wang)
    chinese = timeline_text(client, account)
    for text in ["王芳 评论了 Acme", "生命周期阶段：潜在客户 → 成交客户", "结果：同意试用", "地点：苏州"]:
        assert text in chinese, text


@pytest.mark.django_db(transaction=True)  # the real worker sends the email
def test_a_task_given_in_chinese_reaches_an_english_inbox_and_email_in_english(client, wang, rep, mailoutbox,
                                                                            django_capture_on_commit_callbacks):
    rep.language, rep.email = "en", "ray@example.com"
    rep.save()
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.task_create(actor=wang, data={"title": "准备报价", "assignee": rep})
    client.force_login(rep)
    inbox = client.get(reverse("timeline:inbox")).content.decode()
    assert "王芳 gave you a task: 准备报价" in inbox
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [message.subject for message in mailoutbox] == ["王芳 gave you a task: 准备报价"]


@pytest.mark.django_db(transaction=True)
def test_lines_and_notifications_written_before_are_recognised_in_either_language(rep, manager):
    account = AccountFactory(owner=rep, name="Acme")
    executor = MigrationExecutor(connection)
    before, after = [("timeline", "0003_timeline_entries_follow_their_record_into_the_recycle_bin")], \
        executor.loader.graph.leaf_nodes("timeline")
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    content_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="customers", model="account")
    entry, notification = old.get_model("timeline", "TimelineEntry"), old.get_model("timeline", "Notification")
    entry.objects.create(kind="change", title="生命周期阶段：潜在客户 → 成交客户; 负责人：Ray Rep → Mia Manager",
                         account_id=account.pk, source_type=content_type, source_id=account.pk)
    entry.objects.create(kind="activity.call", title="Price talk", detail="Went well\n结果：同意试用",
                         account_id=account.pk)
    entry.objects.create(kind="comment", title="Someone wrote this by hand", account_id=account.pk)
    notification.objects.create(user_id=rep.pk, kind="task", title="王芳 给您分配了任务：准备报价")
    MigrationExecutor(connection).migrate(after)

    with translation.override("en"):
        shown = {entry.kind: (entry.shown_title, entry.shown_detail) for entry in TimelineEntry.objects.all()}
        assert shown["change"][0] == "lifecycle stage: Prospect → Customer; owner: Ray Rep → Mia Manager"
        assert shown["activity.call"] == ("Price talk", "Went well\nOutcome: 同意试用")
        assert shown["comment"][0] == "Someone wrote this by hand"
        assert Notification.objects.get().title == "王芳 gave you a task: 准备报价"
