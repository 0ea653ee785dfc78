"""Email on the timeline: sending through a real SMTP server, receiving raw messages (API and .eml
upload), matching them to contacts, threads, attachments, filing what matched nobody, bad input."""

import base64
import socket
import threading
from email import policy
from email.message import EmailMessage as MimeMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapport.directory.models import ApiToken
from rapport.directory.services import token_create
from rapport.mail import services as mail
from rapport.mail.models import EmailAttachment, EmailMessage
from rapport.timeline.models import Activity, TimelineEntry

from ..factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOUND = "/api/v1/inbound-email"
INCOMING = reverse("mail:incoming")
PDF = b"%PDF-1.4\n% a quote\n" + bytes(range(256)) * 4


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list[Path]:
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


@pytest.fixture
def acme(rep):
    return AccountFactory(owner=rep, name="Acme Trading")


@pytest.fixture
def lin(rep, acme):
    return ContactFactory(owner=rep, account=acme, full_name="Lin Qing", email="lin@acme.example")


@pytest.fixture
def zhou(rep, acme):
    # Matched by the other address, written in another case.
    return ContactFactory(owner=rep, account=acme, full_name="Zhou Min", email="zhou.old@acme.example",
                          other_email="Zhou@Acme.example")


@pytest.fixture
def globex(other_rep):
    return AccountFactory(owner=other_rep, name="Globex")


@pytest.fixture
def kim(other_rep, globex):
    return ContactFactory(owner=other_rep, account=globex, full_name="Kim Park", email="kim@globex.example")


@pytest.fixture
def outsider(rep_role):
    return UserFactory(username="outsider", display_name="Olga Outsider", role=rep_role)


def raw_email(*, sender="Lin Qing <lin@acme.example>", to=("Ray Rep <rep1@example.com>",), cc=(),
              subject="Quote for 200 chairs", body="Please send the quote.\nThanks, Lin", html=None,
              message_id="<quote-1@acme.example>", in_reply_to=None, references=None, attachments=(),
              date=None) -> bytes:
    message = MimeMessage()
    message["From"] = sender
    if to:
        message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(date or timezone.now())
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=policy.SMTP)


class Inbound:
    """Delivering raw messages to the API the way a mail server's pipe script would: with an inbound-mail token
    an administrator made for `user` — or, `as_person`, with the user's own API token."""

    def __init__(self, user, *, as_person: bool = False):
        self.client = Client()
        if as_person:
            _token, self.token = token_create(actor=user, user=user, name="my script")
        else:
            _token, self.token = token_create(actor=UserFactory(is_superuser=True), user=user, name="mail server",
                                              purpose=ApiToken.Purpose.INBOUND_MAIL)

    def post(self, raw: bytes, content_type: str = "message/rfc822"):
        return self.client.post(INBOUND, raw, content_type=content_type,
                                headers={"Authorization": f"Bearer {self.token}"})


def counts() -> tuple[int, ...]:
    return (EmailMessage.objects.count(), EmailAttachment.objects.count(), Activity.objects.count(),
            TimelineEntry.objects.count())


def entries(**where) -> list[TimelineEntry]:
    return list(TimelineEntry.objects.filter(kind__startswith="email.", **where))


# --- sending -----------------------------------------------------------------------------------


def test_sending_from_the_contact_page_delivers_the_mail_and_logs_it(rep_client, rep, lin, acme, smtp_server,
                                                                       settings):
    settings.SITE_URL = "https://crm.example.com"
    page = rep_client.get(lin.get_absolute_url()).content.decode()
    assert 'id="send-email"' in page and "Send email" in page

    response = rep_client.post(reverse("mail:compose", args=[lin.pk]), {
        "subject": "Your quote", "body": "Dear Lin,\nthe quote is below: 200 chairs, ¥40,000.",
        "cc": "buyer@acme.example"})

    assert response.status_code == 302 and response.url == lin.get_absolute_url()
    [message] = smtp_server.messages
    assert message["To"] == "Lin Qing <lin@acme.example>"
    assert message["Cc"] == "buyer@acme.example"
    assert message["From"] == "Ray Rep <rep1@example.com>"
    assert message["Subject"] == "Your quote"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # CRLF on the wire
    assert text.strip() == "Dear Lin,\nthe quote is below: 200 chairs, ¥40,000."
    assert message["In-Reply-To"] is None
    stored = EmailMessage.objects.get()
    assert message["Message-ID"] == stored.message_id
    assert stored.message_id.startswith("<") and stored.message_id.endswith("@crm.example.com>")
    assert (stored.direction, stored.thread_key, stored.received_by) == ("out", stored.message_id, rep)
    activity = stored.activities.get()
    assert (activity.kind, activity.owner, activity.contact, activity.account) == ("email", rep, lin, acme)
    [entry] = entries()
    assert (entry.kind, entry.contact, entry.account, entry.actor) == ("email.out", lin, acme, rep)
    assert entry.url == reverse("mail:detail", args=[stored.pk])
    assert "Your quote" in rep_client.get(lin.get_absolute_url()).content.decode()
    assert "Your quote" in rep_client.get(acme.get_absolute_url()).content.decode()


def test_one_to_one_mail_needs_no_marketing_consent_but_an_address_and_a_visible_contact(
        rep_client, rep, lin, kim, smtp_server):
    assert lin.marketing_consent is False
    no_address = ContactFactory(owner=rep, full_name="Mute Person", email="")

    sent = rep_client.post(reverse("mail:compose", args=[lin.pk]), {"subject": "Hi", "body": "Hello"})
    refused = rep_client.post(reverse("mail:compose", args=[no_address.pk]),
                              {"subject": "Hi", "body": "Hello"})
    hidden = rep_client.post(reverse("mail:compose", args=[kim.pk]), {"subject": "Hi", "body": "Hello"})

    assert sent.status_code == 302
    assert refused.status_code == 422
    assert "has no valid email address" in refused.content.decode()
    assert hidden.status_code == 404
    assert len(smtp_server.messages) == 1 and EmailMessage.objects.count() == 1
    assert "has no email address yet" in rep_client.get(no_address.get_absolute_url()).content.decode()


def test_a_refusing_mail_server_stores_nothing(rep_client, lin, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 2}}}
    before = counts()

    response = rep_client.post(reverse("mail:compose", args=[lin.pk]), {"subject": "Hi", "body": "Hello"})

    assert response.status_code == 422
    assert "The mail server did not accept the message, so nothing was sent" in response.content.decode()
    assert counts() == before


def test_replies_continue_the_thread_both_ways(rep_client, rep, lin, smtp_server):
    first, _created = mail.email_receive(raw=raw_email(
        message_id="<quote-1@acme.example>", date=timezone.now() - timezone.timedelta(hours=3)), received_by=rep)
    form = rep_client.get(reverse("mail:compose", args=[lin.pk]), {"reply_to": first.pk}).content.decode()
    assert 'value="Re: Quote for 200 chairs"' in form and "&gt; Please send the quote." in form

    rep_client.post(reverse("mail:compose", args=[lin.pk]), {
        "subject": "Re: Quote for 200 chairs", "body": "Here it is.", "reply_to": first.pk})

    [reply_message] = smtp_server.messages
    reply = EmailMessage.objects.get(direction="out")
    assert reply_message["In-Reply-To"] == "<quote-1@acme.example>"
    assert reply_message["References"] == "<quote-1@acme.example>"
    assert (reply.in_reply_to, reply.thread_key) == ("<quote-1@acme.example>", "<quote-1@acme.example>")

    answer, _created = mail.email_receive(raw=raw_email(
        subject="Re: Re: Quote for 200 chairs", body="Thanks, ordered.", message_id="<quote-3@acme.example>",
        in_reply_to=reply.message_id, references=f"<quote-1@acme.example> {reply.message_id}",
        date=timezone.now() - timezone.timedelta(minutes=1)), received_by=rep)  # the customer's clock is late
    assert answer.thread_key == "<quote-1@acme.example>"
    rep_client.post(reverse("mail:compose", args=[lin.pk]), {
        "subject": "Re: Quote for 200 chairs", "body": "Thank you!", "reply_to": answer.pk})

    second_reply = smtp_server.messages[1]
    assert second_reply["In-Reply-To"] == "<quote-3@acme.example>"
    assert second_reply["References"].split() == ["<quote-1@acme.example>", reply.message_id,
                                                  "<quote-3@acme.example>"]
    assert set(EmailMessage.objects.values_list("thread_key", flat=True)) == {"<quote-1@acme.example>"}
    page = rep_client.get(reverse("mail:detail", args=[answer.pk])).content.decode()
    assert page.count("Quote for 200 chairs</a>") + page.count("Quote for 200 chairs</strong>") == 4
    assert f"?reply_to={answer.pk}" in page


# --- receiving through the API -----------------------------------------------------------------


def test_inbound_message_lands_once_on_each_matched_contact_and_account(rep, other_rep, lin, zhou, kim, acme,
                                                                          globex, media_root):
    gone = ContactFactory(owner=rep, account=acme, email="gone@acme.example", deleted_at=timezone.now())
    raw = raw_email(to=("Ray Rep <REP1@example.com>", "kim@globex.example"),
                    cc=("ZHOU@acme.example", "gone@acme.example"),
                    attachments=[("quote.pdf", "application/pdf", PDF)])

    response = Inbound(rep).post(raw)

    assert response.status_code == 201, response.content
    body = response.json()
    stored = EmailMessage.objects.get()
    assert body == {"id": stored.pk, "message_id": "<quote-1@acme.example>", "created": True, "direction": "in",
                    "contacts": 3, "thread_key": "<quote-1@acme.example>"}
    assert stored.received_by == rep
    assert stored.from_address == "Lin Qing <lin@acme.example>"
    assert stored.to_addresses == ["Ray Rep <REP1@example.com>", "kim@globex.example"]
    assert stored.cc_addresses == ["ZHOU@acme.example", "gone@acme.example"]
    assert stored.body_text.strip() == "Please send the quote.\nThanks, Lin"
    assert {activity.contact for activity in stored.activities.all()} == {lin, zhou, kim}
    for contact in (lin, zhou, kim):
        [entry] = entries(contact=contact)
        assert (entry.kind, entry.title, entry.actor) == ("email.in", "Quote for 200 chairs", rep)
    assert len(entries(account=acme)) == 1
    assert len(entries(account=globex)) == 1
    assert entries(contact=gone) == []
    [attachment] = stored.attachments.all()
    assert (attachment.filename, attachment.content_type, attachment.size) == ("quote.pdf", "application/pdf",
                                                                               len(PDF))
    [path] = stored_files(media_root)
    assert path.read_bytes() == PDF and path.suffix == ""  # kept under a random name that nothing runs


def test_a_person_filing_a_message_reaches_only_the_customers_they_see_and_learns_of_no_other(rep, lin, kim,
                                                                                                globex):
    raw = raw_email(to=("lin@acme.example", "kim@globex.example", "nobody@nowhere.example"))

    response = Inbound(rep, as_person=True).post(raw)

    assert response.status_code == 201 and response.json()["contacts"] == 1
    assert {activity.contact for activity in EmailMessage.objects.get().activities.all()} == {lin}
    assert entries(contact=kim) == [] and entries(account=globex) == []
    # Delivered again later by the mail server, the stored message changes nothing; the person, asking
    # again, still hears only of what they see.
    assert Inbound(rep).post(raw).json()["contacts"] == 1
    assert Inbound(rep, as_person=True).post(raw).json()["contacts"] == 1


def test_the_mail_servers_token_delivers_mail_and_does_nothing_else(rep, lin, kim):
    server = Inbound(rep)
    assert server.post(raw_email(to=("lin@acme.example", "kim@globex.example"))).json()["contacts"] == 2
    for path in ("/api/v1/accounts", "/api/v1/contacts", "/api/v1/search?q=kim", "/api/v1/users"):
        assert server.client.get(path, headers={"Authorization": f"Bearer {server.token}"}).status_code == 401


def test_only_an_administrator_makes_an_inbound_mail_token(rep, other_rep):
    from rapport.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_create(actor=rep, user=rep, name="my mail", purpose=ApiToken.Purpose.INBOUND_MAIL)
    assert not ApiToken.objects.filter(purpose=ApiToken.Purpose.INBOUND_MAIL).exists()


def test_attachments_download_only_for_people_who_see_the_email(client, rep, other_rep, outsider, lin, kim):
    Inbound(rep).post(raw_email(to=("kim@globex.example",), attachments=[("quote.pdf", "application/pdf", PDF)]))
    attachment = EmailAttachment.objects.get()
    url = reverse("mail:attachment", args=[attachment.pk])

    for person in (rep, other_rep):  # who received it; who owns one of its contacts
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="quote.pdf"'
        assert response["Content-Type"] == "application/octet-stream"
        assert b"".join(response.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("mail:detail", args=[attachment.email_id])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_attachment_names_are_made_safe(rep, lin, media_root):
    raw = raw_email(attachments=[("..\\..\\invoice\u202efdp.exe", "application/octet-stream", b"MZ"),
                                 ("", "image/png", b"\x89PNG")])

    email, _created = mail.email_receive(raw=raw, received_by=rep)

    assert sorted(email.attachments.values_list("filename", flat=True)) == ["attachment.png", "invoicefdp.exe"]
    for path in stored_files(media_root):
        assert path.is_relative_to(Path(media_root) / "email-attachments")


def test_delivering_the_same_message_again_changes_nothing(rep, lin, media_root):
    inbound = Inbound(rep)
    raw = raw_email(attachments=[("quote.pdf", "application/pdf", PDF)])
    first = inbound.post(raw)
    before = counts()

    again = inbound.post(raw)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["created"] is False
    assert counts() == before
    assert len(stored_files(media_root)) == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_deliveries_of_one_message_store_it_once(rep_role, media_root):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite shares one cache: a second writer fails at once instead of waiting "
                    "(set SQLITE_TEST_PATH to run this on SQLite)")
    rep = UserFactory(username="rep1", role=rep_role)
    ContactFactory(owner=rep, email="lin@acme.example")
    outcomes, start = [], threading.Barrier(4)

    def deliver():
        try:
            start.wait()
            outcomes.append(mail.email_receive(raw=raw_email(), received_by=rep)[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False, False, False, True]
    assert (EmailMessage.objects.count(), len(entries())) == (1, 1)


def test_mail_from_my_own_address_is_logged_as_sent_by_me(rep, lin):
    raw = raw_email(sender="Ray Rep <rep1@example.com>", to=("Lin Qing <lin@acme.example>",),
                    message_id="<sent-from-outlook@example.com>")

    response = Inbound(rep).post(raw)

    assert response.json()["direction"] == "out"
    [entry] = entries()
    assert (entry.kind, entry.contact, entry.actor) == ("email.out", lin, rep)


def test_a_message_larger_than_the_form_limit_is_still_accepted(rep, lin, media_root):
    big = bytes(range(256)) * (3 * 4096)  # 3 MB: above Django's 2.5 MB in-memory limit for forms

    response = Inbound(rep).post(raw_email(attachments=[("catalogue.bin", "application/octet-stream", big)]))

    assert response.status_code == 201
    assert EmailAttachment.objects.get().size == len(big)


def test_the_api_wants_a_token_or_a_session(client, lin):
    response = client.post(INBOUND, raw_email(), content_type="message/rfc822")
    assert response.status_code == 401
    assert EmailMessage.objects.count() == 0


def test_someone_who_may_not_log_activities_cannot_deliver_mail(marketer, lin):
    response = Inbound(marketer).post(raw_email())  # marketers here may only view and export

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert counts() == (0, 0, 0, 0)


# --- malformed messages ------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "content_type", "status", "message"), [
    (b"", "message/rfc822", 422, "The message is empty."),
    (b"  \r\n\r\n", "message/rfc822", 422, "The message is empty."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "message/rfc822", 422,
     "This is not an email message (RFC 5322): it has no header lines."),
    (b"Hello,\nthis is just a note, not an email.\n", "message/rfc822", 422,
     "This is not an email message (RFC 5322): it has no header lines."),
    (b"To: rep1@example.com\nSubject: Who sent this?\n\nbody", "message/rfc822", 422,
     "The message has no sender (From header)."),
    (b"From: somebody\nSubject: Hi\n\nbody", "message/rfc822", 422,
     "The sender (From header) is not a valid email address."),
    (b"From: =?utf---8?b?5byg5Lyf?= <d@\r\n\r\nbody", "message/rfc822", 422,  # the strict parser crashes on it
     "The sender (From header) is not a valid email address."),
    (raw_email(), "text/plain", 415, "Send the raw email message with Content-Type: message/rfc822."),
    (raw_email(), "application/json", 415, "Send the raw email message with Content-Type: message/rfc822."),
])
def test_malformed_messages_are_refused_clearly_and_change_nothing(rep, lin, media_root, raw, content_type,
                                                                     status, message):
    before = counts()

    response = Inbound(rep).post(raw, content_type=content_type)

    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == ("invalid" if status == 422 else "unsupported_media_type")
    assert message in (error["fields"].get("message", []) + [error["message"]])
    assert counts() == before
    assert stored_files(media_root) == []


def _nested_multipart(depth: int) -> bytes:
    opening = b"".join(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
                       for level in range(depth))
    closing = b"".join(b"\r\n--b%d--\r\n" % level for level in reversed(range(depth)))
    return b"From: Lin Qing <lin@acme.example>\r\nMIME-Version: 1.0\r\n" + opening + b"text\r\n" + closing


# The cases schemathesis cannot generate for message/rfc822 (.ci/api-fuzz leaves this operation out).
HOSTILE_MESSAGES = {
    "nested 2,000 multiparts deep": _nested_multipart(2000),
    "50,000 header lines": b"From: lin@acme.example\r\n" + b"X-Junk: a\r\n" * 50_000 + b"\r\nbody",
    "a 1 MB header line": b"From: lin@acme.example\r\nSubject: " + b"A" * 1_000_000 + b"\r\n\r\nbody",
    "NUL and control bytes in headers": b"From: lin@acme.example\x00\x01\r\nSubject: \x00\x1b[31m\r\n\r\nbody",
    "a header folded into an injected one": b"From: lin@acme.example\r\nSubject: hi\r\n\tBcc: all@x\r\n\r\nb",
    "a base64 part that is not base64": b"From: lin@acme.example\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@=",
    "an unknown charset": b"From: lin@acme.example\r\nContent-Type: text/plain; charset=x-nothing\r\n\r\n\xff",
    "a boundary that never closes": b"From: lin@acme.example\r\nContent-Type: multipart/mixed; boundary=z\r\n"
                                    b"\r\n--z\r\nContent-Type: text/plain\r\n\r\nopen",
}


@pytest.mark.parametrize("name", HOSTILE_MESSAGES)
def test_hostile_messages_get_a_declared_answer_and_never_a_server_error(client, rep, lin, media_root, name):
    declared = client.get("/api/v1/openapi.json").json()["paths"][INBOUND]["post"]["responses"]

    response = Inbound(rep).post(HOSTILE_MESSAGES[name])

    assert str(response.status_code) in declared and response.status_code < 500, (name, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()["error"]) >= {"code", "message", "fields"}
    if name == "nested 2,000 multiparts deep":
        assert response.json()["error"]["fields"]["message"] == [
            "This email message nests its parts too deeply to be read."]


def test_headers_the_strict_parser_gives_up_on_still_yield_their_addresses(rep, lin, kim):
    raw = (b"From: Lin Qing <lin@acme.example>\r\nTo: kim@globex.example, <\r\nMessage-ID: <broken@\r\n"
           b"Subject: Half a header\r\n\r\nStill worth keeping.\r\n")

    email, created = mail.email_receive(raw=raw, received_by=mail.MailServer(rep))

    assert created and email.to_addresses == ["kim@globex.example"]
    assert {activity.contact for activity in email.activities.all()} == {lin, kim}
    again = mail.email_receive(raw=raw, received_by=mail.MailServer(rep))
    assert again == (email, False)  # its made-up Message-ID is stable


def test_an_oversized_message_is_refused(rep, lin, settings, media_root):
    settings.INBOUND_EMAIL_MAX_BYTES = 4000
    before = counts()

    response = Inbound(rep).post(raw_email(attachments=[("big.bin", "application/octet-stream", b"x" * 5000)]))

    assert response.status_code == 422
    assert response.json()["error"]["fields"]["message"] == ["The message is larger than 3.9\xa0KB."]
    assert counts() == before and stored_files(media_root) == []


def test_a_failure_half_way_leaves_no_rows_and_no_files(rep, lin, media_root, monkeypatch):
    def broken(entries):
        raise RuntimeError("the timeline is down")

    monkeypatch.setattr(mail, "record_events", broken)

    with pytest.raises(RuntimeError):
        mail.email_receive(raw=raw_email(attachments=[("quote.pdf", "application/pdf", PDF)]), received_by=rep)

    assert counts() == (0, 0, 0, 0)
    assert stored_files(media_root) == []


# --- the .eml upload page ----------------------------------------------------------------------


def test_uploading_an_eml_file(rep_client, rep, lin, acme):
    page = rep_client.get(reverse("timeline:inbox")).content.decode()
    assert f'href="{INCOMING}"' in page
    raw = raw_email(attachments=[("quote.pdf", "application/pdf", PDF)])

    response = rep_client.post(INCOMING, {"message": SimpleUploadedFile("quote.eml", raw, "message/rfc822")},
                               follow=True)

    stored = EmailMessage.objects.get()
    assert response.redirect_chain[-1][0] == reverse("mail:detail", args=[stored.pk])
    html = response.content.decode()
    assert "Quote for 200 chairs" in html and "Please send the quote." in html
    assert reverse("mail:attachment", args=[stored.attachments.get().pk]) in html
    assert stored.received_by == rep
    assert len(entries(contact=lin)) == 1 and len(entries(account=acme)) == 1


def test_uploading_junk_shows_the_error_and_stores_nothing(rep_client, media_root):
    response = rep_client.post(INCOMING, {"message": SimpleUploadedFile("photo.eml", b"\x89PNG\r\n\x1a\n\x00junk")})

    assert response.status_code == 422
    assert "This is not an email message (RFC 5322): it has no header lines." in response.content.decode()
    assert counts() == (0, 0, 0, 0) and stored_files(media_root) == []


# --- unmatched mail ----------------------------------------------------------------------------


def stranger_email(number: int, **extra) -> bytes:
    return raw_email(sender=f"Stranger {number} <stranger{number}@nowhere.example>", subject=f"Enquiry {number}",
                     message_id=f"<enquiry-{number}@nowhere.example>", **extra)


def test_unmatched_mail_is_listed_for_its_recipient_and_filed_on_a_contact(client, rep, other_rep, admin_user, lin,
                                                                           kim, acme):
    email, _created = mail.email_receive(raw=stranger_email(1), received_by=rep)
    assert email.activities.count() == 0 and entries() == []

    for person, listed in ((rep, True), (other_rep, False), (admin_user, True)):
        client.force_login(person)
        assert ("Enquiry 1" in client.get(INCOMING).content.decode()) is listed
    client.force_login(other_rep)
    assert client.post(reverse("mail:file", args=[email.pk]), {"contact": kim.pk}).status_code == 404

    client.force_login(rep)
    hidden = client.post(reverse("mail:file", args=[email.pk]), {"contact": kim.pk}, follow=True)
    assert "Choose a contact you can see." in hidden.content.decode()
    assert email.activities.count() == 0

    filed = client.post(reverse("mail:file", args=[email.pk]), {"contact": lin.pk}, follow=True)

    assert "The email is filed on Lin Qing" in filed.content.decode()
    assert "Enquiry 1" not in filed.content.decode().split('id="unfiled"')[-1]
    email.refresh_from_db()
    assert email.filed_at is not None
    [activity] = email.activities.all()
    assert (activity.contact, activity.account, activity.kind, activity.owner) == (lin, acme, "email", rep)
    [entry] = entries(contact=lin)
    assert (entry.kind, entry.account) == ("email.in", acme)
    again = client.post(reverse("mail:file", args=[email.pk]), {"contact": lin.pk}, follow=True)
    assert "This email is already filed." in again.content.decode()
    assert email.activities.count() == 1


def test_discarding_unmatched_mail_removes_it_and_its_files(rep_client, rep, media_root,
                                                            django_capture_on_commit_callbacks):
    email, _created = mail.email_receive(
        raw=stranger_email(2, attachments=[("spam.zip", "application/zip", b"PK\x03\x04")]), received_by=rep)
    assert len(stored_files(media_root)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = rep_client.post(reverse("mail:discard", args=[email.pk]))

    assert response.status_code == 302
    assert counts() == (0, 0, 0, 0)
    assert stored_files(media_root) == []


def test_the_unmatched_list_costs_the_same_queries_for_many_rows(rep_client, rep):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert rep_client.get(INCOMING).status_code == 200
        return len(captured.captured_queries)

    for number in range(2):
        mail.email_receive(raw=stranger_email(number, attachments=[("a.txt", "text/plain", b"a")]), received_by=rep)
    queries()  # the first request works out the rep's grants; later ones remember them
    few = queries()
    for number in range(2, 14):
        mail.email_receive(raw=stranger_email(number, attachments=[("a.txt", "text/plain", b"a")]), received_by=rep)
    page = rep_client.get(INCOMING).content.decode()

    assert queries() == few
    assert page.count('class="file-email"') == 14


def test_a_forged_page_link_on_the_unmatched_list_is_refused_clearly(rep_client):
    response = rep_client.get(INCOMING, {"cursor": "not-a-cursor"})

    assert response.status_code == 400
    assert "This page link is not valid." in response.content.decode()


def test_the_contact_picker_finds_only_contacts_i_can_see(rep_client, lin, kim):
    lookup = reverse("records:lookup", args=["contact"])

    assert f'data-pick-id="{lin.pk}"' in rep_client.get(lookup, {"q": "lin@acme"}).content.decode()
    assert "No match." in rep_client.get(lookup, {"q": "Kim"}).content.decode()


# --- content -----------------------------------------------------------------------------------


def encoded_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode('gb18030' if charset == 'gb2312' else charset)).decode()}?="


def test_chinese_subjects_names_bodies_and_file_names_are_decoded(rep, media_root):
    zhang = ContactFactory(owner=rep, full_name="张伟", email="zhang.wei@huawei.example")
    # 镕 is not in GB2312, yet mailers label such GBK text "gb2312".
    subject = "关于朱镕基路项目的报价单"
    body = "张经理您好：\n附件是报价单，请查收。"
    raw = (
        f"From: {encoded_word('张伟', 'utf-8')} <zhang.wei@huawei.example>\r\n"
        f"To: {encoded_word('雷代表', 'gb2312')} <rep1@example.com>\r\n"
        f"Subject: {encoded_word(subject, 'gb2312')}\r\n"
        "Message-ID: <cn-1@huawei.example>\r\n"
        "Date: Mon, 04 May 2026 10:00:00 +0800\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n'
        "\r\n"
        "--b1\r\n"
        'Content-Type: text/plain; charset="gb2312"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        f"{base64.b64encode(body.encode('gbk')).decode()}\r\n"
        "--b1\r\n"
        "Content-Type: application/pdf\r\n"
        "Content-Disposition: attachment; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n"
        f"{base64.b64encode(PDF).decode()}\r\n"
        "--b1--\r\n"
    ).encode("ascii")

    email, _created = mail.email_receive(raw=raw, received_by=rep)

    assert email.subject == subject
    assert email.body_text.strip() == body
    assert email.from_address == "张伟 <zhang.wei@huawei.example>"
    assert email.to_addresses == ["雷代表 <rep1@example.com>"]
    assert email.attachments.get().filename == "报价单.pdf"
    [entry] = entries(contact=zhang)
    assert entry.title == subject


@pytest.mark.parametrize("charset", ["utf-8", "gbk"])
def test_unencoded_chinese_header_lines_are_read(rep, charset):
    zhang = ContactFactory(owner=rep, full_name="张伟", email="zhang.wei@huawei.example")
    raw = ("From: 张伟 <zhang.wei@huawei.example>\r\nTo: rep1@example.com\r\nSubject: 合同已签\r\n"
           f'Content-Type: text/plain; charset="{charset}"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
           "合同已签，谢谢！\r\n").encode(charset)

    email, _created = mail.email_receive(raw=raw, received_by=rep)

    assert (email.subject, email.from_address) == ("合同已签", "张伟 <zhang.wei@huawei.example>")
    assert email.body_text.strip() == "合同已签，谢谢！"
    assert email.message_id.endswith("@rapport.invalid>")  # none given: made from the content, stable
    assert mail.email_receive(raw=raw, received_by=rep) == (email, False)
    assert len(entries(contact=zhang)) == 1


def test_an_html_only_message_is_kept_as_readable_text(rep, lin):
    html = ("<html><head><title>Newsletter</title><style>p {color: red}</style></head><body>"
            "<p>Dear Ray,</p><p>Our order:&nbsp;<b>200</b> chairs &amp; 20 tables.</p>"
            "<script>alert('x')</script><ul><li>Delivery: June</li></ul></body></html>")
    message = MimeMessage()
    message["From"], message["To"], message["Subject"] = "lin@acme.example", "rep1@example.com", "Order"
    message.set_content(html, subtype="html")

    email, _created = mail.email_receive(raw=message.as_bytes(), received_by=rep)

    assert email.body_text == "Dear Ray,\n\nOur order: 200 chairs & 20 tables.\n\nDelivery: June"
    assert email.attachments.count() == 0


def test_the_plain_text_alternative_is_preferred_and_the_html_twin_is_not_an_attachment(rep, lin):
    email, _created = mail.email_receive(raw=raw_email(body="Plain words", html="<p>Rich <b>words</b></p>"),
                                         received_by=rep)

    assert email.body_text.strip() == "Plain words"
    assert email.attachments.count() == 0
