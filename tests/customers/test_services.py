"""Accounts and contacts as every entry path sees them: through the services."""

import pytest
from django.utils import translation

from rapport.audit.history import history_of
from rapport.core.errors import DuplicatesFound, InvalidInput, NotFound, StaleEdit
from rapport.customers import services
from rapport.customers.models import Account, Contact
from rapport.customers.selectors import account_get
from rapport.records.models import FieldType
from rapport.records.services import record_restore, records_add_tag, records_assign_owner, records_delete

from ..factories import AccountFactory, ContactFactory, CustomFieldFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_rep_creates_account_owned_by_them_with_history(rep):
    account = services.account_create(actor=rep, data={"name": "深圳华为技术有限公司", "phone": "0755 2878 0808"})
    assert account.owner == rep and account.team == rep.team
    assert account.phone == "0755 2878 0808" and account.phone_e164 == "+8675528780808"
    [created] = history_of(account)
    assert created.action == "created" and created.actor == rep
    assert created.changes["name"] == ["", "深圳华为技术有限公司"]


def test_invalid_fields_are_all_reported_and_nothing_is_saved(rep):
    with pytest.raises(InvalidInput) as refused:
        services.account_create(actor=rep, data={"name": "", "email": "not-an-email", "phone": "12", "website": "x"})
    assert {"name", "email", "phone", "website"} <= set(refused.value.fields)
    assert not Account.all_objects.exists()


def test_unknown_field_is_refused_not_ignored(rep):
    with pytest.raises(InvalidInput) as refused:
        services.account_create(actor=rep, data={"name": "Acme", "version": 7})
    assert "version" in refused.value.fields


def test_rep_cannot_give_a_record_to_someone_outside_their_scope(rep, agent):
    with pytest.raises(InvalidInput) as refused:
        services.account_create(actor=rep, data={"name": "Acme", "owner": agent})
    assert "owner" in refused.value.fields


def test_manager_may_assign_records_to_their_reports(manager, rep):
    account = services.account_create(actor=manager, data={"name": "Acme", "owner": rep})
    assert account.owner == rep


@pytest.mark.parametrize("spelling", ["138 0013 8000", "+86-138-0013-8000", "13800138000"])
def test_duplicate_phone_in_any_spelling_is_found_before_saving(rep, spelling):
    services.contact_create(actor=rep, data={"full_name": "张伟", "mobile_phone": "13800138000"})
    with pytest.raises(DuplicatesFound) as found:
        services.contact_create(actor=rep, data={"full_name": "Zhang Wei", "mobile_phone": spelling})
    assert [str(record) for record in found.value.duplicates] == ["张伟"]


def test_duplicate_email_ignores_case_and_name_matches_exactly(rep):
    services.account_create(actor=rep, data={"name": "Acme", "email": "info@acme.example"})
    with pytest.raises(DuplicatesFound):
        services.account_create(actor=rep, data={"name": "Other", "email": "INFO@acme.example"})
    with pytest.raises(DuplicatesFound):
        services.account_create(actor=rep, data={"name": "acme"})
    confirmed = services.account_create(actor=rep, data={"name": "acme"}, allow_duplicates=True)
    assert confirmed.pk


def test_stale_update_is_refused_and_shows_what_changed(rep, manager):
    account = AccountFactory(owner=rep, name="Acme")
    services.account_update(actor=manager, account=account, data={"industry": "Energy"}, version=1)
    with pytest.raises(StaleEdit) as stale:
        services.account_update(actor=rep, account=account, data={"industry": "Retail"}, version=1)
    [change] = stale.value.changes
    assert change.actor == manager and change.changes["industry"] == ["Retail", "Energy"]
    assert Account.objects.get(pk=account.pk).industry == "Energy"


def test_update_records_each_changed_field_and_bumps_version(rep):
    account = AccountFactory(owner=rep, name="Acme", industry="Retail")
    updated = services.account_update(actor=rep, account=account, data={"name": "Acme Ltd", "tags": ["VIP"]},
                                      version=1)
    assert updated.version == 2
    latest = history_of(account).first()
    assert latest.changes == {"name": ["Acme", "Acme Ltd"], "tags": ["", "VIP"]}


def test_rep_cannot_edit_another_reps_account_and_learns_nothing(rep, other_rep):
    account = AccountFactory(owner=other_rep)
    with pytest.raises(NotFound):
        services.account_update(actor=rep, account=account, data={"name": "Mine"}, version=1)


def test_account_cannot_become_its_own_ancestor(rep):
    parent = AccountFactory(owner=rep)
    child = AccountFactory(owner=rep, parent=parent)
    with pytest.raises(InvalidInput) as refused:
        services.account_update(actor=rep, account=parent, data={"parent": child}, version=1)
    assert "parent" in refused.value.fields


def test_delete_is_soft_and_restore_brings_the_record_back_whole(rep):
    account = AccountFactory(owner=rep)
    contact = ContactFactory(owner=rep, account=account)
    services.account_delete(actor=rep, account=account)
    assert not Account.objects.filter(pk=account.pk).exists()
    record_restore(actor=rep, record=Account.all_objects.get(pk=account.pk))
    restored = account_get(actor=rep, account_id=account.pk)
    assert list(restored.contacts.all()) == [contact]
    assert [change.action for change in history_of(account)][:2] == ["restored", "deleted"]


def test_merge_moves_contacts_and_children_fills_blanks_and_bins_the_other(rep):
    keep = AccountFactory(owner=rep, name="Acme", website="")
    other = AccountFactory(owner=rep, name="ACME Inc", website="https://acme.example", industry="Energy")
    contact = ContactFactory(owner=rep, account=other)
    child = AccountFactory(owner=rep, parent=other)
    services.account_merge(actor=rep, keep=keep, other=other)
    contact.refresh_from_db()
    child.refresh_from_db()
    keep.refresh_from_db()
    assert contact.account == keep and child.parent == keep
    assert keep.website == "https://acme.example" and keep.industry == "Retail"
    assert Account.all_objects.get(pk=other.pk).deleted_at is not None
    assert history_of(keep).first().action == "merged"


def test_custom_fields_are_validated_by_type_and_required(rep):
    CustomFieldFactory(entity="account", key="region", field_type=FieldType.CHOICE, choices=["North", "South"],
                       required=True)
    CustomFieldFactory(entity="account", key="credit_limit", field_type=FieldType.MONEY)
    with pytest.raises(InvalidInput) as refused:
        services.account_create(actor=rep, data={"name": "Acme", "custom": {"credit_limit": "lots"}})
    assert set(refused.value.fields) == {"custom.region", "custom.credit_limit"}
    account = services.account_create(
        actor=rep, data={"name": "Acme", "custom": {"region": "North", "credit_limit": "1500.5"}})
    assert account.custom == {"region": "North", "credit_limit": "1500.50"}


def test_a_custom_phone_is_stored_in_e164_like_every_other_phone(rep):
    CustomFieldFactory(entity="contact", key="fax", field_type=FieldType.PHONE)
    contact = services.contact_create(actor=rep, data={"full_name": "李娜", "custom": {"fax": "020 8888 1234"}})
    assert contact.custom == {"fax": "+862088881234"}
    with pytest.raises(InvalidInput) as refused:
        services.contact_update(actor=rep, contact=contact, data={"custom": {"fax": "12"}}, version=None)
    assert refused.value.fields == {"custom.fax": ["Enter a valid phone number, e.g. +86 138 0013 8000."]}


def test_giving_marketing_consent_records_when(rep):
    contact = services.contact_create(actor=rep, data={"full_name": "李娜", "marketing_consent": True})
    assert contact.consent_at is not None


def test_bulk_actions_touch_only_records_in_scope(rep, other_rep, manager):
    mine = AccountFactory.create_batch(3, owner=rep)
    theirs = AccountFactory(owner=other_rep)
    ids = [account.pk for account in [*mine, theirs]]
    assert records_add_tag(actor=rep, model=Account, ids=ids, tag_name="VIP") == 3
    assert not theirs.tags.exists()
    assert records_assign_owner(actor=rep, model=Account, ids=ids, owner=rep) == 3
    assert records_delete(actor=rep, model=Account, ids=ids) == 3
    assert Account.objects.filter(pk=theirs.pk).exists()
    assert records_assign_owner(actor=manager, model=Account, ids=[theirs.pk], owner=rep) == 1
    assert history_of(theirs).first().changes == {"owner": [str(other_rep), str(rep)]}


def test_contact_of_my_account_is_visible_even_if_someone_else_owns_it(rep):
    someone = UserFactory()
    contact = ContactFactory(owner=someone, account=AccountFactory(owner=rep))
    assert Contact.objects.filter(pk=contact.pk).exists()
    from rapport.customers.selectors import contact_get

    assert contact_get(actor=rep, contact_id=contact.pk) == contact


def test_duplicates_outside_my_scope_are_counted_but_not_described(rep, other_rep):
    AccountFactory(owner=other_rep, name="Hidden Corp", email="sales@hidden.example")
    with pytest.raises(DuplicatesFound) as found:
        services.account_create(actor=rep, data={"name": "New", "email": "sales@hidden.example"})
    assert found.value.duplicates == [] and found.value.hidden_count == 1


def test_parent_account_must_be_one_i_can_see(rep, other_rep):
    hidden = AccountFactory(owner=other_rep)
    with pytest.raises(InvalidInput) as refused:
        services.account_create(actor=rep, data={"name": "Child", "parent": hidden})
    assert "parent" in refused.value.fields


def test_bulk_tagging_bumps_the_version_so_stale_edits_are_caught(rep):
    account = AccountFactory(owner=rep)
    records_add_tag(actor=rep, model=Account, ids=[account.pk], tag_name="VIP")
    with pytest.raises(StaleEdit):
        services.account_update(actor=rep, account=account, data={"tags": []}, version=1)


def test_an_edit_without_a_version_applies_to_the_version_current_under_the_lock(rep):
    account = AccountFactory(owner=rep, name="Acme")
    first_version = account.version
    loaded_before_a_colleagues_edit = Account.objects.get(pk=account.pk)
    services.account_update(actor=rep, account=account, data={"industry": "Shipbuilding"}, version=account.version)

    services.account_update(actor=rep, account=loaded_before_a_colleagues_edit, data={"legal_name": "Acme Ltd"},
                            version=None)

    account.refresh_from_db()
    assert (account.industry, account.legal_name, account.version) == ("Shipbuilding", "Acme Ltd", first_version + 2)


def test_history_names_a_choice_in_the_language_of_whoever_made_the_change(rep):
    with translation.override("zh-hans"):
        chinese = services.account_create(actor=rep, data={"name": "华为", "lifecycle_stage": "customer"})
    english = services.account_create(actor=rep, data={"name": "Acme", "lifecycle_stage": "customer"})
    assert history_of(chinese).get().changes["lifecycle_stage"] == ["", "成交客户"]
    assert history_of(english).get().changes["lifecycle_stage"] == ["", "Customer"]


def test_an_edit_checks_what_it_changes_and_what_may_not_be_blank_not_old_values_it_leaves_alone(rep):
    account = services.account_create(actor=rep, data={"name": "Acme"})
    Account.objects.filter(pk=account.pk).update(website="not a web address")  # stored before a rule existed
    edited = services.account_update(actor=rep, account=account, data={"industry": "Retail"}, version=1)
    assert (edited.industry, edited.website, edited.version) == ("Retail", "not a web address", 2)
    with pytest.raises(InvalidInput) as refused:
        services.account_update(actor=rep, account=edited, data={"website": "also not one", "name": ""}, version=2)
    assert set(refused.value.fields) == {"website", "name"}
