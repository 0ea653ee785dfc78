"""Icons are our own SVG, never emoji: emoji show as empty boxes where no emoji font is installed."""

import re
from pathlib import Path

from rapport.core.icons import icon_svg, icons
from rapport.timeline.registry import event_types, inbox_links

SOURCE = Path(__file__).resolve().parents[2] / "src" / "rapport"
EMOJI_AND_SYMBOLS = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")


def test_no_page_template_draws_an_emoji_or_symbol_character():
    found = [f"{path.relative_to(SOURCE)}: {match.group(0)}" for path in SOURCE.rglob("templates/**/*.html")
             for match in EMOJI_AND_SYMBOLS.finditer(path.read_text())]
    assert found == []


def test_every_timeline_event_and_inbox_link_names_a_registered_icon():
    named = [event.icon for event in event_types] + [link.icon for link in inbox_links if link.icon]
    assert [name for name in named if name not in icons] == []
    assert str(icon_svg("call")).startswith('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"')
