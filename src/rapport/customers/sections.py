"""Sections of the customer page; later modules (deals, tickets, orders) register theirs."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from rapport.core.registry import Registry


@dataclass(frozen=True)
class Section:
    title: str | Promise
    template: str
    context: Callable[..., dict]  # (actor, record) -> dict


account_sections: Registry[Section] = Registry("account page sections")
contact_sections: Registry[Section] = Registry("contact page sections")
# Facts in the page header (e.g. last contact, next step); each template renders <div><dt>…</dt><dd>…</dd></div>.
account_header_facts: Registry[Section] = Registry("account header facts")
contact_header_facts: Registry[Section] = Registry("contact header facts")
