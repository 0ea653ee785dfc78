"""ETags and If-Match for API records: the ETag is the record's version; a stale If-Match is refused."""

import re
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Header
from pydantic_core import core_schema

from .errors import Refused, StaleEdit

# If-Match is "*" or a list of entity tags (RFC 9110, 8.8.3): each optionally weak, then a quoted string.
ENTITY_TAG = r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"'
ENTITY_TAG_LIST = re.compile(rf"{ENTITY_TAG}(?:\s*,\s*{ENTITY_TAG})*")


class EntityTags(str):
    """An If-Match value. The API document states its grammar with ASCII tags (what every client can send);
    the server checks the RFC's grammar itself, so a malformed header is a 400 saying what to send."""

    PATTERN = r'^\s*(\*|(W/)?"[\x21\x23-\x7e]*"(\s*,\s*(W/)?"[\x21\x23-\x7e]*")*)?\s*$'  # empty = absent

    @classmethod
    def __get_pydantic_core_schema__(cls, _source, _handler):
        return core_schema.str_schema()

    @classmethod
    def __get_pydantic_json_schema__(cls, _schema, _handler):
        return {"type": "string", "pattern": cls.PATTERN}


IfMatchHeader = Annotated[EntityTags, Header(  # absent: None (edit the current version)
    alias="If-Match",
    description='The ETag of the version you edited, e.g. "3"; if the record changed since, the answer is 412. '
                "Without it, the current version is edited.",
)]


def etag_of(record) -> str:
    return f'"{record.version}"'


def version_from(if_match: str | None, record) -> int | None:
    """The version an edit starts from: None (whatever is current when the record is locked) when If-Match
    is absent or "*"; the record's version when If-Match names it among its entity tags (compared strongly:
    a weak tag never matches). A well-formed If-Match naming any other version is a stale edit (412); one
    that is not entity tags at all is refused (400)."""
    header = (if_match or "*").strip()  # an empty header is no header, as on the wire
    if header == "*":
        return None
    if etag_of(record) in _strong_tags(header):
        return record.version
    raise StaleEdit(record)


def _strong_tags(header: str) -> list[str]:
    if not ENTITY_TAG_LIST.fullmatch(header):
        message = _('Send If-Match with the ETag of the version you edited, e.g. "3".')
        raise Refused(message, fields={"If-Match": [message]})
    return [f'"{opaque}"' for weak, opaque in re.findall(ENTITY_TAG, header) if not weak]
