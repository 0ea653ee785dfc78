"""`rapport demo`: what `make run` loads into an empty database."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from rapport import access
from rapport.customers.models import Account, Contact
from rapport.directory.models import User

pytestmark = pytest.mark.django_db


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_logins_work_with_their_roles_and_scopes():
    load_demo()
    for username in ["admin", "manager", "rep1", "rep2", "agent", "marketer"]:
        assert authenticate(username=username, password="demo") is not None, username
    rep1, rep2, manager, agent = (User.objects.get(username=name) for name in ["rep1", "rep2", "manager", "agent"])
    rep1_sees = access.visible_to(rep1, Account.objects.all())
    assert rep1_sees.exists() and set(rep1_sees.values_list("owner", flat=True)) == {rep1.pk}
    assert not access.visible_to(rep1, Account.objects.filter(owner=rep2)).exists()
    assert access.visible_to(manager, Account.objects.all()).filter(owner=rep2).exists()
    assert access.visible_to(agent, Account.objects.all()).count() == Account.objects.count()
    assert access.can(User.objects.get(username="marketer"), "customers.export")
    assert access.can(rep1, "customers.export")  # their own list, as every rep exports it
    exportable = access.visible_to(rep1, Account.objects.all(), "export")
    assert set(exportable.values_list("owner", flat=True)) == {rep1.pk}


@pytest.mark.django_db(transaction=True)  # flush empties the tables; PostgreSQL refuses inside a transaction
def test_demo_data_is_bilingual_with_valid_phones_and_deterministic():
    load_demo()
    names = list(Account.objects.order_by("pk").values_list("name", flat=True))
    assert any("有限公司" in name for name in names) and any("Inc." in name or "Ltd." in name for name in names)
    assert not Contact.objects.filter(mobile_phone_e164="").exists()
    assert Account.objects.filter(parent__isnull=False).exists()
    first_run = names
    call_command("flush", "--no-input")
    load_demo()
    assert list(Account.objects.order_by("pk").values_list("name", flat=True)) == first_run


def test_demo_goes_only_into_an_empty_database():
    load_demo()
    assert "not loaded" in load_demo("--if-empty")
    with pytest.raises(CommandError):
        load_demo()


# --- `demo --size 1m`, run at a thousandth of its size -------------------------------------------

SCALE = 0.001  # 100 accounts, 1,000 contacts, 10,000 activities, 100 tasks


def load_scaled_demo() -> str:
    return load_demo("--scale", str(SCALE), "--skip-search-index")


@pytest.mark.parametrize(("scale", "refusal"), [("abc", "is not a number"), ("0", "out of range"),
                                                 ("11", "out of range")])
def test_a_scale_that_is_not_a_fraction_is_refused_and_loads_nothing(scale, refusal):
    with pytest.raises(CommandError, match=refusal):
        load_demo("--scale", scale)
    assert not User.objects.exists()


def scaled_data_digest() -> list:
    """What two runs must agree on, by content rather than by id."""
    from rapport.timeline.models import Activity, Task

    return [
        list(Account.objects.order_by("pk").values_list("name", "owner__username", "phone_e164", "billing_city")),
        list(Contact.objects.order_by("pk").values_list("full_name", "account__name", "mobile_phone_e164")),
        list(Activity.objects.order_by("pk").values_list("account__name", "kind", "subject", "owner__username")),
        list(Task.objects.order_by("pk").values_list("title", "assignee__username", "status")),
    ]


@pytest.mark.django_db(transaction=True)
def test_scaled_demo_has_the_shape_of_a_million_contacts():
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.db.models import Exists, OuterRef

    from rapport.core.phones import to_e164
    from rapport.timeline.demo import special_accounts
    from rapport.timeline.models import Activity, Task, TimelineEntry
    from rapport.timeline.selectors import last_contact

    output = load_scaled_demo()
    assert "rows/s" in output
    assert (Account.objects.count(), Contact.objects.count()) == (100, 1000)
    assert (Activity.objects.count(), Task.objects.count()) == (10_000, 100)

    special = special_accounts()
    counts = {name: Activity.objects.filter(account_id=pk).count() for name, pk in special.items()}
    assert counts == {"100k": 100, "10k": 10, "10": 10}
    assert set(Account.objects.filter(pk__in=special.values()).values_list("owner__username", flat=True)) == {"rep1"}

    rep1 = User.objects.get(username="rep1")
    assert Account.objects.filter(owner=rep1).count() == 20
    assert 0.14 <= Contact.objects.filter(owner=rep1).count() / 1000 <= 0.26
    assert 0.10 <= Activity.objects.filter(owner=rep1).count() / 10_000 <= 0.35
    assert 0.08 <= Task.objects.filter(assignee=rep1).count() / 100 <= 0.35

    activity_type = ContentType.objects.get_for_model(Activity)
    entries = TimelineEntry.objects.filter(source_type=activity_type)
    assert entries.count() == 10_000
    its_entry = entries.filter(source_id=OuterRef("pk"), account_id=OuterRef("account_id"),
                               actor_id=OuterRef("owner_id"), occurred_at=OuterRef("occurred_at"))
    assert not Activity.objects.exclude(Exists(its_entry)).exists()
    entry, activity = entries.order_by("pk").first(), Activity.objects.order_by("pk").first()
    assert (entry.source_id, entry.account_id, entry.actor_id, entry.occurred_at, entry.title) == \
        (activity.pk, activity.account_id, activity.owner_id, activity.occurred_at, activity.subject)
    assert not entries.filter(kind="activity.call", is_customer_contact=False).exists()
    assert not entries.filter(kind="activity.note", is_customer_contact=True).exists()
    assert last_contact(actor=rep1, account=Account.objects.get(pk=special["100k"])) is not None
    task_type = ContentType.objects.get_for_model(Task)
    assert TimelineEntry.objects.filter(source_type=task_type, kind="task.created").count() == 100

    names = list(Account.objects.values_list("name", flat=True))
    assert any("有限公司" in name for name in names)
    assert any(name.endswith(("Inc.", "Ltd.", "GmbH", "LLC", "plc")) for name in names)
    people = list(Contact.objects.values_list("full_name", flat=True))
    assert any("\u4e00" <= name[0] <= "\u9fff" for name in people) and any(name[0].isascii() for name in people)
    for phone, e164 in [*Account.objects.values_list("phone", "phone_e164"),
                        *Contact.objects.values_list("mobile_phone", "mobile_phone_e164")[:300]]:
        assert to_e164(phone) == e164, phone

    if connection.vendor == "sqlite":  # PostgreSQL checked every foreign key when it put them back
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []
    new = Account.objects.create(name="After the load", owner=rep1)  # ids continue after the loaded ones
    assert new.pk > max(special.values())


@pytest.mark.django_db(transaction=True)
def test_scaled_demo_is_deterministic():
    load_scaled_demo()
    first_run = scaled_data_digest()
    call_command("flush", "--no-input")
    load_scaled_demo()
    assert scaled_data_digest() == first_run
