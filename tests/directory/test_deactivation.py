import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from rapport.audit.models import SecurityEvent, SecurityEventKind
from rapport.core.errors import PermissionDenied
from rapport.directory.services import user_deactivate

from ..factories import PASSWORD


@pytest.fixture
def rep_session(rep):
    """The rep, logged in through the login page in their own browser."""
    browser = Client()
    response = browser.post("/login/", {"username": "rep1", "password": PASSWORD})
    assert response.status_code == 302
    assert browser.get("/").status_code == 200
    return browser


@pytest.fixture
def admin_client(admin_user):
    browser = Client()
    browser.force_login(admin_user)
    return browser


def session_key(browser) -> str:
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


def assert_logged_out(browser):
    response = browser.get("/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/"


def test_deactivation_ends_the_users_sessions(rep_session, rep, admin_user):
    key = session_key(rep_session)

    user_deactivate(actor=admin_user, user=rep)

    assert_logged_out(rep_session)
    assert not Session.objects.filter(session_key=key).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.USER_DEACTIVATED, user=rep).exists()
    assert Client().post("/login/", {"username": "rep1", "password": PASSWORD}).status_code == 200


def test_deactivation_ends_the_session_renewed_by_a_password_change(rep_session, rep, admin_user):
    response = rep_session.post("/me/password/", {
        "old_password": PASSWORD, "new_password1": "a much newer secret", "new_password2": "a much newer secret",
    })
    assert response.status_code == 302
    key = session_key(rep_session)

    user_deactivate(actor=admin_user, user=rep)

    assert not Session.objects.filter(session_key=key).exists()


def test_only_administrators_may_deactivate(rep, other_rep):
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=rep, user=other_rep)

    other_rep.refresh_from_db()
    assert other_rep.is_active


def test_admin_action_deactivates_and_logs_out(rep_session, rep, other_rep, admin_client):
    key = session_key(rep_session)

    response = admin_client.post("/admin/directory/user/", {
        "action": "deactivate_users", "_selected_action": [rep.pk],
    }, follow=True)

    assert "1 user is deactivated and logged out." in response.content.decode()
    rep.refresh_from_db()
    other_rep.refresh_from_db()
    assert not rep.is_active
    assert other_rep.is_active
    assert_logged_out(rep_session)
    assert not Session.objects.filter(session_key=key).exists()


def test_unticking_active_in_the_admin_logs_the_user_out(rep_session, rep, admin_client):
    key = session_key(rep_session)

    response = admin_client.post(f"/admin/directory/user/{rep.pk}/change/", {
        "username": rep.username, "display_name": rep.display_name, "email": rep.email,
        "first_name": "", "last_name": "", "phone": "", "language": "",
        "team": rep.team_id, "manager": rep.manager_id, "role": rep.role_id, "department": "",
        "date_joined_0": "2024-01-02", "date_joined_1": "09:00:00",
        "last_login_0": "", "last_login_1": "",
    })

    assert response.status_code == 302
    rep.refresh_from_db()
    assert not rep.is_active
    assert_logged_out(rep_session)
    assert not Session.objects.filter(session_key=key).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.USER_DEACTIVATED, user=rep).exists()


def test_other_changes_in_the_admin_keep_the_user_logged_in(rep_session, rep, admin_client):
    response = admin_client.post(f"/admin/directory/user/{rep.pk}/change/", {
        "username": rep.username, "display_name": "Ray R.", "email": rep.email, "is_active": "on",
        "first_name": "", "last_name": "", "phone": "", "language": "",
        "team": rep.team_id, "manager": rep.manager_id, "role": rep.role_id, "department": "",
        "date_joined_0": "2024-01-02", "date_joined_1": "09:00:00",
        "last_login_0": "", "last_login_1": "",
    })

    assert response.status_code == 302
    assert rep_session.get("/").status_code == 200
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.USER_DEACTIVATED).exists()


def test_deactivation_also_ends_sessions_held_in_the_session_cache(settings, rep, admin_user):
    from django.contrib.sessions.backends.cached_db import SessionStore

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # what REDIS_URL turns on
    browser = Client()
    assert browser.post("/login/", {"username": "rep1", "password": PASSWORD}).status_code == 302
    key = session_key(browser)
    assert SessionStore().exists(key)

    user_deactivate(actor=admin_user, user=rep)

    assert not SessionStore().exists(key)  # neither in the cache nor in the database
    assert_logged_out(browser)
