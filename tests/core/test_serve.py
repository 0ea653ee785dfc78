"""`rapport serve`'s options, and the environment variables that set their defaults."""

import pytest
from django.core.management import CommandError

from rapport.core.management.commands.serve import Command


def options(*args):
    return Command().create_parser("rapport", "serve").parse_args(args)


def test_port_and_workers_come_from_the_environment_unless_given(monkeypatch):
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert (options().port, options().workers) == (8080, 3)
    assert options("--port", "9000").port == 9000


@pytest.mark.parametrize(("variable", "value", "refusal"), [
    ("PORT", "abc", "“abc” is not a whole number"), ("PORT", "70000", "70000 is out of range; give 1 to 65535"),
    ("WEB_CONCURRENCY", "0", "0 is out of range; give 1 to 64"),
])
def test_a_bad_port_or_worker_count_is_refused_by_name(monkeypatch, variable, value, refusal):
    monkeypatch.setenv(variable, value)
    with pytest.raises(CommandError, match=refusal):
        options()
