"""Values worked out once per request and reused by every part of the page that needs them.

The account list reads the custom-field definitions for its filters, its columns and its filter
panel; each would otherwise query them again. Outside a request (tasks, commands) nothing is kept,
so a long-running worker never sees stale definitions.
"""

from collections.abc import Callable
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("rapport_request_memo", default=None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def once_per_request[T](key: tuple, compute: Callable[[], T]) -> T:
    """compute() the first time `key` is asked for in this request; the same value after that."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(key: tuple) -> None:
    """Drop a remembered value, e.g. after the request changed what it was computed from."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)
