"""Email on the timeline: sending to a contact, receiving raw messages, filing the ones no contact matched.

One set of functions for the contact page, the .eml upload page, the inbound-email API and the tests.
A message is stored once (by Message-ID); each matched contact gets an email activity and one
timeline line, and each account shows the message once however many of its people it reached.
"""

import contextlib
import hashlib
import mimetypes
import re
import smtplib
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.errors import MessageError
from email.headerregistry import Address
from email.message import Message
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, make_msgid
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage as OutgoingMessage
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport import access
from rapport.audit import history
from rapport.audit.history import ChangeAction
from rapport.core.errors import InvalidInput, NotFound, Refused
from rapport.customers.models import Contact
from rapport.directory.models import User

from .events import department_of, record_events
from .models import Activity, ActivityKind, EmailAttachment, EmailDirection, EmailMessage

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
MAX_ATTACHMENTS = 100
MAX_ADDRESSES = 500  # per header; a message "to" more people than this is a mailing, not a conversation
MAX_BODY_CHARS = 1_000_000
MAX_REFERENCES = 20
SUBJECT_MAX = 300
# GB2312 mail often carries GBK characters (e.g. 镕); GB18030 decodes GB2312 and GBK alike.
WIDER_CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030", "cp936": "gb18030"}
_WIDER_ENCODED_WORD = re.compile(rb"=\?(?:gb2312|gbk|x-gbk|euc-cn|cp936)\?", re.IGNORECASE)
_MIME_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,48}/[a-z0-9][a-z0-9!#$&^_.+-]{0,48}")
_MESSAGE_ID = re.compile(r"<[!-;=?-~]{1,298}>")  # printable ASCII but "<" and ">"
# The standard library's parser is lenient, but some malformed headers still make it raise these
# (AttributeError included: "To: a <b@[" does it on CPython 3.12).
PARSER_ERRORS = (ValueError, TypeError, IndexError, LookupError, AttributeError, OverflowError, MessageError)
_UNSAFE_IN_FILENAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def max_message_bytes() -> int:
    return int(getattr(settings, "INBOUND_EMAIL_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_attachment_bytes() -> int:
    return int(getattr(settings, "INBOUND_EMAIL_ATTACHMENT_MAX_BYTES", max_message_bytes()))


def message_id_domain() -> str:
    """The right-hand side of the Message-IDs we generate: EMAIL_MESSAGE_ID_DOMAIN, else SITE_URL's host."""
    configured = getattr(settings, "EMAIL_MESSAGE_ID_DOMAIN", "")
    return configured or urlsplit(settings.SITE_URL).hostname or "localhost"


# --- reading -----------------------------------------------------------------------------------


def email_visible(actor, email: EmailMessage) -> bool:
    """Who may read a stored message: whoever received it, administrators, and whoever sees one of its activities."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser or email.received_by_id == actor.pk:
        return True
    return access.visible_to(actor, Activity.objects.filter(emails=email)).exists()


def may_handle_unfiled(actor, email: EmailMessage) -> bool:
    """Filing or discarding a message nobody matched: the person it was delivered to, or an administrator."""
    return actor.is_authenticated and actor.is_active and (actor.is_superuser or email.received_by_id == actor.pk)


def email_get(*, actor, email_id) -> EmailMessage:
    try:
        email_id = int(email_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    email = EmailMessage.objects.select_related("received_by").filter(pk=email_id).first()
    if email is None or not email_visible(actor, email):
        raise NotFound()
    return email


def attachment_get(*, actor, attachment_id) -> EmailAttachment:
    """An attachment of a message the actor may read; NotFound otherwise, so its existence does not leak."""
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    attachment = EmailAttachment.objects.select_related("email").filter(pk=attachment_id).first()
    if attachment is None or not email_visible(actor, attachment.email):
        raise NotFound()
    return attachment


def email_thread(*, actor, email: EmailMessage, limit: int = 100) -> list[EmailMessage]:
    """The messages of `email`'s thread that the actor may read, oldest first."""
    thread = EmailMessage.objects.filter(thread_key=email.thread_key)
    if not actor.is_superuser:
        visible = access.visible_to(actor, Activity.objects.filter(emails=OuterRef("pk")))
        thread = thread.filter(Q(received_by=actor) | Exists(visible))
    return list(thread.order_by("sent_at", "id")[:limit])


def email_activities(*, actor, email: EmailMessage) -> list[Activity]:
    """The email's activities the actor may see, with their contacts: whom the message is filed on."""
    return list(access.visible_to(actor, email.activities.all()).select_related("contact", "account")
                .order_by("contact__full_name", "id"))


def email_unfiled_list(*, actor) -> QuerySet[EmailMessage]:
    """Stored messages with no activity yet: the actor's own deliveries and uploads; administrators see all."""
    filed = EmailMessage.activities.through.objects.filter(emailmessage_id=OuterRef("pk"))
    emails = EmailMessage.objects.filter(~Exists(filed))
    if not actor.is_superuser:
        emails = emails.filter(received_by=actor)
    return emails.select_related("received_by").prefetch_related("attachments")


def contact_lookup(*, actor, text: str, limit: int = 10) -> list[Contact]:
    """Contacts whose name or email contains `text`, for the filing picker."""
    text = text.strip()
    if not text:
        return []
    contacts = access.visible_to(actor, Contact.objects.all())
    return list(contacts.filter(Q(full_name__icontains=text) | Q(email__icontains=text)
                                | Q(other_email__icontains=text))
                .select_related("account").order_by("full_name", "id")[:limit])


# --- sending -----------------------------------------------------------------------------------


def email_send(*, actor, contact: Contact, subject: str, body: str, cc: list[str] | tuple = (),
               reply_to: EmailMessage | None = None) -> EmailMessage:
    """Write to one contact through the configured mail server and log it on their timeline.

    One-to-one mail needs no marketing consent. A reply carries In-Reply-To/References of the
    message it answers and stays in its thread. Nothing is stored when the server refuses.
    """
    if contact.is_deleted:
        raise NotFound()
    access.require(actor, "customers.view", contact, hide=True)
    access.require(actor, "timeline.create")
    subject = " ".join((subject or "").split())  # one line: a header cannot carry a newline
    body = (body or "").replace("\r\n", "\n").rstrip()  # browsers send CRLF; the mail backend adds its own
    cc = [address.strip() for address in cc if address.strip()]
    errors: dict[str, list[str]] = {}
    to = _address_of(contact.full_name, contact.email) if contact.email else None
    if to is None:
        errors["to"] = [_("This person has no valid email address. Add one to their record first.")]
    if not subject:
        errors["subject"] = [_("Write a subject.")]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [_("At most %(limit)d characters.") % {"limit": SUBJECT_MAX}]
    if not body.strip():
        errors["body"] = [_("Write a message.")]
    for address in cc:
        try:
            validate_email(address)
        except ValidationError:
            errors.setdefault("cc", []).append(_("%(address)s is not an email address.") % {"address": address})
    if reply_to is not None and not email_visible(actor, reply_to):
        errors["reply_to"] = [_("You cannot reply to this message.")]
    if errors:
        raise InvalidInput(fields=errors)

    sent_at = timezone.now()
    message_id = make_msgid(domain=message_id_domain())
    headers = {"Message-ID": message_id, "Date": format_datetime(sent_at)}
    thread_key, in_reply_to = message_id, ""
    if reply_to is not None:
        thread_key, in_reply_to = reply_to.thread_key or reply_to.message_id, reply_to.message_id
        headers["In-Reply-To"] = in_reply_to
        headers["References"] = " ".join(_references_for(reply_to))
    sender = _sender_of(actor)
    outgoing = OutgoingMessage(subject=subject, body=body, from_email=sender, to=[to], cc=cc, headers=headers)
    # Sent before anything is stored, outside the transaction: no database lock is held while the
    # mail server answers, and a refused message leaves no trace on the timeline.
    try:
        outgoing.send()
    except (smtplib.SMTPException, OSError) as error:
        raise Refused(_("The mail server did not accept the message, so nothing was sent: %(reason)s")
                      % {"reason": error}) from error
    with transaction.atomic():
        email = EmailMessage.objects.create(
            direction=EmailDirection.OUTBOUND, message_id=message_id, in_reply_to=in_reply_to,
            thread_key=thread_key, subject=subject, from_address=sender[:300], to_addresses=[to],
            cc_addresses=cc, sent_at=sent_at, body_text=body, received_by=actor,
        )
        _log_on_timelines(email=email, contacts=[contact], owner=actor)
    return email


def _address_of(name: str, address: str) -> str | None:
    try:
        validate_email(address)
        return str(Address(display_name=name or "", addr_spec=address))
    except (ValidationError, ValueError, IndexError, MessageError):
        return None


def _sender_of(actor) -> str:
    """Mail goes out in the user's own name, so the customer's reply reaches them."""
    return (_address_of(str(actor), actor.email) if actor.email else None) or settings.DEFAULT_FROM_EMAIL


def _references_for(parent: EmailMessage) -> list[str]:
    """RFC 5322 References of a reply: the parent's ancestry (following In-Reply-To), rooted at the thread key.

    Ancestry rather than send times, so a sender's wrong clock cannot reorder the chain.
    """
    chain, current = [parent.message_id], parent
    while current.in_reply_to and current.in_reply_to not in chain and len(chain) < MAX_REFERENCES - 1:
        chain.insert(0, current.in_reply_to)
        current = EmailMessage.objects.filter(message_id=current.in_reply_to).only(
            "message_id", "in_reply_to").first()
        if current is None:
            break
    if parent.thread_key and parent.thread_key not in chain:
        chain.insert(0, parent.thread_key)
    return chain


# --- receiving ---------------------------------------------------------------------------------


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class ParsedEmail:
    message_id: str
    in_reply_to: str
    references: list[str]
    subject: str
    sender: str  # the From address, lower-case
    from_address: str  # as displayed: "Name <address>"
    to: list[str]
    cc: list[str]
    addresses: set[str]  # every From/To/Cc address, lower-case
    sent_at: datetime
    body: str
    attachments: list[ParsedAttachment] = field(default_factory=list)


@dataclass(frozen=True)
class MailServer:
    """A mail server delivering messages with an inbound-mail token, in the name of the token's user."""

    user: User


def email_receive(*, raw: bytes, received_by, by_mail_server: bool = False) -> tuple[EmailMessage, bool]:
    """Store a raw RFC 5322 message and put it on the timelines of the contacts it involves.

    Returns the message and whether it is new: a message already stored (same Message-ID) is
    returned as it is. Addresses of Rapport users are not matched as contacts; a message sent from
    `received_by`'s own address is logged as sent by them. A message a person files is matched only to
    the contacts they may see; one a mail server delivers, to every contact. Malformed input raises
    InvalidInput before anything is written.
    """
    if received_by is None or not received_by.is_authenticated:
        raise Refused(_("Log in or send a valid API token."))
    access.require(received_by, "timeline.create")  # it writes activities in their name
    parsed = parse_message(raw)
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            _lock_message_id(parsed.message_id)
            existing = EmailMessage.objects.filter(message_id=parsed.message_id).order_by("id").first()
            if existing is not None:
                return existing, False
            own_address = (received_by.email or "").strip().lower()
            email = EmailMessage.objects.create(
                direction=EmailDirection.OUTBOUND if own_address and parsed.sender == own_address
                else EmailDirection.INBOUND,
                message_id=parsed.message_id, in_reply_to=parsed.in_reply_to,
                thread_key=_thread_key_of(parsed), subject=parsed.subject, from_address=parsed.from_address,
                to_addresses=parsed.to, cc_addresses=parsed.cc, sent_at=parsed.sent_at, body_text=parsed.body,
                received_by=received_by,
            )
            _store_attachments(email, parsed.attachments, saved_files)
            customer_addresses = parsed.addresses - _user_addresses(parsed.addresses)
            contacts = _contacts_with_addresses(customer_addresses, seen_by=None if by_mail_server else received_by)
            _log_on_timelines(email=email, contacts=contacts, owner=received_by)
    except BaseException:
        for name in saved_files:  # the rows are rolled back; so are the files written for them
            EmailAttachment.file.field.storage.delete(name)
        raise
    return email, True


def _lock_message_id(message_id: str) -> None:
    """Two deliveries of one message must not both store it.

    SQLite transactions here take the write lock when they begin (transaction_mode=IMMEDIATE), so
    they already run one at a time; PostgreSQL gets a transaction-scoped advisory lock per Message-ID.
    """
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(message_id.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _thread_key_of(parsed: ParsedEmail) -> str:
    """The thread a message belongs to: that of a stored message it answers, else its References' root."""
    answered = [*parsed.references, parsed.in_reply_to] if parsed.in_reply_to else parsed.references
    if answered:
        known = (EmailMessage.objects.filter(message_id__in=answered).order_by("sent_at", "id")
                 .values_list("thread_key", flat=True).first())
        if known:
            return known
        return parsed.references[0] if parsed.references else parsed.in_reply_to
    return parsed.message_id


def _user_addresses(addresses: set[str]) -> set[str]:
    if not addresses:
        return set()
    return set(User.objects.annotate(address=Lower("email")).filter(address__in=addresses)
               .values_list("address", flat=True))


def _contacts_with_addresses(addresses: set[str], *, seen_by) -> list[Contact]:
    """Live contacts whose email or other email is one of `addresses` (any case), each once; only those
    `seen_by` may see, unless None."""
    if not addresses:
        return []
    contacts = Contact.objects.all() if seen_by is None else access.visible_to(seen_by, Contact.objects.all())
    return list(contacts.annotate(email_lower=Lower("email"), other_email_lower=Lower("other_email"))
                .filter(Q(email_lower__in=addresses) | Q(other_email_lower__in=addresses))
                .select_related("account").order_by("id"))


def contacts_filed_on(email: EmailMessage, *, seen_by) -> int:
    """On how many contacts' timelines the message is, counting only those `seen_by` may see (None: all)."""
    activities = email.activities.all()
    if seen_by is not None:
        activities = activities.filter(contact__in=access.visible_to(seen_by, Contact.objects.all()))
    return activities.count()


def _store_attachments(email: EmailMessage, attachments: list[ParsedAttachment], saved_files: list[str]) -> None:
    rows = []
    for attachment in attachments:
        row = EmailAttachment(email=email, filename=attachment.filename, content_type=attachment.content_type,
                              size=len(attachment.data))
        # Stored under a random name without extension: nothing in MEDIA_ROOT can be run or served as a page.
        row.file.save(uuid.uuid4().hex, ContentFile(attachment.data), save=False)
        saved_files.append(row.file.name)
        rows.append(row)
    EmailAttachment.objects.bulk_create(rows)


# --- filing ------------------------------------------------------------------------------------


def email_file(*, actor, email: EmailMessage, contact: Contact) -> Activity:
    """File a message no contact matched on `contact`'s (and its account's) timeline."""
    if not may_handle_unfiled(actor, email):
        raise NotFound()
    access.require(actor, "timeline.create")
    if contact is None or contact.is_deleted or not access.can(actor, "customers.view", contact):
        raise InvalidInput(fields={"contact": [_("Choose a contact you can see.")]})
    with transaction.atomic():
        current = EmailMessage.objects.select_for_update().filter(pk=email.pk).first()
        if current is None:
            raise NotFound()
        if current.activities.exists():
            raise Refused(_("This email is already filed."))
        current.filed_at = timezone.now()
        current.save(update_fields=["filed_at"])
        [activity] = _log_on_timelines(email=current, contacts=[contact], owner=actor)
    return activity


def email_discard(*, actor, email: EmailMessage) -> None:
    """Delete a message nobody filed, with its attachments' files."""
    if not may_handle_unfiled(actor, email):
        raise NotFound()
    with transaction.atomic():
        current = EmailMessage.objects.select_for_update().filter(pk=email.pk).first()
        if current is None:
            raise NotFound()
        if current.activities.exists():
            raise Refused(_("This email is filed on a timeline; it cannot be discarded here."))
        names = list(current.attachments.values_list("file", flat=True))
        current.delete()
        storage = EmailAttachment.file.field.storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


# --- the timeline ------------------------------------------------------------------------------


def _log_on_timelines(*, email: EmailMessage, contacts: list[Contact], owner) -> list[Activity]:
    """An email activity per contact and one timeline line each; an account gets the line of its first contact.

    The line's source is the activity, so deleting the activity removes the line.
    """
    if not contacts:
        return []
    subject = email.subject or _("(no subject)")
    activities = [
        Activity(kind=ActivityKind.EMAIL, subject=subject[:200], body=email.body_text, occurred_at=email.sent_at,
                 account_id=contact.account_id, contact=contact, owner=owner, team_id=owner.team_id,
                 created_by=owner, author_department=department_of(owner))
        for contact in contacts
    ]
    Activity.objects.bulk_create(activities)
    email.activities.add(*activities)
    history.record_many(actor=owner, objects=activities, action=ChangeAction.CREATED,
                        changes_of=lambda activity: {})
    kind = "email.out" if email.direction == EmailDirection.OUTBOUND else "email.in"
    url = reverse("timeline:email_detail", args=[email.pk])
    detail = email.body_text[:500]
    accounts_done: set[int] = set()
    entries = []
    for activity, contact in zip(activities, contacts, strict=True):
        account = contact.account if contact.account_id and contact.account_id not in accounts_done else None
        accounts_done.add(contact.account_id)
        entries.append({"kind": kind, "title": subject, "detail": detail, "account": account, "contact": contact,
                        "actor": owner, "occurred_at": email.sent_at, "source": activity, "url": url})
    record_events(entries)
    return activities


# --- parsing -----------------------------------------------------------------------------------


def parse_message(raw: bytes) -> ParsedEmail:
    """Read a raw RFC 5322 message; InvalidInput (field "message") says clearly what is wrong with it."""
    limit = max_message_bytes()
    if not raw or not raw.strip():
        raise InvalidInput(fields={"message": [_("The message is empty.")]})
    if len(raw) > limit:
        raise InvalidInput(fields={"message": [_("The message is larger than %(limit)s.")
                                               % {"limit": filesizeformat(limit)}]})
    try:
        message = BytesParser(policy=policy.default).parsebytes(_normalise_header_section(raw))
        if not message.keys():
            raise InvalidInput(fields={"message": [
                _("This is not an email message (RFC 5322): it has no header lines.")]})
        return _parsed(message)
    except PARSER_ERRORS as error:
        raise InvalidInput(fields={"message": [
            _("This email message could not be read: its header lines or its MIME structure are broken.")]},
        ) from error


def _normalise_header_section(raw: bytes) -> bytes:
    """Make the header lines readable the one way the parser reads them.

    GB2312-labelled encoded words are read as GB18030, a superset: senders often put GBK
    characters (镕) in them. Unencoded 8-bit header lines are read as UTF-8 (RFC 6532); Chinese
    mailers also send them in GBK, which is re-encoded to UTF-8 here.
    """
    end = min((index for index in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if index >= 0), default=len(raw))
    head = _WIDER_ENCODED_WORD.sub(b"=?gb18030?", raw[:end])
    if not head.isascii():
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # If neither reads it, the parser keeps the bytes and _text() replaces what it cannot read.
            with contextlib.suppress(UnicodeDecodeError):
                head = head.decode("gb18030").encode("utf-8")
    return head + raw[end:]


def _text(value) -> str:
    """Header text as real characters: the parser keeps undecodable 8-bit bytes as surrogates, which no
    database accepts; PostgreSQL accepts no NUL character either."""
    text = str(value or "")
    if any("\ud800" <= char <= "\udfff" for char in text):
        raw = text.encode("utf-8", "surrogateescape")
        text = raw.decode("utf-8", errors="replace")
    return text.replace("\x00", "")


def _display(address: Address) -> str:
    return str(Address(display_name=_text(address.display_name), username=_text(address.username),
                       domain=_text(address.domain)))


def _parsed(message: Message) -> ParsedEmail:
    senders = _addresses(message, "From")
    if not senders:
        if "From" not in message:  # (a membership test; it does not parse the header)
            raise InvalidInput(fields={"message": [_("The message has no sender (From header).")]})
        raise InvalidInput(fields={"message": [_("The sender (From header) is not a valid email address.")]})
    (from_address, sender) = senders[0]
    to, cc = _addresses(message, "To"), _addresses(message, "Cc")
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if body_part is not None:
        body = _text_of(body_part).replace("\r\n", "\n").replace("\r", "\n")
        if body_part.get_content_type() == "text/html":
            body = html_to_text(body)
    try:
        subject = " ".join(_text(message["Subject"]).split())
    except PARSER_ERRORS:
        subject = " ".join(_text(_raw_header(message, "Subject")).split())
    # Message ids are read from the raw lines: they need no decoding, and the strict parser gives up on some.
    message_ids = _MESSAGE_ID.findall(_raw_header(message, "Message-ID"))
    references = _MESSAGE_ID.findall(_raw_header(message, "References"))[-MAX_REFERENCES:]
    replied = _MESSAGE_ID.findall(_raw_header(message, "In-Reply-To"))
    return ParsedEmail(
        message_id=message_ids[0] if message_ids else _generated_message_id(message, body),
        in_reply_to=replied[0] if replied else (references[-1] if references else ""),
        references=references,
        subject=subject[:SUBJECT_MAX],
        sender=sender,
        from_address=from_address[:300],
        to=[shown for shown, _address in to], cc=[shown for shown, _address in cc],
        addresses={address for _shown, address in (senders[0], *to, *cc)},
        sent_at=_sent_at(message),
        body=body[:MAX_BODY_CHARS].replace("\x00", ""),
        attachments=_attachments(message, body_part),
    )


def _raw_header(message: Message, name: str) -> str:
    """The first `name` header as written (unfolded), without the parser's interpretation."""
    for header, value in message.raw_items():
        if header.lower() == name.lower():
            return " ".join(str(value).split())
    return ""


def _addresses(message: Message, name: str) -> list[tuple[str, str]]:
    """(as displayed, address in lower case) for each address in the header `name`."""
    try:
        header = message[name]
        addresses = getattr(header, "addresses", ()) if header is not None else ()
        found = [(_display(address), _text(address.addr_spec).lower())
                 for address in addresses if address.username and address.domain]
    except PARSER_ERRORS:
        # The strict parser gives up on some broken address lists; the lenient one still finds the addresses.
        found = [(_text(address), _text(address).lower()) for _name, address in getaddresses([_raw_header(
            message, name)]) if address.partition("@")[0] and "." in address.partition("@")[2]]
    return found[:MAX_ADDRESSES]


def _generated_message_id(message: Message, body: str) -> str:
    """A message without a Message-ID gets one from its content, so delivering it again is still recognised."""
    content = "\n".join(_raw_header(message, name) for name in ("From", "To", "Cc", "Date", "Subject")) + body
    return f"<{hashlib.sha256(content.encode('utf-8', 'surrogatepass')).hexdigest()[:40]}@rapport.invalid>"


def _sent_at(message: Message) -> datetime:
    now = timezone.now()
    try:
        sent = getattr(message["Date"], "datetime", None)
    except PARSER_ERRORS:  # a date out of any calendar's range ("year 99999999"): keep the mail, date it now
        sent = None
    if sent is None:
        return now
    if timezone.is_naive(sent):  # "-0000": the sender's zone is unknown
        sent = sent.replace(tzinfo=UTC)
    return now if sent > now + timedelta(days=1) else sent  # a clock far ahead would pin it atop the timeline


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = (part.get_content_charset() or "utf-8").lower()
    charset = WIDER_CHARSETS.get(charset, charset)
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def _leaf_parts(part: Message):
    """Every leaf part; an attached message (message/rfc822) counts as one part, kept whole."""
    if part.get_content_type() == "message/rfc822":
        yield part
    elif part.is_multipart():
        for subpart in part.iter_parts():
            yield from _leaf_parts(subpart)
    else:
        yield part


def _attachments(message: Message, body_part: Message | None) -> list[ParsedAttachment]:
    found = []
    limit = max_attachment_bytes()
    for part in _leaf_parts(message):
        if part is body_part:
            continue
        try:
            filename = part.get_filename()
        except PARSER_ERRORS:  # a mangled name parameter: the file is kept under a neutral name
            filename = None
        content_type = part.get_content_type()
        if (not filename and part.get_content_disposition() != "attachment"
                and part.get_content_maintype() == "text"):
            continue  # the other alternative of the body (the HTML beside the plain text)
        if content_type == "message/rfc822":
            data = _attached_message_bytes(part)
        else:
            data = part.get_payload(decode=True) or b""
        name = safe_filename(_text(filename), content_type)
        if len(data) > limit:
            raise InvalidInput(fields={"message": [_("The attachment %(name)s is larger than %(limit)s.")
                                                   % {"name": name, "limit": filesizeformat(limit)}]})
        if not _MIME_TYPE.fullmatch(content_type):
            content_type = "application/octet-stream"
        found.append(ParsedAttachment(filename=name, content_type=content_type, data=data))
    if len(found) > MAX_ATTACHMENTS:
        raise InvalidInput(fields={"message": [_("The message has more than %(limit)d attachments.")
                                               % {"limit": MAX_ATTACHMENTS}]})
    return found


def _attached_message_bytes(part: Message) -> bytes:
    inner = part.get_payload(0) if isinstance(part.get_payload(), list) else None
    if inner is None:
        return b""
    try:
        return inner.as_bytes(policy=policy.SMTP)
    except PARSER_ERRORS:
        return inner.as_bytes(policy=policy.compat32)  # a forwarded message with broken headers is kept as it is


def safe_filename(name: str, content_type: str = "") -> str:
    """A name fit to show and offer for download: no path, no control or direction-changing characters."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Format characters (category Cf) include the right-to-left override that disguises "exe" as "gpj".
    name = "".join(char for char in name if unicodedata.category(char) != "Cf")
    name = " ".join(_UNSAFE_IN_FILENAME.sub("_", name).split()).strip(" .")
    if not name:
        extension = ".eml" if content_type == "message/rfc822" else (mimetypes.guess_extension(content_type) or "")
        name = _("attachment") + extension
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[:180]}.{extension[:15]}" if dot and stem and len(extension) <= 15 else name[:200]
    return name


class _HtmlText(HTMLParser):
    """The readable text of an HTML body: no scripts, styles or head; blocks on their own lines."""

    SKIPPED = {"script", "style", "head", "title", "template", "noscript"}
    BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "form", "h1",
              "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "td", "th",
              "tr", "ul"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.replace("\xa0", " ").split()) for line in "".join(parser.parts).splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
