"""URLs worked out once instead of on every request: `reverse()` walks the URL patterns each time, and a
list page would otherwise do that for its menu, its links and each of its fifty rows."""

from collections.abc import Callable
from functools import cache

from django.urls import get_script_prefix, get_urlconf, reverse

_PK = 9_007_199_254_740_993  # a number no real id is, replaced by each record's id


def fixed_url(name: str) -> str:
    """`reverse(name)` of a URL without arguments."""
    return _reversed(name, (), get_script_prefix(), get_urlconf())


def url_with_pk(name: str) -> Callable[[int], str]:
    """A function giving `reverse(name, args=[pk])` for any pk, having reversed `name` once."""
    return _UrlWithPk(_reversed(name, (_PK,), get_script_prefix(), get_urlconf()))


class _UrlWithPk:
    do_not_call_in_templates = True  # handed to template tags, not called by the template itself

    def __init__(self, template: str):
        self.template = template

    def __call__(self, pk: int) -> str:
        return self.template.replace(str(_PK), str(int(pk)))


@cache
def _reversed(name: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(name, args=args)
