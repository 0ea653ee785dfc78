"""Demo activities and tasks: each customer's story, told by sales and service alike."""

from datetime import timedelta

from django.utils import timezone

from rapport.customers.models import Account

from .events import department_of, record_events
from .models import Activity, Task

SUBJECTS = {
    "call": ["Follow-up call", "Price enquiry", "回访电话", "确认订单"],
    "visit": ["Site visit", "Quarterly review", "上门拜访", "产品演示"],
    "meeting": ["Contract negotiation", "Kick-off meeting", "合同谈判"],
    "note": ["Prefers delivery on Mondays", "Credit check requested", "客户要求开具增值税发票"],
}
OUTCOMES = ["Interested, send quote", "Needs approval from CFO", "同意下周签约", "Complaint resolved", ""]
TASKS = ["Send the quote", "Call back about the invoice", "准备报价单", "Book the follow-up visit"]


def generate(context: dict) -> None:
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
