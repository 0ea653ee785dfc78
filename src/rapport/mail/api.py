"""Inbound email through the API: a mail server or a forwarding rule posts each raw message here."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from rapport.core.schemas import answers

from . import parsing
from . import services as mail

router = Router(tags=["email"])

RAW_MESSAGE_BODY = {"requestBody": {"required": True, "content": {"message/rfc822": {
    "schema": {"type": "string", "format": "binary"},
}}}}


class InboundEmailOut(Schema):
    id: int
    message_id: str
    created: bool  # false: this Message-ID was already stored; nothing changed
    direction: str
    contacts: int  # how many contacts' timelines carry it; 0 = waiting to be filed by hand
    thread_key: str


@router.post("/inbound-email", response=answers({200: InboundEmailOut, 201: InboundEmailOut}, 400, 403,
                                                 415),
             openapi_extra=RAW_MESSAGE_BODY, operation_id="receive_email")
def receive_email(request: HttpRequest):
    """Store one raw RFC 5322 message (`Content-Type: message/rfc822`) and put it on the timelines of
    the contacts whose addresses it carries. Sending the same message again (same Message-ID) answers
    200 with the stored message's id and changes nothing. The token's user is recorded as the recipient.

    A mail server delivers with an inbound-mail token (made by an administrator: `rapport token create
    USER --inbound-mail`), which can do nothing else and matches every contact. A person filing a message
    with their own token or session matches only the contacts they may see, and `contacts` counts only
    those."""
    # Read at most one byte past the limit, so a huge body is refused without being held in memory
    # (and without Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which is meant for forms, refusing 3 MB mail).
    raw = request.body if hasattr(request, "_body") else request.read(parsing.max_message_bytes() + 1)
    if raw and request.content_type.lower() != "message/rfc822":  # an empty body is "empty", whatever its type
        return Status(415, {"error": {
            "code": "unsupported_media_type",
            "message": _("Send the raw email message with Content-Type: message/rfc822."),
            "fields": {"Content-Type": [_("Expected message/rfc822, got %(type)s.")
                                        % {"type": request.content_type or "-"}]},
        }})
    email, created = mail.email_receive(raw=raw, received_by=request.auth)
    return Status(201 if created else 200, {
        "id": email.pk, "message_id": email.message_id, "created": created, "direction": email.direction,
        "contacts": mail.contacts_filed_on(email, received_by=request.auth),
        "thread_key": email.thread_key,
    })
