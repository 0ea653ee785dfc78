import re

from django.test import Client

from rapport.audit.models import SecurityEvent, SecurityEventKind
from rapport.directory.models import ApiToken
from rapport.directory.services import token_create, token_find


def test_chosen_language_applies_to_following_pages_in_any_browser(rep_client, rep):
    response = rep_client.post("/me/", {"language": "zh-hans"})

    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.language == "zh-hans"
    other_browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    other_browser.force_login(rep)
    page = other_browser.get("/me/")
    assert '<html lang="zh-hans">' in page.content.decode()
    assert page["Content-Language"] == "zh-hans"


def test_browser_language_applies_until_one_is_chosen(rep_client):
    page = rep_client.get("/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="en">' in page.content.decode()
    assert page["Content-Language"] == "en"


def test_unknown_language_is_refused(rep_client, rep):
    response = rep_client.post("/me/", {"language": "klingon"})

    assert response.status_code == 200
    assert "klingon is not one of the available choices" in response.content.decode()
    rep.refresh_from_db()
    assert rep.language == ""


def created_token(response) -> str:
    return re.search(r'<code id="new-token">(rpt_[^<]+)</code>', response.content.decode()).group(1)


def test_new_token_is_shown_once_and_only_its_hash_is_stored(rep_client, rep):
    response = rep_client.post("/me/tokens/", {"name": "ERP sync"})

    plain = created_token(response)
    assert "Copy this token now" in response.content.decode()
    token = ApiToken.objects.get(user=rep)
    assert token.name == "ERP sync"
    secret = plain.removeprefix("rpt_").partition("_")[2]
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in stored.values())
    assert token.digest == ApiToken.digest_of(secret)
    assert token_find(plain).user == rep
    assert plain not in rep_client.get("/me/tokens/").content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_CREATED, user=rep).exists()


def test_a_token_needs_a_name(rep_client, rep):
    response = rep_client.post("/me/tokens/", {"name": "  "})

    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_working(rep_client, rep):
    token, plain = token_create(actor=rep, user=rep, name="Old script")

    response = rep_client.post(f"/me/tokens/{token.pk}/revoke", follow=True)

    assert "The token “Old script” is revoked." in response.content.decode()
    assert token_find(plain) is None
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.TOKEN_REVOKED, user=rep).exists()


def test_another_users_token_cannot_be_revoked(rep_client, other_rep):
    token, plain = token_create(actor=other_rep, user=other_rep, name="Theirs")

    response = rep_client.post(f"/me/tokens/{token.pk}/revoke")

    assert response.status_code == 404
    assert token_find(plain).user == other_rep


def test_revoking_needs_a_post(rep_client, rep):
    token, plain = token_create(actor=rep, user=rep, name="Mine")

    assert rep_client.get(f"/me/tokens/{token.pk}/revoke").status_code == 405
    assert token_find(plain).user == rep


def test_tokens_of_a_deactivated_user_stop_working(rep, admin_user):
    from rapport.directory.services import user_deactivate

    _token, plain = token_create(actor=rep, user=rep, name="Nightly")

    user_deactivate(actor=admin_user, user=rep)

    assert token_find(plain) is None
