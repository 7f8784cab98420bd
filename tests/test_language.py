"""One language at a time: every help text and the error paths read in Vietnamese by default and
in English with --lang en; every message of the code is in the catalogue, in both languages."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from broadcaster.cli import COMMAND_MODULES, main
from tests.databases import migrated

REPO = Path(__file__).resolve().parents[1]

#: common English words: one of them in Vietnamese output means an untranslated message
ENGLISH = set(
    """
    a about after again all already also an and any are as at be been before being below both
    but by can cannot could do does done each either else every file files first for found from
    get gives give has have here how if in into is it its just keep keeps kept last left less
    like list lists made make makes may more most must name names need needs new next no none not
    nothing now of off office on once one only or other others out over own please print prints
    read reads same see set sets should show shows so some station stations still such take
    takes than that the their them then there these they this those through to too two under
    until up use used uses using value values was were what when where which while who whom
    whose why will with without would yet you your error errors missing unknown invalid given
    option options command commands usage help day days week weeks time times date dates item
    items plan plans token tokens audio server report reports empty exists already written
    stored changed shown sent send received started
    """.split()  # noqa: SIM905
)
#: what may stay as it is in either language: names of formats, programs, standards, units
ALLOWED = {
    "json",
    "csv",
    "html",
    "xlsx",
    "docx",
    "m3u8",
    "mp3",
    "wav",
    "pdf",
    "txt",
    "md",
    "toml",
    "utf",
    "iso",
    "url",
    "api",
    "openapi",
    "sqlite",
    "postgresql",
    "ffmpeg",
    "ffplay",
    "mpg123",
    "aplay",
    "espeak",
    "ng",
    "gtts",
    "google",
    "piper",
    "fpt",
    "viettel",
    "http",
    "https",
    "sse",
    "lufs",
    "dbtp",
    "kbps",
    "usb",
    "etag",
    "docs",
    "id",
    "ids",
}


def _commands() -> list[list[str]]:
    """Every command path: [], ['plan'], ['plan', 'week'], …"""
    out: list[list[str]] = [[]]
    for name in COMMAND_MODULES:
        cmd = importlib.import_module(f"broadcaster.cli.{name}").command

        def walk(c: click.Command, path: list[str]) -> None:
            out.append(path)
            if isinstance(c, click.Group):
                for sub, child in sorted(c.commands.items()):
                    walk(child, [*path, sub])

        walk(cmd, [name])
    return out


def _strip_code(text: str) -> str:
    """Drop what is code or data rather than prose: quoted commands, options, paths, codes, the
    command's path in the usage line and the names in its list of commands."""
    text = re.sub(r"(?m)^([^:\n]+:) (?:main|broadcaster)(?: [a-z][a-z-]*)*", r"\1", text)
    text = re.sub(r"(?m)^  [a-z][a-z-]*(?=  )", " ", text)
    # a line click wrapped goes on with the one before (a quoted command may be cut in two)
    text = re.sub(r"(?<=\w-)\n[ \t]+(?=\w)", "", text)  # cut after a hyphen: --each-station-under
    text = re.sub(r"\n[ \t]+(?=[^\s-])", " ", text)
    text = re.sub(r"'[^'\n]*'|`[^`\n]*`|\"[^\"\n]*\"", " ", text)
    text = re.sub(r"--?[A-Za-z][\w-]*", " ", text)  # options
    text = re.sub(r"\b[\w./-]*[/\\][\w./-]*", " ", text)  # paths and URLs
    text = re.sub(r"\b[A-Z0-9][A-Z0-9_-]+\b", " ", text)  # codes, metavars, variables
    text = re.sub(r"\bbroadcaster\b", " ", text)
    return text


def english_words(text: str) -> list[str]:
    # whole words, Vietnamese letters included: "của" is one word, not "c" and the English "a"
    words = [w for w in re.findall(r"[^\W\d_]+", _strip_code(text)) if w.isascii()]
    return sorted({w for w in words if w.lower() in ENGLISH and w.lower() not in ALLOWED})


VIETNAMESE_LETTER = re.compile(r"[À-ỹĐđ]")

#: error paths a user meets often: each must answer in one language
ERRORS = [
    ["plan", "week"],
    ["stations", "load", "nowhere.toml"],
    ["tokens", "create"],
    ["directive", "parse", "nowhere.txt"],
    ["emergency", "show", "99"],
    ["items", "show", "99"],
    ["report", "airings", "--office", "KV-DAKMIL", "--from", "30/02/2026", "--to", "01/03/2026"],
    ["nosuchcommand"],
    ["plan", "week", "--office"],
    ["plan", "week", "--office", "KV-NOWHERE", "--week", "2026-W48"],
    ["plan", "show", "--office", "KV-DAKMIL", "--week", "48"],
    ["items", "approve"],
    ["items", "edit", "1", "--script-file", "nowhere.txt"],
    ["speech", "synth"],
    ["tokens", "revoke", "bct_nothing"],
    ["tokens", "create", "--each-station-under", "KV-DAKMIL"],
    ["playlist", "show", "--station", "XA-DAKMIL", "--date", "24/11"],
    [
        "airings",
        "add",
        "--station",
        "XA-DAKMIL",
        "--date",
        "2026-11-24",
        "--at",
        "25:00",
        "--title",
        "x",
        "--operator",
        "B",
    ],
    [
        "airings",
        "confirm",
        "--station",
        "XA-DAKMIL",
        "--date",
        "2026-11-24",
        "--operator",
        "B",
        "--missed",
        "all",
    ],
    ["db", "restore", "nowhere.db", "--yes"],
    ["config", "show", "nosuchsection"],
    ["agent", "status", "--station", "XA-DAKMIL"],
    ["agent", "rejected", "--station", "XA-DAKMIL", "--retry", "all", "--drop", "all"],
    ["report", "logbook", "--station", "XA-NOWHERE", "--from", "2026-11-01", "--to", "2026-11-07"],
]


def _run(cli_env: dict[str, str], args: list[str]) -> str:
    result = CliRunner(mix_stderr=False).invoke(main, args, env=cli_env)
    return result.stdout + result.stderr


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "BROADCASTER_DATABASE_URL": migrated(f"sqlite:///{tmp_path / 'lang.db'}"),
        "BROADCASTER_DATA_DIR": str(tmp_path / "data"),
        "BROADCASTER_CONFIG": "",
        "BROADCASTER_LANG": "",
        "HOME": str(tmp_path),
    }


def test_every_help_reads_in_vietnamese_by_default(env):
    untranslated = {}
    for path in _commands():
        text = _run(env, [*path, "--help"])
        found = english_words(text)
        if found:
            untranslated[" ".join(path) or "broadcaster"] = found
    assert untranslated == {}


def test_every_help_reads_in_english_with_lang_en(env):
    vietnamese = {}
    for path in _commands():
        text = _run(env, ["--lang", "en", *path, "--help"])
        if VIETNAMESE_LETTER.search(text):
            vietnamese[" ".join(path) or "broadcaster"] = VIETNAMESE_LETTER.findall(text)[:5]
    assert vietnamese == {}


@pytest.mark.parametrize("args", ERRORS, ids=" ".join)
def test_error_paths_speak_one_language(env, args):
    vi = _run(env, args)
    assert vi.strip() and english_words(vi) == [], vi
    en = _run(env, ["--lang", "en", *args])
    assert en.strip() and not VIETNAMESE_LETTER.search(en), en


def test_the_check_finds_english_and_lets_codes_pass():
    assert english_words("Lỗi: the file is missing") == ["file", "is", "missing", "the"]
    assert english_words("Gõ 'broadcaster plan week --office KV-DAKMIL' rồi xem tệp a/b.json") == []
    assert english_words("Lịch của đài chưa sửa") == []
    usage = "Cách dùng: main items set [TÙY CHỌN]\n\nLệnh:\n  list  Liệt kê\n  show  Xem"
    assert english_words(usage) == []
    assert english_words("  Show the list") == ["Show", "list", "the"]
    assert english_words("Lỗi: không có tệp (file is missing)") == ["file", "is", "missing"]


def test_every_message_of_the_code_is_translated_in_both_languages():
    sys.path.insert(0, str(REPO / "scripts"))
    import i18n

    assert i18n.problems() == []
