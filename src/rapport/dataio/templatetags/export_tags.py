"""The export menu of a list: the formats the user may export it in, as links carrying the list's query."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from rapport.dataio import exports

register = template.Library()


@register.simple_tag(takes_context=True)
def export_links(context, entity: str, query: str = "") -> list[dict]:
    """[{"key", "label", "url"}] for `entity` as `query` filters it; empty without export permission."""
    user = context["request"].user
    start = reverse("dataio:export_start", args=[entity])
    links = []
    for file_format in exports.formats_for(user, entity):
        params = QueryDict(query or "", mutable=True)
        params["format"] = file_format.key
        links.append({"key": file_format.key, "label": file_format.label, "url": f"{start}?{params.urlencode()}"})
    return links
