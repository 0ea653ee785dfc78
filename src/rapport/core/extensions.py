"""Extension points owned by core: home-page cards, the main menu, demo-data generators and the task
worker's checks."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

from .registry import Registry


@dataclass(frozen=True)
class HomeCard:
    """A card on the home page: a template fragment and the context it needs for one user."""

    title: str | Promise
    template: str
    context: Callable[..., dict]  # (request) -> dict


@dataclass(frozen=True)
class DemoGenerator:
    """A module's share of `rapport demo`: generate(size, rng, people) after the ones before it."""

    generate: Callable[..., None]


home_cards: Registry[HomeCard] = Registry("home cards")
demo_generators: Registry[DemoGenerator] = Registry("demo data")


@dataclass(frozen=True)
class StalledJobCheck:
    """Run by every task worker when it starts and every few seconds after: gives up the module's jobs whose
    worker died (killed, out of memory, its machine gone) and returns how many, so none shows "running"
    for ever."""

    give_up_stalled: Callable[[], int]


stalled_job_checks: Registry[StalledJobCheck] = Registry("stalled job checks")


def _everyone(user) -> bool:
    return True


@dataclass(frozen=True)
class NavEntry:
    """An entry of the main menu. It is lit on pages whose context says `nav` = its name, and shown only to
    those `visible` allows; `badge` puts a number beside it, e.g. unread messages, which `badge_label` says
    in words for screen readers."""

    label: str | Promise
    url_name: str
    visible: Callable[..., bool] = _everyone  # (user) -> bool
    badge: Callable[..., int] | None = None  # (user) -> a count; 0 shows none
    badge_label: Callable[[int], str] | None = None  # (count) -> "3 unread"


navigation: Registry[NavEntry] = Registry("navigation")
