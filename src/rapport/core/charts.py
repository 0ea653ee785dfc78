"""Charts drawn on the server as SVG: no script, readable on a phone (they scale to their box), printable,
and each bar a link to the records behind it."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
ROW = 30
LABEL_WIDTH = 200
VALUE_WIDTH = 90
LABEL_CHARACTERS = 22


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # the bar's length, against the largest
    shown: str  # the value as the reader reads it: "1,204", "¥3.2M"
    url: str  # the records behind the bar


def bar_chart(bars: list[Bar], *, title: str) -> SafeString:
    """Horizontal bars, largest first as given, each with its label and value."""
    largest = max((bar.value for bar in bars), default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = [_row(index, bar, room * bar.value / largest) for index, bar in enumerate(bars)]
    height = max(len(bars), 1) * ROW
    return mark_safe(  # noqa: S308 - every text is escaped in _row and here
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(rows)}</svg>'
    )


def _row(index: int, bar: Bar, length: float) -> str:
    top, label = index * ROW, bar.label
    short = label if len(label) <= LABEL_CHARACTERS else f"{label[:LABEL_CHARACTERS - 1]}…"
    middle = top + ROW / 2
    return (
        f'<a href="{escape(bar.url)}"><title>{escape(label)}: {escape(bar.shown)}</title>'
        f'<text x="{LABEL_WIDTH - 8}" y="{middle:.0f}" text-anchor="end" dominant-baseline="middle">'
        f'{escape(short)}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{top + 5}" width="{max(length, 2):.1f}" height="{ROW - 10}" rx="3"/>'
        f'<text x="{LABEL_WIDTH + max(length, 2) + 6:.1f}" y="{middle:.0f}" dominant-baseline="middle">'
        f'{escape(bar.shown)}</text></a>'
    )
