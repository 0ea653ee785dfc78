"""A list's links to its data: the formats the user may export it in (links carrying the list's query),
and where to import more."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from rapport import access
from rapport.dataio import exports
from rapport.dataio.imports import importables

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


@register.simple_tag(takes_context=True)
def import_link(context, entity: str) -> str:
    """Where to import records of `entity` from a file; empty when it takes no imports or the user may not."""
    if entity not in importables:
        return ""
    if not access.can(context["request"].user, f"{importables.get(entity).permission_module}.create"):
        return ""
    return reverse("dataio:import_upload", args=[entity])
