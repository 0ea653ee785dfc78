from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from rapport.timeline.registry import event_groups as registered_groups
from rapport.timeline.registry import event_type as registered_event_type

register = template.Library()


@register.simple_tag
def event_type(kind: str):
    return registered_event_type(kind)


@register.simple_tag
def event_groups() -> list:
    return list(registered_groups)


@register.simple_tag
def comment_url(target) -> str:
    return reverse("timeline:comment_add", args=[ContentType.objects.get_for_model(target).pk, target.pk])
