import re

from django.test import Client

from rapport.audit.models import SecurityEvent, SecurityEventKind

from ..factories import PASSWORD

NEW_PASSWORD = "lanterns over the harbour"


def log_in(browser, username, password):
    return browser.post("/login/", {"username": username, "password": password})


def test_changing_the_password(client, rep):
    assert log_in(client, "rep1", PASSWORD).status_code == 302

    response = client.post("/me/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    }, follow=True)

    assert response.redirect_chain[-1][0] == "/me/password/done/"
    assert "Your password is changed." in response.content.decode()
    assert client.get("/").status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_CHANGED, user=rep).count() == 1
    assert log_in(Client(), "rep1", PASSWORD).status_code == 200
    assert log_in(Client(), "rep1", NEW_PASSWORD).status_code == 302


def test_changing_the_password_needs_the_old_one(client, rep):
    log_in(client, "rep1", PASSWORD)

    response = client.post("/me/password/", {
        "old_password": "a guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })

    assert response.status_code == 200
    assert "old password was entered incorrectly" in response.content.decode()
    assert log_in(Client(), "rep1", PASSWORD).status_code == 302


def test_changing_the_password_logs_out_other_browsers(client, rep):
    other_browser = Client()
    log_in(other_browser, "rep1", PASSWORD)
    log_in(client, "rep1", PASSWORD)

    client.post("/me/password/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })

    assert other_browser.get("/").status_code == 302


def reset_link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://testserver(/password-reset/\S+/)", body).group(1)


def test_password_reset_by_email(client, rep, smtp_server):
    response = client.post("/password-reset/", {"email": "REP1@example.com"})

    assert response.url == "/password-reset/sent/"
    [message] = smtp_server.messages
    assert message["To"] == "rep1@example.com"
    assert message["Subject"] == "Your new Rapport password"

    form_page = client.get(reset_link(message), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.url == "/password-reset/complete/"
    assert log_in(Client(), "rep1@example.com", NEW_PASSWORD).status_code == 302
    assert log_in(Client(), "rep1", PASSWORD).status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_RESET, username="REP1@example.com").exists()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_CHANGED, user=rep).exists()


def test_a_reset_link_works_once(client, rep, smtp_server):
    client.post("/password-reset/", {"email": "rep1@example.com"})
    link = reset_link(smtp_server.messages[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = Client().get(link, follow=True)

    assert "This link is no longer valid" in response.content.decode()


def test_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, db, smtp_server):
    response = client.post("/password-reset/", {"email": "stranger@example.com"})

    assert response.url == "/password-reset/sent/"
    assert smtp_server.messages == []
