"""API: the people of the company, for pickers and to resolve owner and team ids."""

from ninja import Query, Router

from rapport.core.errors import NotFound
from rapport.core.ids import RecordId
from rapport.core.pagination import Ordering, paginate
from rapport.core.schemas import CursorPage

from .models import User
from .schemas import UserOut

router = Router(tags=["users"])


@router.get("/users", response=CursorPage[UserOut])
def list_users(request, cursor: str | None = None, page_size: int = Query(50, ge=1, le=200),
               is_active: bool | None = None):
    """Everyone with a login, by username; `is_active=true` leaves out people who have left."""
    users = User.objects.all() if is_active is None else User.objects.filter(is_active=is_active)
    return paginate(users, Ordering("username"), cursor=cursor, per_page=page_size)


@router.get("/users/{user_id}", response=UserOut)
def get_user(request, user_id: RecordId):
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user
