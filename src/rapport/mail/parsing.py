"""Reading raw RFC 5322 messages: headers, addresses, bodies and attachments, within set limits, however
malformed or hostile the input; and the limits that sending and receiving share."""

import contextlib
import hashlib
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.errors import MessageError
from email.headerregistry import Address
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.core.errors import InvalidInput

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
    except RecursionError as error:  # parts nested thousands deep: Python's parser walks them recursively
        raise InvalidInput(fields={"message": [
            _("This email message nests its parts too deeply to be read.")]},
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
