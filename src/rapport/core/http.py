"""Turning domain errors into HTML responses, the same way on every page."""

import functools
import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from .errors import NotFound, PermissionDenied

logger = logging.getLogger(__name__)


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


def file_download(file: FieldFile, *, filename: str, content_type: str, missing: str) -> FileResponse:
    """A stored file as a download (never shown inline); 404 saying `missing` when storage no longer has it."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as error:  # ValueError: the field holds no file
        raise Http404(missing) from error
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


def is_htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def after_response(request, work: Callable[[], None]) -> None:
    """Do `work` once the response has gone to the client: bookkeeping that no reader should wait for
    (a write lock, a full disk) and whose failure must not fail the request."""
    request.after_response.append(work)


class AfterResponseMiddleware:
    """Runs what the request left for after its response, when the server closes the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.after_response = []
        response = self.get_response(request)
        for work in request.after_response:
            # The servers close a response after sending it; Django runs its closers then (as for files).
            response._resource_closers.append(functools.partial(_logged, work))
        return response


def _logged(work: Callable[[], None]) -> None:
    try:
        work()
    except Exception:
        logger.warning("Work after a response failed", exc_info=True)
