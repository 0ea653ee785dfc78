"""Record ids as the database stores them (64-bit), checked before they reach a query."""

from typing import Annotated

from pydantic import Field

MAX_RECORD_ID = 2**63 - 1

# An id in an API schema: out of range is a 422 like any other bad value, never a database overflow.
RecordId = Annotated[int, Field(ge=1, le=MAX_RECORD_ID)]


def is_record_id(value) -> bool:
    return type(value) is int and 1 <= value <= MAX_RECORD_ID
