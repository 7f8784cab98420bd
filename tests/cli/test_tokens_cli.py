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
    assert "cấp mã cho phần mềm phát bằng BROADCASTER_AGENT_TOKEN" in made.stdout
    office = cli("tokens", "create", "--office", "KV-DAKMIL")
    assert office.exit_code == 0
    listed = cli("tokens", "list")
    assert "XA-DAKMIL" in listed.stdout and "KV-DAKMIL" in listed.stdout
    assert secret not in listed.stdout and secret[:10] in listed.stdout
    revoked = cli("tokens", "revoke", secret[:10])
    assert revoked.exit_code == 0 and "đã thu hồi mã truy cập" in revoked.stdout
    assert "XA-DAKMIL" not in cli("tokens", "list").stdout
    assert "XA-DAKMIL" in cli("tokens", "list", "--all").stdout


def test_mistakes_get_one_clear_line(cli):
    cli("stations", "load", str(REPO / "schedules" / "example.toml"))
    r = cli("tokens", "create", "--office", "XA-DAKMIL")
    assert r.exit_code == 1 and "không phải là đơn vị lập kế hoạch" in r.stderr
    r = cli("tokens", "create", "--station", "NOWHERE")
    assert r.exit_code == 1 and "không có đài 'NOWHERE'" in r.stderr
    r = cli("tokens", "revoke", "bct_nothing")
    assert r.exit_code == 1 and "không có mã truy cập nào khớp với 'bct_nothing'" in r.stderr
    r = cli("tokens", "create")
    assert r.exit_code == 2


def test_a_token_can_expire_and_the_list_says_so(cli):
    from datetime import UTC, datetime

    cli("stations", "load", str(REPO / "schedules" / "example.toml"))
    cli.at(datetime(2026, 6, 1, 1, 0, tzinfo=UTC))
    made = cli("tokens", "create", "--station", "XA-DAKMIL", "--expires", "30/06/2026")
    assert made.exit_code == 0, made.stderr
    # the end of that day in the office's zone, shown in it (never in UTC)
    assert "hiệu lực đến 01/07/2026 00:00" in made.stdout
    short = cli("tokens", "create", "--station", "XA-DUCMANH", "--expires", "2w")
    assert "hiệu lực đến 15/06/2026 08:00" in short.stdout
    forever = cli("tokens", "create", "--station", "XA-DAKSAK")
    assert "hiệu lực đến" not in forever.stdout
    rows = {
        line.split("│")[4].strip(): line
        for line in cli("tokens", "list").stdout.splitlines()
        if line.count("│") > 8
    }
    assert "01/07/2026 00:00" in rows["XA-DAKMIL"] and rows["XA-DAKMIL"].rstrip("│ ").endswith(
        "đang dùng"
    )
    assert "01/06/2026 08:00" in rows["XA-DAKMIL"]  # made at 01:00 UTC
    # two weeks left: flagged, so the office renews it before the station goes silent
    assert rows["XA-DUCMANH"].rstrip("│ ").endswith("hết hạn sau 14 ngày")

    # a month later the first two have expired; the third is still active
    cli.at(datetime(2026, 7, 2, tzinfo=UTC))
    rows = {
        line.split("│")[4].strip(): line
        for line in cli("tokens", "list").stdout.splitlines()
        if line.count("│") > 8
    }
    assert rows["XA-DAKMIL"].rstrip("│ ").endswith("đã hết hạn")
    assert rows["XA-DUCMANH"].rstrip("│ ").endswith("đã hết hạn")
    assert rows["XA-DAKSAK"].rstrip("│ ").endswith("đang dùng")


def test_bad_expiries_are_refused_and_make_no_token(cli):
    cli("stations", "load", str(REPO / "schedules" / "example.toml"))
    for value, message in [
        ("soon", "không phải là khoảng thời gian cũng không phải là ngày"),
        ("31/02/2027", "không phải là khoảng thời gian cũng không phải là ngày"),
        ("2020-01-01", "đã qua"),
        ("0d", "bằng không"),
        ("99999d", "dài hơn 10 năm"),
    ]:
        r = cli("tokens", "create", "--station", "XA-DAKMIL", "--expires", value)
        assert r.exit_code == 1, value
        assert r.stderr.startswith(f"lỗi: --expires {value!r} ") and message in r.stderr
    assert "chưa có mã truy cập nào" in cli("tokens", "list").stdout


def _load(cli) -> None:
    assert cli("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0


def test_tokens_for_every_station_of_an_office_in_one_command(cli, tmp_path) -> None:
    _load(cli)
    out = tmp_path / "tokens.csv"
    r = cli("tokens", "create", "--each-station-under", "KV-DAKMIL", "--csv", str(out))
    assert r.exit_code == 0, r.stderr
    assert "đã tạo 4 mã truy cập cho các đài trực thuộc KV-DAKMIL" in r.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "station,token"
    rows = dict(line.split(",") for line in lines[1:])
    # only the stations that air: communes, not the office or the clusters
    assert sorted(rows) == ["XA-DAKMIL", "XA-DAKSAK", "XA-DUCMANH", "XA-THUANAN"]
    assert all(t.startswith("bct_") and len(t) > 40 for t in rows.values())
    assert out.stat().st_mode & 0o077 == 0  # the secrets are for the owner only
    listed = cli("tokens", "list").stdout
    assert listed.count("│ đài ") >= 4
    # each token works for its own station
    from broadcaster.db import Database
    from broadcaster.domain.distribution import hash_token

    db = Database(cli.env["BROADCASTER_DATABASE_URL"])
    with db.unit_of_work() as uow:
        for code, secret in rows.items():
            who = uow.tokens.authenticate(hash_token(secret), _now())
            assert who.station_code == code and who.scope.value == "station"
    db.dispose()
    # again with --missing-only: every station has one, so none is made and the file stays
    kept = out.read_text(encoding="utf-8")
    again = cli(
        "tokens",
        "create",
        "--each-station-under",
        "KV-DAKMIL",
        "--csv",
        str(out),
        "--force",
        "--missing-only",
    )
    assert again.exit_code == 0, again.stderr
    assert "mọi đài phát thanh trực thuộc KV-DAKMIL đều đã có mã truy cập dùng được" in again.stdout
    assert out.read_text(encoding="utf-8") == kept


def test_bulk_tokens_are_all_or_nothing_and_mistakes_get_one_line(cli, tmp_path) -> None:
    _load(cli)
    before = cli("tokens", "list").stdout

    def refuse(*args: str) -> str:
        r = cli("tokens", "create", *args)
        assert r.exit_code != 0 and "Traceback" not in r.stderr
        return " ".join(r.stderr.split())

    assert "cần --csv TỆP" in refuse("--each-station-under", "KV-DAKMIL")
    assert "không có đài 'NOWHERE'" in refuse(
        "--each-station-under", "NOWHERE", "--csv", str(tmp_path / "a.csv")
    )
    assert "không có đài nào phát sóng dưới XA-DAKMIL-L1" in refuse(
        "--each-station-under", "XA-DAKMIL-L1", "--csv", str(tmp_path / "a.csv")
    )
    assert "không phải thư mục" in refuse(
        "--each-station-under", "KV-DAKMIL", "--csv", str(tmp_path / "none" / "a.csv")
    )
    taken = tmp_path / "taken.csv"
    taken.write_text("keep me")
    assert "đã có" in refuse("--each-station-under", "KV-DAKMIL", "--csv", str(taken))
    assert taken.read_text() == "keep me"
    assert "cho đúng một trong ba" in refuse(
        "--station", "XA-DAKMIL", "--each-station-under", "KV-DAKMIL", "--csv", str(taken)
    )
    assert cli("tokens", "list").stdout == before
    assert not list(tmp_path.glob(".*.part"))


def test_bulk_tokens_can_go_to_standard_output(cli) -> None:
    _load(cli)
    r = cli("tokens", "create", "--each-station-under", "KV-DAKMIL", "--csv", "-")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "station,token" and len(r.stdout.splitlines()) == 5
    assert "đã tạo 4 mã truy cập cho các đài trực thuộc KV-DAKMIL" in r.stderr


def _now():
    from broadcaster.clock import SystemClock

    return SystemClock().now()
