"""Schemas every API router shares."""

from enum import IntEnum
from typing import Annotated

from ninja import Field, Query, Schema

from .pagination import Page


class ErrorDetail(Schema):
    code: str = Field(description="invalid, invalid_cursor, refused, not_found, forbidden, conflict, "
                                  "possible_duplicates, stale, idempotency_key_reused, unauthenticated, …")
    message: str = Field(description="For a person to read, in the caller's language.")
    fields: dict[str, list[str]] = Field(description="Messages by the field (or header, or parameter) they concern.")


class ErrorOut(Schema):
    """Every refusal has this shape; some codes add keys beside `fields` (`current_version`, `duplicates`)."""

    error: ErrorDetail


class Refusal(IntEnum):
    """What each refusal means across the API. 422 is for values that break a rule: a request that the document
    allows gets it only for a property marked `x-server-rule` (core.api_rules); otherwise such a request is
    refused only with one of the others, each for a reason no schema can state."""

    BAD_REQUEST = 400  # a page cursor this server did not write, a malformed If-Match, a refused action
    UNAUTHENTICATED = 401
    FORBIDDEN = 403
    NOT_FOUND = 404  # no such record, or one you may not see
    CONFLICT = 409  # the record's state (a closed task) or likely duplicates do not allow it
    STALE = 412  # If-Match names a version that is no longer current
    UNSUPPORTED_MEDIA_TYPE = 415
    INVALID = 422  # a value breaks a rule: see `fields`


def answers(ok: dict, *refusals: int) -> dict:
    """An operation's `response=`: its success bodies, 401 and 422 (every operation can be unauthenticated or
    sent a bad parameter), and the other refusals it can give (statuses as `Refusal` explains them), each
    with the shared error body."""
    return ok | {int(status): ErrorOut for status in (Refusal.UNAUTHENTICATED, Refusal.INVALID, *refusals)}


# A page link as the server writes it (base64url, unpadded); one it did not write is refused with 400.
CursorParam = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]+$", max_length=2000,
                                          description="`next_cursor` or `previous_cursor` of the page before.")]
PageSizeParam = Annotated[int, Query(ge=1, le=200)]


class CursorPage[Row](Schema):
    """One page of a list; follow `next_cursor` / `previous_cursor` with `?cursor=`."""

    results: list[Row]
    next_cursor: str | None
    previous_cursor: str | None
    count: int | None = Field(description="How many rows match; null when more than 1000 do.")
    count_is_exact: bool

    @staticmethod
    def resolve_results(page: Page) -> list:
        return page.rows

    @staticmethod
    def resolve_count(page: Page) -> int | None:
        return page.count_capped if page.count_is_exact else None
