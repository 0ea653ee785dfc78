"""Demo activities and tasks: each customer's story, told by sales and service alike."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from rapport.core import bulk_load
from rapport.core.bulk_load import utc_text
from rapport.customers.demo import BIG_OWNER
from rapport.customers.models import Account, Contact
from rapport.directory.models import User
from rapport.search import services as search_index

from .events import department_of, record_events
from .models import Activity, Task, TimelineEntry
from .registry import event_type

SUBJECTS = {
    "call": ["Follow-up call", "Price enquiry", "回访电话", "确认订单"],
    "visit": ["Site visit", "Quarterly review", "上门拜访", "产品演示"],
    "meeting": ["Contract negotiation", "Kick-off meeting", "合同谈判"],
    "note": ["Prefers delivery on Mondays", "Credit check requested", "客户要求开具增值税发票"],
}
OUTCOMES = ["Interested, send quote", "Needs approval from CFO", "同意下周签约", "Complaint resolved", ""]
TASKS = ["Send the quote", "Call back about the invoice", "准备报价单", "Book the follow-up visit"]


def generate(context: dict) -> None:
    if context.get("scale"):
        generate_at_scale(context)
        return
    rng, users = context["rng"], context["users"]
    now = timezone.now()
    authors = [users["manager"], users["rep1"], users["rep2"], users["agent"]]
    activities = []
    for account in Account.objects.select_related("owner").prefetch_related("contacts"):
        contacts = list(account.contacts.all())
        for _index in range(rng.randint(2, 6)):
            kind = rng.choice(list(SUBJECTS))
            author = rng.choice([account.owner, account.owner, users["agent"]])
            activities.append(Activity(
                kind=kind, subject=rng.choice(SUBJECTS[kind]), occurred_at=now - timedelta(hours=rng.randint(1, 2000)),
                duration_minutes=rng.choice([5, 15, 30, 60]) if kind != "note" else None,
                outcome=rng.choice(OUTCOMES) if kind != "note" else "",
                place=account.billing_city if kind == "visit" else "", account=account,
                contact=rng.choice(contacts) if contacts else None, owner=author, team=author.team,
                created_by=author, author_department=department_of(author),
            ))
    activities = Activity.objects.bulk_create(activities)
    record_events([
        {"kind": f"activity.{a.kind}", "title": a.subject, "detail": a.outcome, "account": a.account,
         "contact": a.contact, "actor": a.owner, "occurred_at": a.occurred_at, "source": a}
        for a in activities
    ])
    accounts = list(Account.objects.select_related("owner").order_by("pk")[:60])
    tasks = Task.objects.bulk_create(
        Task(title=rng.choice(TASKS), assignee=account.owner, owner=rng.choice(authors), team=account.owner.team,
             due_at=now + timedelta(hours=rng.randint(-72, 240)), account=account, remind_minutes_before=30)
        for account in accounts
    )
    record_events([
        {"kind": "task.created", "title": task.title, "account": task.account, "actor": task.owner, "source": task}
        for task in tasks
    ])
    search_index.index_many(Task, [task.pk for task in tasks])


# --- at scale: `rapport demo --size 1m` --------------------------------------------------------
# Ten million activities, each with its timeline entry, loaded as plain rows by core/bulk_load.
# The activity stream is drawn from a seeded generator of its own, so it can be drawn twice — once
# for the activities, once for their entries — instead of holding ten million rows in memory.

ACTIVITIES_AT_SCALE = 10_000_000
TASKS_AT_SCALE = 100_000
BIG_ACCOUNT_ACTIVITIES = (100_000, 10_000)  # the big owner's first two accounts
SMALL_ACCOUNT_ACTIVITIES = 10  # the big owner's third account: the baseline the big ones are compared with
SERVICE_SHARE = 10  # one activity in ten is logged by the service agent, not by the account's owner
YEARS_OF_ACTIVITY = 3
TIME_POOL_SIZE = 1 << 17
TEMPLATE_POOL_SIZE = 1 << 10
KIND_WEIGHTS = {"call": 40, "email": 20, "visit": 15, "meeting": 10, "note": 15}
# kind -> (subjects, outcomes); a note has a body instead of an outcome
SCALE_SUBJECTS = {
    "zh": {
        "call": (["回访电话", "确认订单", "询价", "催款电话", "售后回访", "预约拜访"],
                 ["同意下周签约", "需要总经理审批", "要求重新报价", "三个月后再联系", "投诉已解决", ""]),
        "email": (["报价单已发送", "合同草稿", "发票寄出通知", "会议纪要", "新品目录"],
                  ["客户已回复", "等待回复", ""]),
        "visit": (["上门拜访", "产品演示", "季度回顾", "现场技术支持", "新品推介"],
                  ["客户对新品感兴趣", "安排下周试用", "需要技术方案", ""]),
        "meeting": (["合同谈判", "项目启动会", "年度框架协议讨论", "技术交流会"],
                    ["价格已谈妥", "需法务审核合同", "项目按计划启动", ""]),
        "note": (["客户要求开具增值税发票", "周一送货", "信用额度申请中", "关键联系人已离职", "春节前备货"],
                 ["财务部联系人：王会计，分机 8021", "仓库只在工作日上午收货", "下次拜访带样品"]),
    },
    "en": {
        "call": (["Follow-up call", "Price enquiry", "Order confirmation", "Payment reminder", "Service follow-up"],
                 ["Interested, send quote", "Needs approval from CFO", "Call back next quarter", "Complaint resolved",
                  ""]),
        "email": (["Quote sent", "Contract draft", "Invoice sent", "Meeting minutes", "New catalogue"],
                  ["Replied", "Awaiting reply", ""]),
        "visit": (["Site visit", "Product demo", "Quarterly review", "On-site support"],
                  ["Keen on the new range", "Trial next week", "Needs a technical proposal", ""]),
        "meeting": (["Contract negotiation", "Kick-off meeting", "Annual agreement review"],
                    ["Price agreed", "Legal to review the contract", "Project on track", ""]),
        "note": (["Prefers delivery on Mondays", "Credit check requested", "Key contact has left",
                  "Budget cycle in Q3"],
                 ["Accounts payable: ext. 2044", "Goods in only on weekday mornings", "Bring samples next time"]),
    },
}
SCALE_TASKS = {"zh": ["准备报价单", "回访客户", "寄送样品", "跟进付款", "安排产品演示", "续签合同"],
               "en": ["Send the quote", "Call back about the invoice", "Book the follow-up visit", "Send samples",
                      "Chase the payment", "Renew the contract"]}
TASK_OUTCOMES = {"zh": ["已完成", "客户已确认", "已发送"], "en": ["Done", "Customer confirmed", "Sent"]}
ACTIVITY_COLUMNS = [
    "id", "owner_id", "team_id", "created_by_id", "custom", "version", "created_at", "updated_at", "kind", "subject",
    "body", "occurred_at", "duration_minutes", "outcome", "place", "author_department", "account_id", "contact_id",
]
ENTRY_COLUMNS = [
    "id", "kind", "occurred_at", "account_id", "contact_id", "actor_id", "department", "is_customer_contact", "title",
    "detail", "words", "source_type_id", "source_id", "url",
]
TASK_COLUMNS = [
    "id", "owner_id", "team_id", "created_by_id", "custom", "version", "created_at", "updated_at", "title",
    "description", "assignee_id", "due_at", "priority", "status", "completed_at", "outcome",
    "remind_minutes_before", "account_id", "contact_id",
]


def special_accounts() -> dict[str, int]:
    """The accounts with 100,000, 10,000 and 10 activities at scale 1.0: the big owner's first three."""
    first = list(Account.objects.filter(owner__username=BIG_OWNER).order_by("pk").values_list("pk", flat=True)[:3])
    return dict(zip(["100k", "10k", "10"], first, strict=True))


@dataclass
class _Customer:
    account_id: int
    author: tuple  # (user id, team id, department) of the owner
    city: str
    language: str
    contacts: list[int]
    activities: int = 0


def generate_at_scale(context: dict) -> None:
    """10,000,000 activities, each with its timeline entry, and 100,000 tasks at scale 1.0."""
    rng, users, scale, report = context["rng"], context["users"], context["scale"], context.get("report")
    now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    people = {user.pk: (user.pk, user.team_id, department_of(user)) for user in User.objects.select_related("team")}
    customers = _customers(people)
    _plan_activity_counts(customers, rng, scale)
    times, templates = _time_pool(rng, now), {language: _template_pool(rng, language) for language in SCALE_SUBJECTS}
    seed, first_activity = rng.getrandbits(64), bulk_load.next_id(Activity)

    def activities():  # the same stream each time it is called
        return _activity_rows(customers, random.Random(seed), first_activity, people[users["agent"].pk], times,
                              templates)

    tasks = list(_task_rows(customers, rng, bulk_load.next_id(Task), people[users["manager"].pk], now,
                            round(TASKS_AT_SCALE * scale)))
    with bulk_load.secondary_indexes_dropped(Activity, Task, TimelineEntry, report=report):
        bulk_load.insert_rows(Activity, ACTIVITY_COLUMNS, activities(), report=report)
        bulk_load.insert_rows(Task, TASK_COLUMNS, tasks, report=report)
        bulk_load.insert_rows(TimelineEntry, ENTRY_COLUMNS, _entry_rows(activities(), tasks, people), report=report)
    bulk_load.reset_sequences(Activity, Task, TimelineEntry)


def _customers(people: dict) -> list[_Customer]:
    contacts: dict[int, list[int]] = {}
    for account_id, contact_id in Contact.objects.order_by("pk").values_list("account_id", "pk").iterator(50_000):
        contacts.setdefault(account_id, []).append(contact_id)
    return [
        _Customer(account_id, people[owner_id], city, "zh" if country == "中国" else "en", contacts.get(account_id, []))
        for account_id, owner_id, country, city in Account.objects.order_by("pk").values_list(
            "pk", "owner_id", "billing_country", "billing_city").iterator(50_000)
    ]


def _plan_activity_counts(customers: list[_Customer], rng, scale: float) -> None:
    """The big owner's first accounts get the big stories; the rest share the total unevenly."""
    big_owner = User.objects.get(username=BIG_OWNER).pk
    special = [customer for customer in customers if customer.author[0] == big_owner][:3]
    for customer, count in zip(special, [*(round(n * scale) for n in BIG_ACCOUNT_ACTIVITIES),
                                         SMALL_ACCOUNT_ACTIVITIES], strict=True):
        customer.activities = count
    special_ids = {customer.account_id for customer in special}
    others = [customer for customer in customers if customer.account_id not in special_ids]
    remaining = round(ACTIVITIES_AT_SCALE * scale) - sum(customer.activities for customer in special)
    weights = [rng.lognormvariate(0, 1) for _ in others]  # a few busy customers, many quiet ones
    total_weight = sum(weights)
    for customer, weight in zip(others, weights, strict=True):
        customer.activities = int(remaining * weight / total_weight)
    for customer in others[: remaining - sum(customer.activities for customer in others)]:
        customer.activities += 1


def _time_pool(rng, now) -> list[str]:
    """Working hours in Beijing (01:00-11:00 UTC) on weekdays of the last few years, as stored text."""
    start = now - timedelta(days=365 * YEARS_OF_ACTIVITY)
    times = []
    while len(times) < TIME_POOL_SIZE:
        moment = start + timedelta(days=rng.randrange(365 * YEARS_OF_ACTIVITY), seconds=rng.randrange(3600, 39600))
        if moment.weekday() < 5:
            times.append(utc_text(moment))
    return times


def _template_pool(rng, language: str) -> list[tuple]:
    """(kind, subject, body, duration, outcome) drawn in the kinds' proportions, for cheap lookups."""
    subjects = SCALE_SUBJECTS[language]
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=TEMPLATE_POOL_SIZE)
    pool = []
    for kind in kinds:
        titles, outcomes = subjects[kind]
        if kind == "note":
            pool.append((kind, rng.choice(titles), rng.choice(outcomes), None, ""))
        else:
            pool.append((kind, rng.choice(titles), "", rng.choice([5, 10, 15, 30, 45, 60, 90]), rng.choice(outcomes)))
    return pool


def _activity_rows(customers, rng, activity_id: int, agent: tuple, times: list[str], templates: dict):
    getrandbits, time_mask = rng.getrandbits, len(times) - 1
    for customer in customers:
        pool, contacts, owner = templates[customer.language], customer.contacts, customer.author
        for _index in range(customer.activities):
            bits = getrandbits(64)  # one draw, sliced: template, author, time, contact
            kind, subject, body, duration, outcome = pool[bits & (TEMPLATE_POOL_SIZE - 1)]
            author_id, team_id, department = agent if (bits >> 10) % SERVICE_SHARE == 0 else owner
            occurred = times[(bits >> 14) & time_mask]
            contact = contacts[(bits >> 32) % len(contacts)] if contacts and (bits >> 60) else None
            yield (activity_id, author_id, team_id, author_id, "{}", 1, occurred, occurred, kind, subject, body,
                   occurred, duration, outcome, customer.city if kind == "visit" else "", department,
                   customer.account_id, contact)
            activity_id += 1


def _entry_rows(activities, tasks: list[tuple], people: dict):
    """The timeline entry of every activity, then those of the tasks (planned, and done when done).

    Everything looked up in the database is looked up here, before the rows are drawn: on
    PostgreSQL they are drawn while COPY holds the connection.
    """
    activity_type, task_type = (ContentType.objects.get_for_model(model).pk for model in (Activity, Task))
    activity_url, task_url = (reverse(f"timeline:{name}_detail", args=[0]).rsplit("0", 1)
                              for name in ("activity", "task"))
    # Looked up now, not at import: the event types are registered after this module is imported.
    customer_contact = {kind: int(event_type(f"activity.{kind}").is_customer_contact) for kind in KIND_WEIGHTS}
    return _entries(activities, tasks, people, bulk_load.next_id(TimelineEntry), activity_type, task_type,
                    activity_url, task_url, customer_contact)


def _entries(activities, tasks, people, entry_id, activity_type, task_type, activity_url, task_url,
             customer_contact):
    for row in activities:
        activity_id, author_id, _team, _creator, _custom, _version, _created, _updated, kind, subject, _body, \
            occurred, _duration, outcome, _place, department, account_id, contact_id = row
        yield (entry_id, f"activity.{kind}", occurred, account_id, contact_id, author_id, department,
               customer_contact[kind], subject, outcome, "{}", activity_type, activity_id,
               f"{activity_url[0]}{activity_id}{activity_url[1]}")
        entry_id += 1
    for row in tasks:
        task_id, creator, _team, _creator, _custom, _version, created, _updated, title, _description, assignee_id, \
            _due, _priority, status, completed, *_rest, account_id, contact_id = row
        link = f"{task_url[0]}{task_id}{task_url[1]}"
        yield (entry_id, "task.created", created, account_id, contact_id, creator, people[creator][2], 0, title, "",
               "{}", task_type, task_id, link)
        entry_id += 1
        if status == "done":
            yield (entry_id, "task.completed", completed, account_id, contact_id, assignee_id,
                   people[assignee_id][2], 0, title, "", "{}", task_type, task_id, link)
            entry_id += 1


def _task_rows(customers, rng, task_id: int, manager: tuple, now, count: int):
    for _index in range(count):
        customer = customers[rng.randrange(len(customers))]
        assignee_id, team_id, _department = customer.author
        creator = assignee_id if rng.random() < 0.75 else manager[0]
        due = now + timedelta(hours=rng.randrange(-720 * 24, 30 * 24))
        created = due - timedelta(hours=rng.randrange(24, 14 * 24))
        status = "open" if due >= now else rng.choices(["done", "cancelled", "open"], weights=[95, 3, 2])[0]
        completed = utc_text(due - timedelta(hours=rng.randrange(0, 48))) if status == "done" else None
        contact = rng.choice(customer.contacts) if customer.contacts and rng.random() < 0.5 else None
        yield (task_id, creator, team_id, creator, "{}", 1, utc_text(created), completed or utc_text(created),
               rng.choice(SCALE_TASKS[customer.language]), "", assignee_id, utc_text(due),
               rng.choice(["low", "normal", "normal", "normal", "high", "urgent"]), status, completed,
               rng.choice(TASK_OUTCOMES[customer.language]) if status == "done" else "",
               30 if status == "open" else None, customer.account_id, contact)
        task_id += 1
