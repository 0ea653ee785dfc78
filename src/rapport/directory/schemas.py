"""The API's view of people."""

from ninja import Field, Schema

from .models import User


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
