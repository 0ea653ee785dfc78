"""The administrator's side: people, teams and custom fields in Django's admin."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from rapport.records.models import CustomField

from ..factories import CustomFieldFactory, TeamFactory, UserFactory


@pytest.fixture
def admin_client(admin_user):
    browser = Client()
    browser.force_login(admin_user)
    return browser


def test_people_without_staff_status_are_sent_to_the_admin_login(rep_client):
    for url in ["/admin/", "/admin/directory/user/", "/admin/audit/securityevent/"]:
        response = rep_client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


def test_user_list_shows_team_manager_and_role(admin_client, rep):
    page = admin_client.get("/admin/directory/user/").content.decode()

    assert "Ray Rep" in page
    assert "rep1@example.com" in page
    assert "Sales East" in page
    assert "Mia Manager" in page
    assert "Sales rep" in page


def test_user_list_filters_by_team_and_searches_by_email(admin_client, rep, sales_team):
    outsider = UserFactory(username="outsider", team=TeamFactory(name="Far Away"))

    by_team = admin_client.get(f"/admin/directory/user/?team__id__exact={sales_team.pk}").content.decode()
    by_email = admin_client.get("/admin/directory/user/?q=outsider@example").content.decode()

    assert f"/admin/directory/user/{rep.pk}/change/" in by_team
    assert f"/admin/directory/user/{outsider.pk}/change/" not in by_team
    assert f"/admin/directory/user/{outsider.pk}/change/" in by_email
    assert f"/admin/directory/user/{rep.pk}/change/" not in by_email


def test_user_change_page_has_the_organisation_fields(admin_client, rep):
    response = admin_client.get(f"/admin/directory/user/{rep.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    for field in ["team", "manager", "role", "department", "language", "display_name"]:
        assert f'name="{field}"' in page


def test_administrator_adds_a_user_who_can_then_log_in(admin_client, sales_team):
    response = admin_client.post("/admin/directory/user/add/", {
        "username": "newbie", "email": "newbie@example.com", "display_name": "New Person",
        "usable_password": "true", "password1": "a fresh long secret", "password2": "a fresh long secret",
    })

    assert response.status_code == 302
    assert Client().post("/login/", {"username": "newbie@example.com",
                                     "password": "a fresh long secret"}).status_code == 302


def test_a_second_user_with_the_same_email_is_refused(admin_client, rep):
    response = admin_client.post("/admin/directory/user/add/", {
        "username": "copycat", "email": "REP1@example.com", "display_name": "",
        "usable_password": "true", "password1": "a fresh long secret", "password2": "a fresh long secret",
    })

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == ["Another user already has this email address."]


def test_team_list_counts_members(admin_client, rep, other_rep, manager):
    page = admin_client.get("/admin/directory/team/").content.decode()

    assert "Sales East" in page
    assert '<td class="field-member_count">3</td>' in page


def custom_field_data(**changes):
    return {"entity": "account", "key": "loyalty_tier", "label": "Loyalty tier", "field_type": "text",
            "choices": "[]", "help_text": "", "position": "0", "active": "on", **changes}


@pytest.mark.parametrize("key", ["Loyalty", "2nd_tier", "tier-level", "_tier"])
def test_custom_field_with_an_invalid_key_is_refused(admin_client, key):
    response = admin_client.post("/admin/records/customfield/add/", custom_field_data(key=key))

    assert response.status_code == 200
    assert "Start with a lower-case letter" in response.content.decode()
    assert not CustomField.objects.exists()


@pytest.mark.parametrize(("choices", "message"), [
    ("[]", "A choice field needs at least one option."),
    ('"Gold, Silver"', "Enter the options as a list of texts"),
    ('["Gold", 2]', "Enter the options as a list of texts"),
    ('["Gold", "Gold"]', "Each option may appear only once."),
])
def test_choice_field_needs_a_list_of_options(admin_client, choices, message):
    response = admin_client.post("/admin/records/customfield/add/",
                                 custom_field_data(field_type="choice", choices=choices))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CustomField.objects.exists()


def test_administrator_adds_a_multi_choice_field(admin_client):
    response = admin_client.post("/admin/records/customfield/add/",
                                 custom_field_data(field_type="multi_choice", choices='["Gold", "Silver"]'))

    assert response.status_code == 302
    field = CustomField.objects.get()
    assert (field.key, field.choices) == ("loyalty_tier", ["Gold", "Silver"])


def test_options_on_a_text_field_are_refused(admin_client):
    response = admin_client.post("/admin/records/customfield/add/", custom_field_data(choices='["Gold"]'))

    assert "Only choice fields have options" in response.content.decode()


def test_the_record_types_offered_are_those_registered(admin_client):
    page = admin_client.get("/admin/records/customfield/add/").content.decode()
    assert '<option value="account">account</option>' in page and '<option value="contact">contact</option>' in page

    response = admin_client.post("/admin/records/customfield/add/", custom_field_data(entity="spaceship"))

    assert "Select a valid choice" in response.content.decode()
    assert not CustomField.objects.exists()


def test_key_and_entity_cannot_change_once_values_may_exist(admin_client):
    field = CustomFieldFactory(key="region_code")

    page = admin_client.get(f"/admin/records/customfield/{field.pk}/change/").content.decode()

    assert 'name="label"' in page
    assert 'name="key"' not in page
    assert 'name="entity"' not in page
    assert "region_code" in page


def test_custom_field_validation_applies_outside_the_admin_too(db):
    with pytest.raises(ValidationError) as refused:
        CustomField(entity="spaceship", key="Shoe Size", label="Shoe size", field_type="choice").full_clean()

    assert set(refused.value.message_dict) == {"entity", "key", "choices"}


def test_changing_a_users_email_to_a_taken_one_is_refused(admin_client, rep, other_rep):
    response = admin_client.post(f"/admin/directory/user/{other_rep.pk}/change/", {
        "username": other_rep.username, "display_name": other_rep.display_name, "email": "Rep1@Example.com",
        "is_active": "on", "first_name": "", "last_name": "", "phone": "", "language": "", "team": "",
        "manager": "", "role": "", "department": "", "date_joined_0": "2024-01-02", "date_joined_1": "09:00:00",
        "last_login_0": "", "last_login_1": "",
    })

    assert response.context["adminform"].form.errors["email"] == ["Another user already has this email address."]
    other_rep.refresh_from_db()
    assert other_rep.email == "rep2@example.com"
