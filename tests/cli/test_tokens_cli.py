"""broadcaster tokens create | list | revoke."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_create_list_revoke(cli):
    assert cli("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0
    made = cli("tokens", "create", "--station", "XA-DAKMIL", "--label", "máy phát xã")
    assert made.exit_code == 0, made.stderr
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("bct_") and len(secret) > 40
    office = cli("tokens", "create", "--office", "KV-DAKMIL")
    assert office.exit_code == 0
    listed = cli("tokens", "list")
    assert "XA-DAKMIL" in listed.stdout and "KV-DAKMIL" in listed.stdout
    assert secret not in listed.stdout and secret[:10] in listed.stdout
    revoked = cli("tokens", "revoke", secret[:10])
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout
    assert "XA-DAKMIL" not in cli("tokens", "list").stdout
    assert "XA-DAKMIL" in cli("tokens", "list", "--all").stdout


def test_mistakes_get_one_clear_line(cli):
    cli("stations", "load", str(REPO / "schedules" / "example.toml"))
    r = cli("tokens", "create", "--office", "XA-DAKMIL")
    assert r.exit_code == 1 and "not a planning office" in r.stderr
    r = cli("tokens", "create", "--station", "NOWHERE")
    assert r.exit_code == 1 and "unknown station 'NOWHERE'" in r.stderr
    r = cli("tokens", "revoke", "bct_nothing")
    assert r.exit_code == 1 and "no token match" in r.stderr
    r = cli("tokens", "create")
    assert r.exit_code == 2
