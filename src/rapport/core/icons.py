"""Our own small icons: SVG paths on a 24-unit square, drawn in the text's colour. No emoji (they show as
empty boxes where no emoji font is installed), no icon font, nothing to fetch.

A module registers the icons it uses in its AppConfig.ready() (`icons.register("call", "M…")`); templates
draw one with `{% icon "call" %}`, Python with `icon_svg("call")`.
"""

from django.utils.html import format_html
from django.utils.safestring import SafeString

from .registry import Registry

icons: Registry[str] = Registry("icons")  # name -> the path's `d`, outlines to stroke on a 24 × 24 box

icons.register("dot", "M12 11.5v1")
icons.register("menu", "M4 6h16M4 12h16M4 18h16")


def icon_svg(name: str) -> SafeString:
    """The icon `name` as inline SVG, hidden from screen readers: the text beside it says what it means."""
    return format_html('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
                       '<path d="{}"/></svg>', icons.get(name))
