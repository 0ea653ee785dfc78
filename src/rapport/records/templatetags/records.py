from django import template

register = template.Library()


@register.simple_tag
def record_url(pages, action: str, *args) -> str:
    """The URL of one of a record type's pages: {% record_url pages "edit" record.pk %}."""
    return pages.url(action, *args)
