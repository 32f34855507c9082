"""The docs tell the truth: every `crmkit` command and flag is in the README, with help and default.

As sqlite-utils does, the parser itself is the list: a flag added without a line in the README,
or without a help text, fails here rather than surprising a user.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from crmkit.cli import build_parser

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _options(command: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in command._actions if not isinstance(a, argparse._HelpAction)]


COMMANDS = _commands()
FLAGS = [
    (name, action)
    for name, command in COMMANDS.items()
    for action in _options(command)
    if action.option_strings
]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme(name: str) -> None:
    """Each subcommand appears as `crmkit NAME` in the README."""
    assert f"crmkit {name}" in README


@pytest.mark.parametrize(
    ("name", "flag"),
    [(name, max(a.option_strings, key=len)) for name, a in FLAGS],
    ids=lambda v: str(v),
)
def test_every_flag_is_in_the_readme(name: str, flag: str) -> None:
    """Each flag of each subcommand is named in the README (the command reference)."""
    assert flag in README, f"crmkit {name} {flag} is not documented in README.md"


@pytest.mark.parametrize(("name", "action"), FLAGS, ids=lambda v: str(getattr(v, "dest", v)))
def test_every_flag_has_help_and_shows_its_default(name: str, action: argparse.Action) -> None:
    """`--help` explains each flag and, where it has a default, shows it."""
    assert action.help, f"crmkit {name} {action.option_strings} has no help text"
    text = COMMANDS[name].format_help()
    if action.default not in (None, False, argparse.SUPPRESS, []):
        assert f"(default: {action.default})" in " ".join(text.split())
