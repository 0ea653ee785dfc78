"""What is worked out about a user once and kept across requests: their grants, the people who report to
them, their team, their unread count.

Every user row carries a stamp, and what is kept is filed under it. Whatever changes one of those facts
gives the users it concerns a new stamp in the same transaction, so the next request — in any process,
whether the cache is this process's memory or a shared Redis — reads the new stamp with the user and
works the facts out again. No process has to be told, and nothing kept can outlive its stamp.
"""

import secrets
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.cache import cache

from .request_memo import once_per_request

KEPT_FOR = 24 * 3600  # seconds; an entry of an old stamp is never read again and ages out


def new_stamp() -> int:
    """A stamp no user had before, even after a database is restored or a test rolled back."""
    return secrets.randbits(62)


def remembered[T](user, fact: str, work_out: Callable[[], T]) -> T:
    """`fact` about `user`, worked out by `work_out()` only when their current stamp has not got it yet."""
    key = f"rapport:user:{user.pk}:{user.stamp}"
    facts = once_per_request(("remembered", key), lambda: cache.get(key) or {})
    if fact not in facts:
        facts[fact] = work_out()
        cache.set(key, facts, KEPT_FOR)
    return facts[fact]


def forget_about(user) -> None:
    """The facts kept about `user` are out of date: call it in the transaction that changes them."""
    user.stamp = new_stamp()
    get_user_model().objects.filter(pk=user.pk).update(stamp=user.stamp)


def forget_about_everyone() -> int:
    """For a change that may touch anyone's facts: a grant, a role, a team, who reports to whom. Returns
    the new stamp, for a user object in hand to carry."""
    stamp = new_stamp()
    get_user_model().objects.update(stamp=stamp)
    return stamp
