"""The search page and the suggestions under the search box of every page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from .registry import search_types
from .selectors import search

SUGGESTIONS_PER_TYPE = 5
RESULTS_PER_TYPE = 20
RESULTS_OF_ONE_TYPE = 50


def _types_from(request) -> list[str]:
    """The known type names in `types` (repeated or comma-separated); unknown names are ignored."""
    names = [name.strip() for value in request.GET.getlist("types") for name in value.split(",")]
    return [name for name in dict.fromkeys(names) if name in search_types]


@login_required
def results(request):
    text = request.GET.get("q", "").strip()
    types = _types_from(request)
    limit = RESULTS_OF_ONE_TYPE if len(types) == 1 else RESULTS_PER_TYPE
    found = search(actor=request.user, text=text, types=types, limit=limit)
    return render(request, "search/search.html", {
        "results": found, "search_text": text, "types": types, "all_types": list(search_types), "nav": "search",
    })


@login_required
def suggestions(request):
    text = request.GET.get("q", "").strip()
    found = search(actor=request.user, text=text, limit=SUGGESTIONS_PER_TYPE)
    if not found.searched:  # nothing to search for yet: an empty list, which the box hides
        return HttpResponse("")
    return render(request, "search/search.html#suggestions", {"results": found, "search_text": text})
