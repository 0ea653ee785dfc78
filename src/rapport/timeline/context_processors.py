from .selectors import unread_count


def inbox(request) -> dict:
    """The unread count shown beside "Inbox" on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": unread_count(user=user)}
