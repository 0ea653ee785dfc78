"""What a user finds: any field, in any spelling, and only what they may see."""

import pytest

from rapport.access.scopes import Scope
from rapport.core.errors import InvalidInput
from rapport.customers.models import Account
from rapport.records.models import FieldType
from rapport.search import services as search_index
from rapport.search.selectors import search

from ..factories import AccountFactory, CustomFieldFactory, TeamFactory, UserFactory, role_with
from .conftest import found

pytestmark = pytest.mark.django_db


def test_partial_words_find_an_account(rep, make_account):
    make_account("Globex Industries", rep)
    make_account("Initech", rep)
    for text in ["glo", "GLOBEX", "indus", "globex ind", "ind glo"]:
        assert found(rep, text) == ["Globex Industries"], text
    assert found(rep, "globexx") == []


def test_any_field_finds_the_record(rep, make_account, make_contact):
    make_account("Acme", rep, industry="Logistics", billing_city="Hangzhou", billing_street="文三路 90号",
                 sic_code="4213", external_id="ERP-7781", website="https://acme-cargo.example")
    for text in ["logist", "hangzhou", "文三路", "4213", "erp 7781", "7781", "cargo"]:
        assert found(rep, text) == ["Acme"], text
    make_contact("Li Lei", rep, title="Purchasing Manager", department="采购部")
    assert found(rep, "purchasing") == ["Li Lei"]
    assert found(rep, "采购") == ["Li Lei"]


def test_email_finds_the_contact_whole_or_in_part(rep, make_contact):
    make_contact("Wang Fang", rep, email="wang.fang@acme-cargo.example")
    make_contact("Fang Yuan", rep, email="fy@other.example")
    for text in ["wang.fang@acme-cargo.example", "WANG.FANG@ACME", "wang.fang@", "fang@acme", "acme-cargo.example"]:
        assert found(rep, text) == ["Wang Fang"], text


@pytest.mark.parametrize("spelling", ["138 0013 8000", "+86-138-0013-8000", "13800138000", "8000", "38000",
                                      "0013 8000"])
def test_phone_in_any_spelling_or_by_its_last_digits(rep, make_contact, spelling):
    make_contact("张伟", rep, mobile_phone="+86 138 0013 8000")
    make_contact("李娜", rep, mobile_phone="139 1234 5678")
    assert found(rep, spelling) == ["张伟"]


def test_landline_by_its_national_spelling(rep, make_account):
    make_account("深圳华为技术有限公司", rep, phone="0755 2878 0808")
    for text in ["0755-28780808", "075528780808", "+86 755 2878 0808", "0808", "2878 0808"]:
        assert found(rep, text) == ["深圳华为技术有限公司"], text


def test_chinese_by_any_substring_of_two_characters_or_one(rep, make_account):
    make_account("深圳华为技术有限公司", rep)
    make_account("北京小米科技有限公司", rep)
    for text in ["华为", "为技", "深圳华为技术", "华", "圳"]:
        assert found(rep, text) == ["深圳华为技术有限公司"], text
    assert found(rep, "华技") == []  # the characters are there, but not next to each other
    assert sorted(found(rep, "有限公司")) == ["北京小米科技有限公司", "深圳华为技术有限公司"]


def test_custom_field_values_are_searchable(rep, make_account, make_contact):
    CustomFieldFactory(entity="account", key="region", label="Region", field_type=FieldType.TEXT)
    CustomFieldFactory(entity="contact", key="wechat", label="WeChat", field_type=FieldType.TEXT)
    CustomFieldFactory(entity="contact", key="fax", label="Fax", field_type=FieldType.PHONE)
    make_account("Acme", rep, custom={"region": "华南大区"})
    make_contact("Li Lei", rep, custom={"wechat": "lilei_sz", "fax": "020 8888 1234"})
    assert found(rep, "华南") == ["Acme"]
    assert found(rep, "lilei") == ["Li Lei"]
    assert found(rep, "02088881234") == ["Li Lei"]


def test_tags_are_searchable(rep, make_account):
    make_account("Acme", rep, tags=["Key account"])
    assert found(rep, "key acc") == ["Acme"]


def test_a_contact_is_found_by_its_account_and_shows_it(rep, make_account, make_contact):
    account = make_account("深圳华为技术有限公司", rep)
    make_contact("Li Lei", rep, account=account, title="CFO")
    [hit] = search(actor=rep, text="li lei").hits
    assert hit.subtitle == "CFO · 深圳华为技术有限公司" and hit.url == f"/customers/contacts/{hit.id}/"
    assert found(rep, "华为", types=["contact"]) == ["Li Lei"]


# --- scope ------------------------------------------------------------------------------------


def test_rep_finds_own_records_but_not_another_reps(rep, other_rep, make_account):
    make_account("Acme Mine", rep)
    make_account("Acme Theirs", other_rep)
    assert found(rep, "acme") == ["Acme Mine"]
    assert found(other_rep, "acme") == ["Acme Theirs"]


def test_manager_finds_the_records_of_their_reports(manager, rep, other_rep, make_account, agent):
    make_account("Acme One", rep)
    make_account("Acme Two", other_rep)
    make_account("Acme Elsewhere", agent)
    assert sorted(found(manager, "acme")) == ["Acme One", "Acme Two"]


def test_contact_is_visible_to_the_owner_of_its_account(rep, other_rep, make_account, make_contact):
    account = make_account("Acme", rep)
    make_contact("Wang Fang", other_rep, account=account)
    make_contact("Wang Wei", other_rep)
    assert found(rep, "wang") == ["Wang Fang"]
    assert sorted(found(other_rep, "wang")) == ["Wang Fang", "Wang Wei"]


def test_team_scope_covers_the_team_and_its_members(sales_team, other_rep, make_account, admin_user):
    lead = UserFactory(role=role_with("Team lead", view=Scope.TEAM), team=sales_team)
    outsider = UserFactory(team=TeamFactory(name="Elsewhere"))
    make_account("Acme Member", other_rep)
    make_account("Acme Team", outsider, team=sales_team)
    make_account("Acme Outside", outsider)
    assert sorted(found(lead, "acme")) == ["Acme Member", "Acme Team"]


def test_without_view_permission_nothing_is_found(make_account, rep):
    make_account("Acme", rep)
    nobody = UserFactory(role=role_with("Nobody"))
    assert found(nobody, "acme") == []
    assert search(actor=nobody, text="acme").searched


def test_rep_who_owns_one_percent_still_finds_their_matches(rep, other_rep):
    """The scope is part of the index query: the rep's 2 must come back, not a top-N of other people's."""
    AccountFactory.create_batch(200, owner=other_rep, name="Zeta Trading")
    mine = AccountFactory.create_batch(2, owner=rep, name="Zeta Trading")
    search_index.index_many(Account, Account.objects.values_list("pk", flat=True))
    hits = search(actor=rep, text="zeta", limit=5).hits
    assert sorted(hit.id for hit in hits) == sorted(account.pk for account in mine)


def test_search_finds_exactly_what_access_lets_each_user_see(rep, other_rep, manager, agent, make_account,
                                                            make_contact):
    from rapport import access
    from rapport.customers.models import Contact

    accounts = [make_account(f"Acme {owner.username}", owner) for owner in (rep, other_rep, agent)]
    for index, account in enumerate(accounts):
        make_contact(f"Acme person {index}", [other_rep, agent, rep][index], account=account)
        make_contact(f"Acme loner {index}", [rep, other_rep, agent][index])
    for actor in (rep, other_rep, manager, agent):
        hits = search(actor=actor, text="acme", limit=50).hits
        expected = {("account", pk) for pk in access.visible_to(actor, Account.objects.all()).values_list("pk",
                                                                                                          flat=True)}
        expected |= {("contact", pk) for pk in access.visible_to(actor, Contact.objects.all()).values_list("pk",
                                                                                                           flat=True)}
        assert {(hit.type, hit.id) for hit in hits} == expected, actor.username


def test_deleted_records_are_not_found(rep, make_account):
    from rapport.customers import services

    services.account_delete(actor=rep, account=make_account("Acme", rep))
    assert found(rep, "acme") == []


# --- ranking, grouping, limits ----------------------------------------------------------------


def test_a_match_in_the_name_ranks_above_one_in_another_field(rep, make_account):
    make_account("Northwind", rep, billing_street="1 Acme Road")
    make_account("Acme", rep)
    assert found(rep, "acme") == ["Acme", "Northwind"]


def test_the_first_two_or_three_letters_of_a_word_find_it(rep, make_account):
    for name in ("Matsuda Trading", "Mat", "Format Works"):
        make_account(name, rep)
    assert sorted(found(rep, "mat")) == ["Mat", "Matsuda Trading"]
    assert sorted(found(rep, "MA")) == ["Mat", "Matsuda Trading"]
    assert found(rep, "mats") == ["Matsuda Trading"]
    assert found(rep, "tr") == ["Matsuda Trading"]


def test_among_equal_matches_the_recently_changed_come_first(rep, make_account):
    from rapport.customers import services

    older = make_account("Acme", rep)
    make_account("Acme", rep)
    services.account_update(actor=rep, account=older, data={"employees": 12}, version=older.version)
    assert [hit.id for hit in search(actor=rep, text="acme").hits][0] == older.pk


def test_a_very_common_term_shows_its_most_recently_changed_matches(rep, make_account, monkeypatch):
    from rapport.customers import services
    from rapport.search import backends

    accounts = [make_account("Acme", rep) for _ in range(6)]
    services.account_update(actor=rep, account=accounts[0], data={"employees": 5}, version=accounts[0].version)
    monkeypatch.setattr(backends, "RANK_WINDOW", 3)  # a million records' worth of matches, in small
    hits = search(actor=rep, text="acme").hits
    assert [hit.id for hit in hits] == [accounts[0].pk, accounts[5].pk, accounts[4].pk]


def test_results_are_grouped_by_type_and_limited_per_type(rep, make_account, make_contact):
    for index in range(4):
        make_account(f"Acme {index}", rep)
        make_contact(f"Acme Person {index}", rep)
    results = search(actor=rep, text="acme", limit=3)
    assert [(group.type, str(group.label), len(group.hits)) for group in results.groups] == [
        ("account", "Accounts", 3), ("contact", "Contacts", 3)]
    assert all(group.may_have_more for group in results.groups)
    assert [group.type for group in search(actor=rep, text="acme", types=["contact"]).groups] == ["contact"]


def test_an_unknown_type_is_refused_by_name(rep):
    with pytest.raises(InvalidInput) as refused:
        search(actor=rep, text="acme", types=["account", "spaceship"])
    assert "spaceship" in refused.value.fields["types"][0]


def test_search_types_are_scoped_by_the_access_module_of_their_records():
    from rapport import access
    from rapport.search.registry import search_types

    for search_type in search_types:
        module, _scoped = access.module_for_model(search_type.model)
        assert search_type.permission_module == module.name
