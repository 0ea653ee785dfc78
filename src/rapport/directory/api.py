"""API: the people of the company, for pickers and to resolve owner and team ids."""

from ninja import Router

from rapport.core.errors import NotFound
from rapport.core.ids import RecordId
from rapport.core.pagination import Ordering, paginate
from rapport.core.schemas import CursorPage, CursorParam, PageSizeParam, answers

from .models import User
from .schemas import UserOut

router = Router(tags=["users"])


@router.get("/users", response=answers({200: CursorPage[UserOut]}, 400), operation_id="list_users")
def list_users(request, cursor: CursorParam = None, page_size: PageSizeParam = 50, is_active: bool | None = None):
    """Everyone with a login, by username; `is_active=true` leaves out people who have left."""
    users = User.objects.all() if is_active is None else User.objects.filter(is_active=is_active)
    return paginate(users, Ordering("username"), cursor=cursor, per_page=page_size)


@router.get("/users/{user_id}", response=answers({200: UserOut}, 404), operation_id="get_user")
def get_user(request, user_id: RecordId):
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user
