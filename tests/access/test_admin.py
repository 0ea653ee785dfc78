"""Administrators give roles a scope per module and action in Django's admin."""

import pytest
from django.test import Client

from rapport import access
from rapport.access.models import Grant, Role
from rapport.access.scopes import Scope
from rapport.customers.models import Account

from ..factories import AccountFactory, UserFactory


@pytest.fixture
def admin_client(admin_user):
    browser = Client()
    browser.force_login(admin_user)
    return browser


def every_module_action():
    return [(module.name, action) for module in access.modules for action in module.actions]


def grant_rows(response):
    formset = response.context["inline_admin_formsets"][0].formset
    return formset, [(form["module"].value(), form["action"].value(), form["scope"].value()) for form in formset]


def role_form_data(formset, name, scopes: dict[tuple[str, str], str]):
    """The role form as a browser posts it, with `scopes` chosen and every other row left as shown."""
    prefix = formset.prefix
    data = {
        "name": name, "description": "",
        f"{prefix}-TOTAL_FORMS": str(len(formset.forms)),
        f"{prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset.forms):
        module, action = form["module"].value(), form["action"].value()
        data[f"{prefix}-{index}-module"] = module
        data[f"{prefix}-{index}-action"] = action
        data[f"{prefix}-{index}-scope"] = scopes.get((module, action), form["scope"].value())
        if form.instance.pk:
            data[f"{prefix}-{index}-id"] = str(form.instance.pk)
            data[f"{prefix}-{index}-role"] = str(form.instance.role_id)
    return data


def test_new_role_offers_a_scope_for_every_module_and_action(admin_client):
    response = admin_client.get("/admin/access/role/add/")

    assert response.status_code == 200
    _formset, rows = grant_rows(response)
    assert rows == [(module, action, Scope.NONE) for module, action in every_module_action()]


def test_administrator_creates_a_role_that_takes_effect(admin_client):
    formset, _rows = grant_rows(admin_client.get("/admin/access/role/add/"))

    response = admin_client.post("/admin/access/role/add/", role_form_data(formset, "Key accounts", {
        ("customers", "view"): Scope.ALL, ("customers", "edit"): Scope.TEAM,
    }))

    assert response.status_code == 302
    role = Role.objects.get(name="Key accounts")
    assert set(role.grants.values_list("module", "action", "scope")) == {
        ("customers", "view", Scope.ALL), ("customers", "edit", Scope.TEAM),
    }
    holder = UserFactory(role=role)
    AccountFactory(owner=UserFactory())
    assert access.visible_to(holder, Account.objects.all()).count() == 1


def test_role_change_page_shows_granted_and_missing_actions(admin_client, rep_role):
    Grant.objects.filter(role=rep_role, module="customers", action="export").delete()

    response = admin_client.get(f"/admin/access/role/{rep_role.pk}/change/")

    assert response.status_code == 200
    _formset, rows = grant_rows(response)
    assert sorted(rows[:-1]) == rows[:-1]
    assert ("customers", "view", Scope.OWN) in rows
    assert rows[-1] == ("customers", "export", Scope.NONE)
    assert sorted((module, action) for module, action, _scope in rows) == sorted(every_module_action())


def test_changing_a_scope_in_the_admin_changes_what_holders_see(admin_client, rep_role, rep, other_rep):
    AccountFactory(owner=other_rep)
    formset, _rows = grant_rows(admin_client.get(f"/admin/access/role/{rep_role.pk}/change/"))

    response = admin_client.post(f"/admin/access/role/{rep_role.pk}/change/",
                                 role_form_data(formset, rep_role.name, {("customers", "view"): Scope.TEAM}))

    assert response.status_code == 302
    rep.refresh_from_db()
    assert access.visible_to(rep, Account.objects.all()).count() == 1


@pytest.fixture
def knowledge_base_module():
    module = access.register_module(access.Module(name="kb", label="Knowledge base", actions={"view": "view"}))
    yield module
    access.modules.unregister(module.name)


def test_an_action_the_module_does_not_have_is_refused(admin_client, knowledge_base_module):
    formset, _rows = grant_rows(admin_client.get("/admin/access/role/add/"))
    data = role_form_data(formset, "Odd", {})
    index = next(i for i, form in enumerate(formset.forms) if form["module"].value() == "kb")
    data[f"{formset.prefix}-{index}-action"] = "export"
    data[f"{formset.prefix}-{index}-scope"] = Scope.ALL

    response = admin_client.post("/admin/access/role/add/", data)

    assert response.status_code == 200
    assert "“Knowledge base” has no action “export”." in response.content.decode()
    assert not Role.objects.filter(name="Odd").exists()
