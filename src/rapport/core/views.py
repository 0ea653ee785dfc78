import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from .errors import is_database_unavailable
from .extensions import home_cards


@login_required
def home(request):
    cards = [(card, card.context(request)) for card in home_cards]
    return render(request, "core/home.html", {"cards": cards, "nav": "home"})


def health(request):
    return HttpResponse("ok", content_type="text/plain")


RETRY_AFTER_SECONDS = 5


def server_error(request):
    """Django's last resort for an error nothing else handled. A database that cannot be reached (down,
    restarting, out of connections) is a 503 to retry shortly: JSON for the API and htmx, a page for a
    person. Anything else stays a 500, in JSON for the API."""
    unavailable = is_database_unavailable(sys.exc_info()[1])
    wants_json = request.path.startswith("/api/") or request.headers.get("HX-Request") == "true"
    if unavailable:
        message = _("The database cannot be reached just now. Try again in a few seconds.")
        if wants_json:
            response = _json_error(503, "unavailable", message)
        else:
            # Rendered without the request: its user and session live in the database.
            response = HttpResponse(render_to_string("core/unavailable.html", {"message": message}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if wants_json:
        return _json_error(500, "server_error", _("Something went wrong on the server. It has been logged."))
    return defaults.server_error(request)


def page_not_found(request, exception):
    """An address that names nothing: JSON under /api/ (what an API client can read), else Django's page."""
    if request.path.startswith("/api/"):
        return _json_error(404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)
