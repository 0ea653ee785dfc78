"""Schemas every API router shares."""

from ninja import Field, Schema

from .pagination import Page


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
