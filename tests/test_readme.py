"""README stays true to the CLI: every command it shows exists with the options it shows, and
every command is shown there with a help text of its own (its --help, written for station staff)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from broadcaster.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _leaves(cmd: click.Command, path: tuple[str, ...] = ()) -> dict[str, click.Command]:
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)
        out: dict[str, click.Command] = {}
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            assert sub is not None, name
            out.update(_leaves(sub, (*path, name)))
        return out
    return {" ".join(path): cmd}


def _readme_command_lines() -> list[str]:
    """``broadcaster …`` lines of the README's shell blocks, continuation lines joined."""
    lines: list[str] = []
    inside = False
    for raw in README.read_text(encoding="utf-8").splitlines():
        if raw.startswith("```"):
            inside = raw.strip() == "```sh"
        elif inside and lines and lines[-1].endswith("\\"):  # a shell continuation
            lines[-1] = lines[-1][:-1].rstrip() + " " + raw.strip()
        elif inside and raw.startswith("broadcaster "):
            lines.append(raw)
        elif inside and lines and raw.strip().startswith("["):
            lines[-1] += " " + raw.strip()
    return lines


def _tokens(line: str) -> list[str]:
    line = re.sub(r"\s#\s.*$", "", line)  # a trailing comment
    line = re.sub(r"\s[<>]\s*\S+", "", line)  # redirections
    return shlex.split(line)


def _resolve(tokens: list[str], line: str) -> tuple[click.Group, click.Command, list[str]]:
    """The command the tokens name, its group, and the tokens after its name."""
    group: click.Group = main
    cmd: click.Command = main
    rest = list(tokens)
    while isinstance(cmd, click.Group):
        sub = cmd.get_command(click.Context(cmd), rest[0]) if rest else None
        assert sub is not None, f"{line!r}: {cmd.name} has no command {rest[:1]}"
        rest.pop(0)
        group, cmd = cmd, sub
    return group, cmd, rest


def _check_options(cmd: click.Command, tokens: list[str], line: str) -> None:
    known = {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)}
    for token in tokens:
        word = token.lstrip("[").rstrip("]")
        if word.startswith("--"):
            assert word.split("=")[0] in known, f"{line!r}: '{cmd.name}' has no option {word}"


COMMANDS = _leaves(main)
LINES = _readme_command_lines()


@pytest.mark.parametrize("line", LINES)
def test_every_command_the_readme_shows_exists_with_its_options(line: str) -> None:
    tokens = _tokens(line)
    assert tokens[0] == "broadcaster"
    # "tokens list | revoke PREFIX" names a sibling; "approve ID… | --directive ID" an option
    parts: list[list[str]] = [[]]
    for token in tokens[1:]:
        if token == "|":
            parts.append([])
        else:
            parts[-1].append(token)
    group, cmd, rest = _resolve(parts[0], line)
    _check_options(cmd, rest, line)
    for alternative in parts[1:]:
        sibling = group.get_command(click.Context(group), alternative[0]) if alternative else None
        if sibling is not None:
            _check_options(sibling, alternative[1:], line)
        else:
            assert alternative and alternative[0].lstrip("[").startswith("-"), (
                f"{line!r}: {' '.join(alternative)!r} is neither a command of "
                f"'{group.name}' nor an option of '{cmd.name}'"
            )
            _check_options(cmd, alternative, line)


def test_the_readme_shows_every_command_and_each_has_help() -> None:
    text = README.read_text(encoding="utf-8")
    shown = {" ".join(_tokens(line)[1:4]) for line in LINES}
    missing, helpless = [], []
    for path, cmd in COMMANDS.items():
        if not (cmd.help or "").strip():
            helpless.append(path)
        siblings = path.rsplit(" ", 1)
        alternative = len(siblings) == 2 and re.search(
            rf"broadcaster {re.escape(siblings[0])} \w+ [^\n]*\| {re.escape(siblings[1])}\b", text
        )
        if not (any(s.startswith(path) for s in shown) or alternative):
            missing.append(path)
    assert not helpless, f"commands without a help text: {helpless}"
    assert not missing, f"README shows no 'broadcaster …' line for: {missing}"
