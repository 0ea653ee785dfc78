"""Turning domain errors into HTML responses, the same way on every page."""

import functools

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404

from .errors import NotFound, PermissionDenied


def domain_errors_as_http(view):
    """NotFound becomes 404 and PermissionDenied 403, so no view repeats that translation."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(str(error.message)) from error
        except PermissionDenied as error:
            raise DjangoPermissionDenied(str(error.message)) from error

    return wrapper


def is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))
