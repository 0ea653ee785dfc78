"""What happens to each module's records when two customers merge: every module registers, for accounts
or contacts, how it moves its records from the one merged away to the one kept."""

from collections.abc import Callable
from dataclasses import dataclass

from rapport.core.registry import Registry


@dataclass(frozen=True)
class MergeHook:
    customer: str  # "customers.Account" or "customers.Contact"
    move: Callable[..., None]  # (*, actor, source, target): what `source` held, `target` holds afterwards


merge_hooks: Registry[MergeHook] = Registry("merge hooks")


def move_everything(*, actor, source, target) -> None:
    for hook in merge_hooks:
        if hook.customer == source._meta.label:
            hook.move(actor=actor, source=source, target=target)
