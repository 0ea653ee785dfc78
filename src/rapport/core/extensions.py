"""Extension points owned by core: home-page cards, demo-data generators and the task worker's checks."""

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
