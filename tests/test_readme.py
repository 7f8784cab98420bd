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


# --- the README's examples, run ------------------------------------------------------------
#
# Every ``broadcaster …`` line of the README's shell blocks is run, in the README's order, on
# one demo database (the demo's stations, guidance, speech and published week; built once), at
# a fixed time just before the weeks the README names. What the README writes as a placeholder
# (FILE, ID, NAME …) or a choice (``a|b``, ``[--opt]``) is filled in by ``_concrete``.

#: lines that cannot run here, each with why: a server or a long-running process, the network,
#: or a file the README expects the reader to bring
NOT_RUN = {
    "broadcaster demo --out demo-out --serve": "keeps a web server running (Ctrl-C stops it)",
    "broadcaster serve": "keeps a web server running",
    "broadcaster agent run": "a station agent runs until stopped",
    "broadcaster pull --server": "needs the office's server on the network",
    "broadcaster speech voices add": "needs a Piper voice file the reader downloads",
    "broadcaster speech check": "needs the speech recogniser's model, downloaded on first use",
    "broadcaster segments add nhac-hieu.wav": "needs the reader's own recording",
    'broadcaster emergency send --office KV-DAKMIL --title "Cháy rừng" --audio': (
        "needs the reader's own recording"
    ),
}
#: the fixed time of the run: the Friday before the README's week 2026-W48
README_NOW = "2026-11-20T08:00:00+07:00"


def _not_run(line: str) -> str | None:
    return next((why for start, why in NOT_RUN.items() if line.startswith(start)), None)


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's database after its stations, guidance, speech and plan steps (no playout:
    that step serves the API), made once for the session."""
    from datetime import datetime

    from broadcaster.cli import App, make_console
    from broadcaster.config import load_settings
    from broadcaster.demo import DemoRun, demo_settings
    from broadcaster.demo.directives import step_directives
    from broadcaster.demo.plan import step_plan
    from broadcaster.demo.stations import step_speech, step_stations
    from broadcaster.domain.clock import FixedClock

    out = tmp_path_factory.mktemp("readme") / "demo-out"
    out.mkdir()
    settings = demo_settings(load_settings(env={}), out)
    clock = FixedClock(datetime.fromisoformat(README_NOW))
    app = App(settings=settings, clock=clock, console=make_console())
    run = DemoRun(app=app, out=out, stations_file=README.parent / "schedules" / "example.toml")
    try:
        for step in (step_stations, step_directives, step_speech, step_plan):
            step(run)
    finally:
        app.close()
    return out


#: what a placeholder stands for, by the command (its first two words) or the option before it
_BY_OPTION = {
    "--station": "LAMDONG",
    "--office": "KV-DAKMIL",
    "--stations": "XA-DAKMIL",
    "--by": "Nguyễn Văn A",
    "--title": "Tuyên truyền phòng, chống cháy rừng",
    "--comment": "Ghi rõ thời gian họp",
    "--text": "Xin thông báo đến toàn thể nhân dân",
    "--target": "3",
    "--at-line": "2",
    "--from": "2026-11-23",
    "--until": "2026-11-29",
    "--script-file": "script.txt",
    "--directive": "2",
}


def _choice(token: str) -> str:
    """``propaganda|administrative|all`` → ``propaganda``; ``[--json]`` → ``--json``."""
    token = token.strip("[]")
    return token.split("|")[0] if "|" in token and token != "|" else token


def _commands(line: str) -> list[list[str]]:
    """The commands a README line shows (``list | show ID`` is two), choices made."""
    tokens = [_choice(t) for t in _tokens(line)[1:] if t not in ("[ID…]",)]
    commands: list[list[str]] = [[]]
    for token in tokens:
        if token == "|":
            commands.append([])
        else:
            commands[-1].append(token)
    first, out = commands[0], [commands[0]]
    _group, _cmd, rest = _resolve(first, line)
    named = first[: len(first) - len(rest)]  # "items approve"
    for alternative in commands[1:]:
        if alternative[0].startswith("-"):  # "approve ID… | --directive ID": the same command
            out.append([*named, *alternative])
        else:  # "list | show ID": a sibling in the same group
            out.append([*named[:-1], *alternative])
    return out


def _item_ids(database_url: str) -> dict[str, list[str]]:
    """Items the README's ``items …`` lines are filled with, read from the database as it is
    when the line runs: approved ones to show, edit, approve and plan; a draft to send back;
    the newest draft (the one 'items add' just made) to delete; the last two drafts of one
    document to merge; a draft whose text has two lines or more to split."""
    from broadcaster.db import Database
    from broadcaster.domain.items import ItemKind

    db = Database(database_url)
    try:
        with db.unit_of_work() as uow:
            items = [i for i in uow.items.list(kind=ItemKind.PROPAGANDA) if i.id is not None]
    finally:
        db.dispose()
    approved = [str(i.id) for i in items if i.approval.approved]
    drafts = [i for i in items if not i.approval.approved]
    by_directive: dict[int, list[str]] = {}
    for item in drafts:
        by_directive.setdefault(item.directive_id, []).append(str(item.id))
    mergeable = next(ids for ids in by_directive.values() if len(ids) >= 2)
    return {
        "items": approved[:2],
        "items send-back": [str(drafts[0].id)],
        "items delete": [str(max(i.id for i in drafts if i.id is not None))],
        "items merge": mergeable[-2:],
        "items split": [str(next(i.id for i in drafts if len(i.text.splitlines()) >= 2))],
    }


def _fill(words: list[str], ids: dict[str, list[str]], names: list[str]) -> list[str]:
    filled: list[str] = []
    used: dict[str, int] = {}  # how many of each key's ids are taken ("merge ID ID…")
    for n, word in enumerate(words):
        before = words[n - 1] if n else ""
        bare = word.removesuffix(",…").rstrip("…")  # "ID…", "CODE,…"
        if bare in ("ID", "DIRECTIVE_ID"):
            key = " ".join(words[:2]) if " ".join(words[:2]) in ids else words[0]
            if bare == "DIRECTIVE_ID" or before == "--directive":
                key = "directive"
            taken = used.get(key, 0)
            values = ids[key][taken:] if word.endswith("…") else ids[key][taken : taken + 1]
            assert values, f"no {key} id left to fill {' '.join(words)!r} with"
            used[key] = taken + len(values)
            filled.extend(values)
            continue
        if bare == "NAME" and words[:2] == ["users", "create"]:
            value = f"nguoi-dung-{len(names) + 1}"
            names.append(value)
        elif bare == "NAME" and before != "--by":
            value = names[0]
        elif bare in ("FILE", "CODE", "TEXT", "N", "D", "NAME") and before in _BY_OPTION:
            value = _BY_OPTION[before]
        elif bare == "FILE":
            value = "schedules/guidance/2026-05_cong-van-phong-chong-thien-tai.txt"
        elif bare == "PREFIX":
            value = ids["token"][0]
        elif bare == "SECTION":
            value = "planner"
        else:
            value = word
        filled.append(value.replace("/media/usb", "usb"))
    return filled


@pytest.fixture(scope="module")
def readme_run(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory):
    """Runs README commands in a work folder beside the demo (its files written there), offline
    (espeak-ng speaks), at :data:`README_NOW`; placeholders filled from what is stored and
    from what the commands before printed."""
    import os
    from datetime import datetime

    from click.testing import CliRunner

    from broadcaster.cli import Overrides
    from broadcaster.domain.clock import FixedClock

    work = tmp_path_factory.mktemp("readme-work")
    (work / "schedules").symlink_to(README.parent / "schedules")
    (work / "script.txt").write_text("Xin thông báo: họp dân lúc 17h30 tại nhà văn hóa.\n")
    (work / "pw.txt").write_text("mat-khau-rat-dai-123\n")
    (work / "usb" / "sao-luu").mkdir(parents=True)
    database_url = f"sqlite:///{demo_folder / 'broadcaster.db'}"
    ids: dict[str, list[str]] = {"directive": ["2"], "emergency": [], "token": []}
    ids.update(_item_ids(database_url))
    names: list[str] = []
    env = {
        "BROADCASTER_DATABASE_URL": database_url,
        "BROADCASTER_DATA_DIR": str(demo_folder),
        "BROADCASTER_AUDIO_DIR": str(demo_folder / "audio"),
        "BROADCASTER_CONFIG": "",
        "BROADCASTER_SPEECH_ENGINE": "espeak-ng",
        "EDITOR": "true",
        "COLUMNS": "200",
    }
    clock = FixedClock(datetime.fromisoformat(README_NOW))
    here = os.getcwd()

    def run(line: str) -> list[tuple[list[str], object]]:
        done = []
        stdin = None
        if " < pw.txt" in line:
            stdin = (work / "pw.txt").read_text()
        elif "password prompted" in line or "reset-password" in line:
            stdin = "mat-khau-rat-dai-123\n" * 2
        elif "speech normalize -" in line:
            stdin = (work / "script.txt").read_text()
        for words in _commands(line):
            if words[0] == "items" and words[1] in ("send-back", "delete", "merge", "split"):
                ids.update({k: v for k, v in _item_ids(database_url).items() if k != "items"})
            args = _fill(words, ids, names)
            os.chdir(work)
            try:
                result = CliRunner(mix_stderr=False).invoke(
                    main, args, input=stdin, env=env, obj=Overrides(clock=clock)
                )
            finally:
                os.chdir(here)
            if args[:2] == ["tokens", "list"]:  # "│ 1  │ bct_7HzzGz… │": the first prefix
                ids["token"] = re.findall(r"\b(bct_[\w-]+)…", result.stdout)[:1]
            if args[:2] in (["emergency", "send"], ["emergency", "correct"]):
                # "… bản tin khẩn cấp #2 «…» …": the bulletin just sent
                ids["emergency"] = re.findall(r"#(\d+) «", result.stdout)[-1:]
            done.append((args, result))
        return done

    return run


@pytest.mark.slow
@pytest.mark.parametrize("line", LINES)
def test_every_readme_example_runs_on_the_demo_database(line: str, readme_run) -> None:
    why = _not_run(line)
    if why:
        pytest.skip(f"not run here: {why}")
    for args, result in readme_run(line):
        shown = f"broadcaster {shlex.join(args)}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{shown}\n{result.exc_info}"
        )
        assert result.exit_code == 0, shown
        assert "Traceback" not in result.stdout + result.stderr, shown
