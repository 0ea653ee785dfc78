"""Email on the timeline: sending to a contact, receiving raw messages, filing the ones no contact matched.

One set of functions for the contact page, the .eml upload page, the inbound-email API and the tests.
A message is stored once (by Message-ID); each matched contact gets an email activity and one
timeline line, and each account shows the message once however many of its people it reached.
"""

import hashlib
import smtplib
import uuid
from dataclasses import dataclass
from email.errors import MessageError
from email.headerregistry import Address
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage as OutgoingMessage
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport import access
from rapport.core.errors import Conflict, InvalidInput, NotFound, Refused
from rapport.customers.models import Contact
from rapport.directory.models import User
from rapport.records import services as records
from rapport.timeline.events import department_of, record_events
from rapport.timeline.models import Activity, ActivityKind

from .models import EmailAttachment, EmailDirection, EmailMessage
from .parsing import (
    MAX_REFERENCES,
    SUBJECT_MAX,
    ParsedAttachment,
    ParsedEmail,
    message_id_domain,
    parse_message,
)

# --- reading -----------------------------------------------------------------------------------


def email_readers(actor) -> Q:
    """Who may read a stored message — the rule the access app applies to emails: whoever received it,
    administrators, and whoever may see one of its activities."""
    if actor.is_superuser:
        return Q()
    return Q(received_by=actor) | Q(Exists(access.visible_to(actor, Activity.objects.filter(emails=OuterRef("pk")))))


def may_handle_unfiled(actor, email: EmailMessage) -> bool:
    """Filing or discarding a message nobody matched: the person it was delivered to, or an administrator."""
    return actor.is_authenticated and actor.is_active and (actor.is_superuser or email.received_by_id == actor.pk)


def email_get(*, actor, email_id) -> EmailMessage:
    return access.get_visible(actor, EmailMessage.objects.select_related("received_by"), email_id)


def attachment_get(*, actor, attachment_id) -> EmailAttachment:
    """An attachment of a message the actor may read; NotFound otherwise, so its existence does not leak."""
    try:
        attachment_id = int(attachment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    attachment = EmailAttachment.objects.select_related("email").filter(pk=attachment_id).first()
    if attachment is None or not access.can(actor, "mail.view", attachment.email):
        raise NotFound()
    return attachment


def email_thread(*, actor, email: EmailMessage, limit: int = 100) -> list[EmailMessage]:
    """The messages of `email`'s thread that the actor may read, oldest first."""
    thread = access.visible_to(actor, EmailMessage.objects.filter(thread_key=email.thread_key))
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
    if reply_to is not None and not access.can(actor, "mail.view", reply_to):
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


@dataclass(frozen=True)
class MailServer:
    """A mail server delivering messages with an inbound-mail token, in the name of the token's user."""

    user: User


def _filer(received_by: User | MailServer) -> tuple[User, User | None]:
    """Who a message is filed for, and whose scope limits the contacts it reaches: a person's own (they file
    only on customers they may see), none for a mail server (it delivers the company's mail)."""
    if isinstance(received_by, MailServer):
        return received_by.user, None
    return received_by, received_by


def email_receive(*, raw: bytes, received_by: User | MailServer) -> tuple[EmailMessage, bool]:
    """Store a raw RFC 5322 message and put it on the timelines of the contacts it involves.

    Returns the message and whether it is new: a message already stored (same Message-ID) is
    returned as it is. Addresses of Rapport users are not matched as contacts; a message sent from
    the receiving user's own address is logged as sent by them. A message a person files is matched only
    to the contacts they may see; one a mail server delivers, to every contact. Malformed input raises
    InvalidInput before anything is written.
    """
    received_by, seen_by = _filer(received_by)
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
            contacts = _contacts_with_addresses(customer_addresses, seen_by=seen_by)
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


def contacts_filed_on(email: EmailMessage, *, received_by: User | MailServer) -> int:
    """On how many contacts' timelines the message is, as its receiver may know: a person counts only the
    contacts they may see, so the answer reveals nothing outside their scope."""
    _person, seen_by = _filer(received_by)
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
            raise Conflict(_("This email is already filed."))
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
            raise Conflict(_("This email is filed on a timeline; it cannot be discarded here."))
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
    records.records_created(actor=owner, model=Activity, records=activities)
    kind = "email.out" if email.direction == EmailDirection.OUTBOUND else "email.in"
    url = reverse("mail:detail", args=[email.pk])
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
