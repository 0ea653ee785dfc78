"""The account and contact pages as a user sees them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.customers.models import Account, Contact
from rapport.records.models import FieldType, SavedView

from ..factories import AccountFactory, ContactFactory, CustomFieldFactory, TeamFactory

pytestmark = pytest.mark.django_db

ACCOUNTS = reverse("customers:account_list")


def names_in(response) -> list[str]:
    return re.findall(r'<td data-label="[^"]*"><a href="/customers/\w+/\d+/">([^<]+)</a>', response.content.decode())


def queries_for(client, url) -> int:
    """Queries of a page in steady state (process-wide caches such as content types already warm)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_list_shows_only_my_accounts(rep_client, rep, other_rep):
    AccountFactory(owner=rep, name="Mine Ltd")
    AccountFactory(owner=other_rep, name="Theirs Ltd")
    assert names_in(rep_client.get(ACCOUNTS)) == ["Mine Ltd"]


def test_list_filters_on_any_field_including_custom_ones(rep_client, rep):
    CustomFieldFactory(entity="account", key="region", label="Region", field_type=FieldType.CHOICE,
                       choices=["North", "South"])
    AccountFactory(owner=rep, name="Big North", employees=500, custom={"region": "North"})
    AccountFactory(owner=rep, name="Small North", employees=5, custom={"region": "North"})
    AccountFactory(owner=rep, name="Big South", employees=800, custom={"region": "South"})
    response = rep_client.get(ACCOUNTS, {"employees__gte": "100", "cf_region": "North"})
    assert names_in(response) == ["Big North"]
    builder = rep_client.get(ACCOUNTS, {"ff": ["employees", "cf_region"], "fo": ["gte", ""], "fv": ["100", "South"]})
    assert names_in(builder) == ["Big South"]


def test_unknown_filter_is_a_clear_error_not_a_crash(rep_client):
    response = rep_client.get(ACCOUNTS, {"colour": "blue", "employees__gte": "many"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Unknown filter “colour”" in text and "Enter a number." in text


def test_sort_and_choose_columns(rep_client, rep):
    AccountFactory(owner=rep, name="Alpha", employees=10)
    AccountFactory(owner=rep, name="Beta", employees=300)
    response = rep_client.get(ACCOUNTS, {"sort": "-employees", "cols": "name,employees"})
    assert names_in(response) == ["Beta", "Alpha"]
    header = re.findall(r"<th scope=\"col\">(?:<a [^>]*>)?([^<]+)", response.content.decode())
    assert header == ["Name", "Employees"]


def test_keyset_pages_walk_forward_and_back_without_gaps(rep_client, rep):
    AccountFactory.create_batch(120, owner=rep)
    seen, url = [], ACCOUNTS
    for _ in range(3):
        response = rep_client.get(url)
        seen.extend(names_in(response))
        found = re.search(r'rel="next" href="\?([^"]+)"', response.content.decode())
        if not found:
            break
        url = f"{ACCOUNTS}?{found.group(1).replace('&amp;', '&')}"
    assert seen == sorted(Account.objects.values_list("name", flat=True))
    back = re.search(r'rel="prev" href="\?([^"]+)"', response.content.decode()).group(1).replace("&amp;", "&")
    assert names_in(rep_client.get(f"{ACCOUNTS}?{back}")) == seen[50:100]


def test_deep_page_query_uses_no_offset(rep_client, rep):
    AccountFactory.create_batch(60, owner=rep)
    first = rep_client.get(ACCOUNTS).content.decode()
    cursor = re.search(r"cursor=([\w-]+)", first).group(1)
    with CaptureQueriesContext(connection) as captured:
        rep_client.get(ACCOUNTS, {"cursor": cursor})
    assert not any("OFFSET" in query["sql"].upper() for query in captured.captured_queries)


def test_a_forged_cursor_is_refused_clearly(rep_client):
    response = rep_client.get(ACCOUNTS, {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert "This page link is not valid." in response.content.decode()


def test_list_query_count_does_not_grow_with_rows(rep_client, rep):
    for index in range(3):
        AccountFactory(owner=rep, parent=AccountFactory(owner=rep)).tags.create(name=f"t{index}")
    url = f"{ACCOUNTS}?cols=name,parent,owner,team,tags"
    few = queries_for(rep_client, url)
    for index in range(20):
        AccountFactory(owner=rep, parent=AccountFactory(owner=rep)).tags.create(name=f"u{index}")
    assert queries_for(rep_client, url) == few


def test_list_cells_show_each_kind_of_value_in_a_fixed_number_of_queries(rep_client, rep):
    CustomFieldFactory(entity="account", key="region", label="Region", field_type=FieldType.TEXT)
    rep.display_name = "Rita Rep"
    rep.save()
    parent = AccountFactory(owner=rep, name="Holding AG")
    account = AccountFactory(owner=rep, name="Acme", parent=parent, team=TeamFactory(name="North team"),
                             lifecycle_stage="customer", custom={"region": "Alps"})
    account.tags.create(name="vip")
    url = f"{ACCOUNTS}?cols=name,lifecycle_stage,parent,owner,team,tags,cf_region&q=Acme"
    cells = re.findall(r'<td data-label="([^"]+)">(.*?)</td>', rep_client.get(url).content.decode())
    assert [(label, re.sub(r"<[^>]+>", "", value)) for label, value in cells] == [
        ("Name", "Acme"), ("Lifecycle stage", "Customer"), ("Parent account", "Holding AG"), ("Owner", "Rita Rep"),
        ("Team", "North team"), ("Tags", "vip"), ("Region", "Alps")]
    # session, user, custom fields (read once for filters, columns and panel), the ids the index finds for
    # "Acme", rows, tags, the capped count; the rep's grants, reports, unread count, saved views and the people
    # for "assign owner" are remembered
    assert queries_for(rep_client, url) == 7


def test_contact_list_query_count_does_not_grow_with_rows(rep_client, rep):
    ContactFactory.create_batch(3, owner=rep, account=AccountFactory(owner=rep))
    url = f"{reverse('customers:contact_list')}?cols=full_name,account,owner,tags"
    few = queries_for(rep_client, url)
    for _ in range(20):
        ContactFactory(owner=rep, account=AccountFactory(owner=rep))
    assert queries_for(rep_client, url) == few


def test_account_page_query_count_does_not_grow_with_contacts_and_history(rep_client, rep):
    account = AccountFactory(owner=rep)
    ContactFactory.create_batch(2, owner=rep, account=account)
    url = account.get_absolute_url()
    few = queries_for(rep_client, url)
    ContactFactory.create_batch(30, owner=rep, account=account)
    AccountFactory.create_batch(10, owner=rep, parent=account)
    assert queries_for(rep_client, url) == few


def test_another_reps_account_is_not_found_even_by_guessing_its_id(rep_client, other_rep):
    account = AccountFactory(owner=other_rep, name="Secret Co")
    for url in [account.get_absolute_url(), reverse("customers:account_edit", args=[account.pk])]:
        response = rep_client.get(url)
        assert response.status_code == 404
        assert "Secret Co" not in response.content.decode()
    assert rep_client.post(reverse("customers:account_delete", args=[account.pk])).status_code == 404
    assert Account.objects.filter(pk=account.pk).exists()


def test_create_form_shows_errors_beside_the_field_then_saves(rep_client):
    url = reverse("customers:account_create")
    response = rep_client.post(url, {"name": "Acme", "email": "nope", "lifecycle_stage": "prospect",
                                     "currency": "CNY"})
    assert response.status_code == 422
    assert re.search(r'id="id_email_error">Enter a valid email address', response.content.decode())
    response = rep_client.post(url, {"name": "Acme", "email": "info@acme.example", "lifecycle_stage": "prospect",
                                     "currency": "CNY", "tags_text": "VIP, Key account"})
    account = Account.objects.get(name="Acme")
    assert response.status_code == 302 and response["Location"] == account.get_absolute_url()
    assert sorted(account.tags.values_list("name", flat=True)) == ["Key account", "VIP"]


def test_possible_duplicates_are_shown_before_saving(rep_client, rep, other_rep):
    AccountFactory(owner=rep, name="Acme", phone="13800138000", phone_e164="+8613800138000")
    AccountFactory(owner=other_rep, name="Hidden Corp", email="sales@acme.example")
    data = {"name": "Acme 2", "phone": "138 0013 8000", "email": "SALES@acme.example",
            "lifecycle_stage": "prospect", "currency": "CNY"}
    response = rep_client.post(reverse("customers:account_create"), data)
    text = response.content.decode()
    assert "Possible duplicates" in text and ">Acme</a>" in text
    assert "1 more, owned by someone whose records you cannot see." in text and "Hidden Corp" not in text
    assert Account.objects.count() == 2
    rep_client.post(reverse("customers:account_create"), {**data, "confirm_duplicates": "1"})
    assert Account.objects.filter(name="Acme 2").exists()


def test_stale_edit_is_refused_and_shows_the_other_change(rep_client, rep, manager):
    from rapport.customers.services import account_update

    account = AccountFactory(owner=rep, name="Acme")
    form = {"name": "Acme Mine", "lifecycle_stage": "prospect", "currency": "CNY", "version": "1"}
    account_update(actor=manager, account=account, data={"name": "Acme Theirs"}, version=1)
    response = rep_client.post(reverse("customers:account_edit", args=[account.pk]), form)
    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone else changed this record" in text and "Acme Theirs" in text
    assert Account.objects.get(pk=account.pk).name == "Acme Theirs"
    assert 'name="version" value="2"' in text


def test_detail_shows_history_and_contacts(rep_client, rep):
    account = AccountFactory(owner=rep, name="Acme")
    ContactFactory(owner=rep, account=account, full_name="张伟")
    rep_client.post(reverse("customers:account_edit", args=[account.pk]),
                    {"name": "Acme", "industry": "Energy", "lifecycle_stage": "prospect", "currency": "CNY",
                     "version": "1"})
    text = rep_client.get(account.get_absolute_url()).content.decode()
    assert "张伟" in text
    assert re.search(r"industry: <span class=\"old\">Retail</span> → Energy", text)


def test_bulk_assign_owner_from_the_list(client, manager, rep, other_rep):
    client.force_login(manager)
    accounts = AccountFactory.create_batch(3, owner=rep)
    response = client.post(reverse("customers:account_bulk"),
                           {"action": "assign_owner", "owner": other_rep.pk, "ids": [a.pk for a in accounts]})
    assert response.status_code == 302
    assert set(Account.objects.values_list("owner", flat=True)) == {other_rep.pk}


def test_bulk_delete_then_restore_from_the_recycle_bin(rep_client, rep):
    account = AccountFactory(owner=rep, name="Binned Ltd")
    rep_client.post(reverse("customers:account_bulk"), {"action": "delete", "ids": [account.pk]})
    assert rep_client.get(account.get_absolute_url()).status_code == 404
    assert "Binned Ltd" in rep_client.get(reverse("recycle_bin")).content.decode()
    response = rep_client.post(reverse("recycle_restore", args=["customers.account", account.pk]))
    assert response.status_code == 302
    assert rep_client.get(account.get_absolute_url()).status_code == 200


def test_saved_view_keeps_filters_sort_and_columns(rep_client, rep):
    rep_client.post(reverse("customers:account_view_save"),
                    {"name": "Big ones", "query": "employees__gte=100&sort=-employees&cols=name,employees"})
    view = SavedView.objects.get(user=rep)
    assert view.query == "employees__gte=100&sort=-employees&cols=name,employees"
    assert "Big ones" in rep_client.get(ACCOUNTS).content.decode()


def test_merge_page_merges_two_accounts(rep_client, rep):
    keep = AccountFactory(owner=rep, name="Acme")
    other = AccountFactory(owner=rep, name="ACME")
    contact = ContactFactory(owner=rep, account=other)
    page = rep_client.get(reverse("customers:account_merge", args=[keep.pk]), {"other": other.pk})
    assert "ACME" in page.content.decode()
    rep_client.post(reverse("customers:account_merge", args=[keep.pk]), {"other": other.pk})
    contact.refresh_from_db()
    assert contact.account == keep
    assert not Account.objects.filter(pk=other.pk).exists()


def test_home_shows_recently_viewed_customers(rep_client, rep):
    contact = ContactFactory(owner=rep, full_name="李娜")
    rep_client.get(contact.get_absolute_url())
    assert "李娜" in rep_client.get(reverse("home")).content.decode()


def test_contact_create_links_to_account_chosen_in_picker(rep_client, rep, other_rep):
    account = AccountFactory(owner=rep, name="Acme")
    lookup = rep_client.get(reverse("records:lookup", args=["account"]), {"q": "acm"}).content.decode()
    assert f'data-pick-id="{account.pk}"' in lookup
    hidden = AccountFactory(owner=other_rep, name="Acme Hidden")
    assert "Acme Hidden" not in lookup
    response = rep_client.post(reverse("customers:contact_create"), {"full_name": "王芳", "account": hidden.pk})
    assert response.status_code == 422
    rep_client.post(reverse("customers:contact_create"), {"full_name": "王芳", "account": account.pk,
                                                          "mobile_phone": "138 0013 8000"})
    contact = Contact.objects.get(full_name="王芳")
    assert contact.account == account and contact.mobile_phone_e164 == "+8613800138000"


def test_multi_choice_custom_field_filter_finds_records_having_that_option(rep_client, rep):
    CustomFieldFactory(entity="contact", key="interests", label="Interests", field_type=FieldType.MULTI_CHOICE,
                       choices=["Pumps", "Valves", "Pipes"])
    ContactFactory(owner=rep, full_name="Pump Buyer", custom={"interests": ["Pumps", "Pipes"]})
    ContactFactory(owner=rep, full_name="Valve Buyer", custom={"interests": ["Valves"]})
    response = rep_client.get(reverse("customers:contact_list"), {"cf_interests": "Pipes"})
    assert names_in(response) == ["Pump Buyer"]


def test_custom_field_appears_in_form_detail_and_list_column(rep_client, rep):
    CustomFieldFactory(entity="account", key="credit_limit", label="Credit limit", field_type=FieldType.MONEY)
    form = rep_client.get(reverse("customers:account_create")).content.decode()
    assert 'name="cf_credit_limit"' in form and "Credit limit" in form
    rep_client.post(reverse("customers:account_create"), {"name": "Acme", "lifecycle_stage": "prospect",
                                                          "currency": "CNY", "cf_credit_limit": "2500"})
    account = Account.objects.get(name="Acme")
    assert account.custom == {"credit_limit": "2500.00"}
    assert "2500.00" in rep_client.get(account.get_absolute_url()).content.decode()
    listing = rep_client.get(ACCOUNTS, {"cols": "name,cf_credit_limit"}).content.decode()
    assert re.search(r'data-label="Credit limit">2500.00<', listing)


def test_contact_page_query_count_does_not_grow_with_history(rep_client, rep):
    from rapport.customers.services import contact_update

    contact = ContactFactory(owner=rep, account=AccountFactory(owner=rep))
    url = contact.get_absolute_url()
    few = queries_for(rep_client, url)
    for version in range(1, 15):
        contact_update(actor=rep, contact=contact, data={"title": f"Title {version}"}, version=version)
    assert queries_for(rep_client, url) == few


def test_the_quick_search_box_finds_by_any_field_phone_fragment_and_chinese_substring(rep_client, rep, other_rep):
    from rapport.customers import services

    def make(name, owner, **data):
        return services.account_create(actor=owner, data={"name": name, **data}, allow_duplicates=True)

    make("深圳华通科技有限公司", rep, phone="+86 755 8888 1234", billing_street="科技园南路 8号")
    make("Summit Energy", rep, website="https://summit-power.example")
    make("华通 Theirs", other_rep)
    huatong, summit = ["深圳华通科技有限公司"], ["Summit Energy"]
    for text, expected in [("华通", huatong), ("755 8888 1234", huatong), ("1234", huatong), ("科技园", huatong),
                           ("summit-power", summit), ("ener", summit)]:
        assert names_in(rep_client.get(ACCOUNTS, {"q": text})) == expected, text
    contacts = reverse("customers:contact_list")
    services.contact_create(actor=rep, data={"full_name": "李娜", "mobile_phone": "13912345678",
                                             "email": "li.na@huatong.example"}, allow_duplicates=True)
    for text in ["李", "5678", "li.na@", "huatong"]:
        assert names_in(rep_client.get(contacts, {"q": text})) == ["李娜"], text


@pytest.mark.parametrize("handed_over", [True, False], ids=["few found: their ids", "many found: the query"])
def test_the_quick_search_lists_the_same_records_however_many_the_index_finds(rep_client, rep, other_rep,
                                                                               monkeypatch, handed_over):
    from rapport.search import selectors

    monkeypatch.setattr(selectors, "FEW_MATCHES", 10 if handed_over else 1)
    for name in ["Acme Alpha", "Acme Beta", "Acme Gamma"]:
        AccountFactory(owner=rep, name=name)
    AccountFactory(owner=rep, name="Other")
    AccountFactory(owner=other_rep, name="Acme Theirs")
    assert names_in(rep_client.get(ACCOUNTS, {"q": "acme", "sort": "-name"})) == ["Acme Gamma", "Acme Beta",
                                                                                   "Acme Alpha"]


def test_long_addresses_wrap_at_their_dots_not_mid_word(rep_client, rep):
    account = AccountFactory(owner=rep, email="procurement.department@shanghai-gree.example.cn",
                             website="https://www.shanghai-gree.example.cn/about")
    page = rep_client.get(account.get_absolute_url()).content.decode()
    assert ">procurement<wbr>.department@<wbr>shanghai<wbr>-gree<wbr>.example<wbr>.cn</a>" in page
    assert ">https:/<wbr>/<wbr>www<wbr>.shanghai<wbr>-gree<wbr>.example<wbr>.cn/<wbr>about</a>" in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_money_is_grouped_by_thousands_in_both_languages(rep_client, rep, language):
    rep.language = language
    rep.save(update_fields=["language"])
    account = AccountFactory(owner=rep, annual_revenue=1450000, currency="CNY")
    assert "1,450,000 CNY" in rep_client.get(account.get_absolute_url()).content.decode()
