"""Issue 19: only planning offices plan and publish; a station hears only its office's plan."""

from __future__ import annotations

import json

from tests.cli.test_plan_cli import WEEK, office  # noqa: F401  (the example office fixture)


def test_a_commune_cannot_plan_or_publish_and_is_told_its_office(cli, office):  # noqa: F811
    planned = cli("plan", "week", "--office", "XA-DAKMIL", "--week", WEEK)
    assert planned.exit_code == 1
    assert "XA-DAKMIL" in planned.stderr and "không phải đơn vị lập kế hoạch" in planned.stderr
    assert "--office KV-DAKMIL" in planned.stderr
    published = cli("plan", "publish", "--office", "XA-DAKMIL", "--week", WEEK, "--by", "A")
    assert published.exit_code == 1 and "KV-DAKMIL" in published.stderr


def test_a_station_receives_its_offices_published_plan(cli, office):  # noqa: F811
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    shown = cli("playlist", "show", "--station", "XA-DAKMIL", "--date", "2030-03-05")
    assert shown.exit_code == 0, shown.stderr
    assert "KV-DAKMIL" not in shown.stderr


def test_no_session_of_the_published_week_has_more_than_5_percent_silence(cli, office):  # noqa: F811
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    shown = cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK, "--json")
    data = json.loads(shown.stdout)
    sessions = [s for st in data["stations"] for s in st["sessions"]]
    assert len(sessions) == 59
    for s in sessions:
        fill = s["fill"]
        assert fill["silence_ratio"] <= 0.05, (s["date"], s["name"], fill)
        if fill["content_seconds"] + fill["fixed_seconds"] + fill["filler_seconds"] == 0:
            assert s["ends_at"] == s["start"]  # nothing to air: the session does not open
    # Đắk Sắk joins its 06:00 VOV relay early instead of falling silent before it
    daksak = next(st for st in data["stations"] if st["code"] == "XA-DAKSAK")
    kinds = {e["kind"] for s in daksak["sessions"] for e in s["entries"]}
    assert "relay" in kinds
    # the chimes between announcements carry the shipped chime's audio
    code, day = next(
        (st["code"], s["date"])
        for st in data["stations"]
        for s in st["sessions"]
        if any(e["kind"] == "chime" for e in s["entries"])
    )
    listed = cli("playlist", "show", "--station", code, "--date", day, "--format", "json")
    entries = [e for s in json.loads(listed.stdout)["sessions"] for e in s["entries"]]
    chimes = [e for e in entries if e["kind"] == "chime"]
    assert chimes and all(e.get("audio") for e in chimes)


def test_the_printed_playlist_numbers_announcements_only_so_ranges_work(cli, office):  # noqa: F811
    from datetime import UTC, datetime

    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    doc = json.loads(
        cli(
            "playlist", "show", "--station", "XA-DAKSAK", "--date", "2030-03-04", "--format", "json"
        ).stdout
    )
    entries = [e for s in doc["sessions"] for e in s["entries"]]
    assert {e["kind"] for e in entries} > {"announcement"}  # relays, chimes in between
    numbers = [e["number"] for e in entries if e["kind"] == "announcement"]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
    assert all(e["number"] is None for e in entries if e["kind"] != "announcement")
    html = cli(
        "playlist", "show", "--station", "XA-DAKSAK", "--date", "2030-03-04", "--format", "html"
    ).stdout
    assert html.count('<td class="num"></td>') == len(entries) - len(numbers)

    cli.at(datetime(2030, 3, 5, 2, tzinfo=UTC))
    confirmed = cli(
        "airings", "confirm", "--station", "XA-DAKSAK", "--date", "04/03/2030",
        "--aired", f"1-{len(numbers)}", "--operator", "Nguyễn Văn B",
    )  # fmt: skip
    assert confirmed.exit_code == 0, confirmed.stderr
    assert f"đã ghi {len(numbers)}, 0 đã có từ trước" in confirmed.stdout
    beyond = cli(
        "airings", "confirm", "--station", "XA-DAKSAK", "--date", "04/03/2030",
        "--aired", str(len(numbers) + 1), "--operator", "Nguyễn Văn B",
    )  # fmt: skip
    assert beyond.exit_code == 1 and f"từ 1 đến {len(numbers)} (chỉ tin bài" in beyond.stderr


def test_dates_in_three_forms_and_a_readable_playlist_by_default(cli, office, tmp_path):  # noqa: F811
    from datetime import UTC, datetime

    cli.at(datetime(2030, 3, 1, 8, tzinfo=UTC))
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", "05/03").exit_code == 0
    assert (
        cli(
            "plan", "publish", "--office", "KV-DAKMIL", "--week", "2030-03-05", "--by", "A"
        ).exit_code
        == 0
    )
    shown = [
        cli("playlist", "show", "--station", "XA-DAKSAK", "--date", day)
        for day in ("2030-03-05", "05/03/2030", "05/03")
    ]
    assert all(r.exit_code == 0 for r in shown), [r.stderr for r in shown]
    assert shown[0].stdout == shown[1].stdout == shown[2].stdout
    table = shown[0].stdout
    assert "Buổi Sáng: 05:30–06:30" in table and "Tiếp âm" in table and "phút" in table
    assert "giờ Việt Nam (UTC+7)" in table and not table.lstrip().startswith("{")
    as_json = cli(
        "playlist", "show", "--station", "XA-DAKSAK", "--date", "05/03", "--format", "json"
    )
    assert json.loads(as_json.stdout)["date"] == "2030-03-05"
    for form in ("2030-03-04", "04/03/2030", "04/03"):
        book = str(tmp_path / "book.html")
        got = cli(
            "report", "logbook", "--station", "XA-DAKSAK", "--from", form, "--to", "05/03",
            "--out", book,
        )  # fmt: skip
        assert got.exit_code == 0, got.stderr
    wrong = cli("playlist", "show", "--station", "XA-DAKSAK", "--date", "31/02")
    assert wrong.exit_code == 1 and "DD/MM (14/07)" in wrong.stderr
