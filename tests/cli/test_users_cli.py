"""broadcaster users create | list | disable | enable | reset-password."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _office(cli):
    assert cli("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0
    return cli


def test_accounts_are_made_listed_disabled_and_reset(cli):
    _office(cli)
    made = cli(
        "users",
        "create",
        "lan",
        "--role",
        "office",
        "--station",
        "KV-DAKMIL",
        "--display-name",
        "Nguyễn Thị Lan",
        "--password-stdin",
        input="mat-khau-that-dai\n",
    )
    assert made.exit_code == 0, made.stderr
    listed = cli("users", "list").stdout
    assert "lan" in listed and "Nguyễn Thị Lan" in listed and "KV-DAKMIL" in listed
    assert cli("users", "disable", "lan").exit_code == 0
    assert cli("users", "enable", "lan").exit_code == 0
    reset = cli("users", "reset-password", "lan", "--random")
    assert reset.exit_code == 0 and len(reset.stdout.splitlines()[-1]) >= 12
    from broadcaster.clock import SystemClock
    from broadcaster.db import Database
    from broadcaster.usecases.accounts import sign_in

    db = Database(cli.env["BROADCASTER_DATABASE_URL"])
    assert sign_in(db, SystemClock(), "lan", reset.stdout.splitlines()[-1]).username == "lan"
    db.dispose()


def test_bad_accounts_are_refused_with_one_line(cli):
    _office(cli)

    def refuse(*args: str, password: str = "mat-khau-that-dai") -> str:
        r = cli("users", "create", *args, "--password-stdin", input=password + "\n")
        assert r.exit_code != 0 and "Traceback" not in r.stderr
        return r.stderr

    assert "10" in refuse("x1", "--role", "office", "--station", "KV-DAKMIL", password="ngan")
    assert "NOWHERE" in refuse("x2", "--role", "office", "--station", "NOWHERE")
    assert "--role" in refuse("x3", "--role", "boss", "--station", "KV-DAKMIL")
    assert refuse("Tên Có Dấu", "--role", "office", "--station", "KV-DAKMIL")
    cli(
        "users",
        "create",
        "lan",
        "--role",
        "office",
        "--station",
        "KV-DAKMIL",
        "--password-stdin",
        input="mat-khau-that-dai\n",
    )
    assert "lan" in refuse("lan", "--role", "office", "--station", "KV-DAKMIL")
    assert cli("users", "disable", "nobody").exit_code == 1
