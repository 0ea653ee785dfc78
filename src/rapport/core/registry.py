"""One small pattern for every extension point: a typed registry, iterated in a stable order.

Later modules register in their AppConfig.ready() instead of editing the apps they extend.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Registry[T]:
    """Named entries, kept in (order, registration) order."""

    purpose: str
    _entries: dict[str, tuple[int, int, T]] = field(default_factory=dict)

    def register(self, name: str, entry: T, *, order: int = 100) -> T:
        if name in self._entries:
            raise ValueError(f"{self.purpose}: {name!r} is registered twice.")
        self._entries[name] = (order, len(self._entries), entry)
        return entry

    def unregister(self, name: str) -> None:
        self._entries.pop(name, None)

    def get(self, name: str) -> T:
        return self._entries[name][2]

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[T]:
        return (entry for _, _, entry in sorted(self._entries.values(), key=lambda item: item[:2]))

    def items(self) -> Iterator[tuple[str, T]]:
        ordered = sorted(self._entries.items(), key=lambda item: item[1][:2])
        return ((name, value[2]) for name, value in ordered)
