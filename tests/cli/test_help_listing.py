"""``broadcaster --help`` lists the commands without importing them all."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from broadcaster.cli import COMMAND_MODULES, _listed
from broadcaster.cli.i18n import speaking


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_listed_summary_is_what_the_imported_command_says(lang: str) -> None:
    with speaking(lang):
        for name in COMMAND_MODULES:
            command = importlib.import_module(f"broadcaster.cli.{name}").command
            for width in (30, 60, 200):
                assert _listed(name).get_short_help_str(width) == command.get_short_help_str(
                    width
                ), name


def test_the_list_of_commands_does_not_load_the_web_server_or_the_planner() -> None:
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from broadcaster.cli import main\n"
            "try:\n"
            "    main(['--lang', 'en', '--help'])\n"
            "except SystemExit:\n"
            "    pass\n"
            "print(sorted(m for m in ('fastapi', 'broadcaster.domain.planning', 'docx')"
            " if m in sys.modules))\n",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "  serve      Serve the HTTP API" in shown  # every command is listed
    assert "  plan       " in shown and "  report     " in shown
    assert shown.rstrip().endswith("[]")


def test_a_folder_is_named_in_the_language_shown_not_the_one_active_at_import() -> None:
    from click.testing import CliRunner

    from broadcaster.cli import main

    with speaking("vi"):
        importlib.import_module("broadcaster.cli.agent")
    shown = {
        lang: CliRunner().invoke(main, ["--lang", lang, "agent", "run", "--help"]).output
        for lang in ("en", "vi")
    }
    assert "--folder DIRECTORY " in shown["en"]
    assert "--folder THƯ MỤC " in shown["vi"]
