"""The API's view of people, and the cursor page every API list returns."""

from ninja import Field, Schema

from rapport.core.pagination import Page

from .models import User


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


class UserOut(Schema):
    id: int
    username: str
    display_name: str = Field(description="The name shown for this person.")
    email: str
    team: int | None
    manager: int | None
    department: str
    is_active: bool

    @staticmethod
    def resolve_display_name(user: User) -> str:
        return str(user)

    @staticmethod
    def resolve_team(user: User) -> int | None:
        return user.team_id

    @staticmethod
    def resolve_manager(user: User) -> int | None:
        return user.manager_id
