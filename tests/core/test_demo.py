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
    assert not access.can(rep1, "customers.export")


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
