from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from rapport.audit.models import SecurityEvent, SecurityEventKind

from ..factories import UserFactory

OFFICE = "10.0.0.1"


def log_in(client, username, password, address=OFFICE):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    settings.LOGIN_FAILURES_PER_ADDRESS = 100
    settings.LOGIN_LOCKOUT_MINUTES = 15
    return settings


def events(kind, **filters):
    return SecurityEvent.objects.filter(kind=kind, **filters)


@pytest.mark.parametrize("identifier", ["rep1", "REP1", "rep1@example.com", "Rep1@Example.COM", " rep1 "])
def test_log_in_by_username_or_email_in_any_case(client, rep, password, identifier):
    response = log_in(client, identifier, password)

    assert response.status_code == 302
    assert response.url == "/"
    assert logged_in_user_id(client) == str(rep.pk)
    assert events(SecurityEventKind.LOGIN, user=rep, address=OFFICE).count() == 1


def test_wrong_password_is_refused_and_recorded(client, rep):
    response = log_in(client, "rep1@example.com", "not the password")

    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert logged_in_user_id(client) is None
    failure = events(SecurityEventKind.LOGIN_FAILED).get()
    assert (failure.username, failure.user, failure.address) == ("rep1", rep, OFFICE)


def test_unknown_username_is_recorded_as_typed(client, db):
    log_in(client, "nobody", "whatever")

    assert events(SecurityEventKind.LOGIN_FAILED, username="nobody", user=None).exists()


def test_inactive_user_cannot_log_in(client, db, password):
    UserFactory(username="gone", is_active=False)

    response = log_in(client, "gone", password)

    assert response.status_code == 200
    assert logged_in_user_id(client) is None


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(client, rep, password, limits):
    for _attempt in range(3):
        log_in(client, "rep1", "wrong")

    response = log_in(client, "rep1", password)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many failed attempts. Try again in 15 minutes or reset your password." in response.content.decode()
    assert logged_in_user_id(client) is None
    assert events(SecurityEventKind.LOCKED_OUT, username="rep1").count() == 1
    assert not events(SecurityEventKind.LOGIN).exists()


def test_failures_by_email_and_by_username_count_against_one_account(client, rep, password, limits):
    log_in(client, "rep1@example.com", "wrong")
    log_in(client, "REP1", "wrong")
    log_in(client, "rep1", "wrong")

    assert log_in(client, "rep1@example.com", password).status_code == 429


def test_attempts_while_locked_out_do_not_check_the_password(client, rep, limits):
    for _attempt in range(3):
        log_in(client, "rep1", "wrong")

    log_in(client, "rep1", "still wrong")

    assert events(SecurityEventKind.LOGIN_FAILED).count() == 3


def test_lock_out_ends_when_the_window_passes(client, rep, password, limits):
    for _attempt in range(3):
        log_in(client, "rep1", "wrong")
    assert log_in(client, "rep1", password).status_code == 429

    events(SecurityEventKind.LOGIN_FAILED).update(at=timezone.now() - timedelta(minutes=16))

    assert log_in(client, "rep1", password).status_code == 302
    assert logged_in_user_id(client) == str(rep.pk)


def test_a_successful_login_resets_the_account_counter(client, rep, password, limits):
    log_in(client, "rep1", "wrong")
    log_in(client, "rep1", "wrong")
    assert log_in(client, "rep1@example.com", password).status_code == 302
    client.post("/logout/")
    log_in(client, "rep1", "wrong")
    log_in(client, "rep1", "wrong")

    assert log_in(client, "rep1", password).status_code == 302


def test_address_is_locked_after_failures_across_usernames(client, rep, password, limits):
    limits.LOGIN_FAILURES_PER_ADDRESS = 3
    for name in ["alice", "bob", "carol"]:
        log_in(client, name, "guess", address="203.0.113.9")

    locked = log_in(client, "rep1", password, address="203.0.113.9")
    elsewhere = log_in(client, "rep1", password, address=OFFICE)

    assert locked.status_code == 429
    assert elsewhere.status_code == 302
    assert events(SecurityEventKind.LOCKED_OUT, address="203.0.113.9").count() == 1


def test_a_valid_login_does_not_reset_the_address_counter(client, rep, password, limits):
    limits.LOGIN_FAILURES_PER_ADDRESS = 3
    log_in(client, "alice", "guess", address="203.0.113.9")
    log_in(client, "bob", "guess", address="203.0.113.9")
    assert log_in(client, "rep1", password, address="203.0.113.9").status_code == 302
    client.post("/logout/")
    log_in(client, "carol", "guess", address="203.0.113.9")

    assert log_in(client, "rep1", password, address="203.0.113.9").status_code == 429


def test_a_password_change_lifts_the_account_lock(client, rep, password, limits):
    from rapport.audit.security import record_security_event

    for _attempt in range(3):
        log_in(client, "rep1", "wrong")
    assert log_in(client, "rep1", password).status_code == 429
    record_security_event(kind=SecurityEventKind.PASSWORD_CHANGED, user=rep)

    assert log_in(client, "rep1", password).status_code == 302


def test_login_issues_a_new_session_key(client, rep, password, settings):
    anonymous_session = client.session
    anonymous_session["next_step"] = "login"
    anonymous_session.save()
    key_before = client.cookies[settings.SESSION_COOKIE_NAME].value

    log_in(client, "rep1", password)

    key_after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert not Session.objects.filter(session_key=key_before).exists()
    assert logged_in_user_id(client) == str(rep.pk)


def test_session_cookie_lasts_session_cookie_age(client, rep, password, settings):
    settings.SESSION_COOKIE_AGE = 600

    response = log_in(client, "rep1", password)

    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 600
    session = Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert timedelta(seconds=590) < session.expire_date - timezone.now() <= timedelta(seconds=600)


def test_expired_session_sends_the_user_back_to_login(client, rep, password, settings):
    log_in(client, "rep1", password)
    assert client.get("/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/"


def test_log_out_ends_the_session_and_is_recorded(client, rep, password):
    log_in(client, "rep1", password)

    client.post("/logout/")

    assert client.get("/").status_code == 302
    assert events(SecurityEventKind.LOGOUT, user=rep).exists()
