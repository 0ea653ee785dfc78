"""ETags and If-Match for API records: the ETag is the record's version; a stale If-Match is refused."""

import re
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Header

from .errors import Refused

STRONG_ETAG = re.compile(r'"(\d+)"')
IfMatchHeader = Annotated[str | None, Header(
    alias="If-Match",
    description='The ETag of the version you edited, e.g. "3"; if the record changed since, the answer is 412. '
                "Without it, the current version is edited.",
)]


def etag_of(record) -> str:
    return f'"{record.version}"'


def version_from(if_match: str | None, record) -> int:
    header = (if_match or "*").strip()
    if header == "*":
        return record.version
    if match := STRONG_ETAG.fullmatch(header):
        return int(match[1])
    message = _('Send If-Match with the ETag of the version you edited, e.g. "3".')
    raise Refused(message, fields={"If-Match": [message]})
