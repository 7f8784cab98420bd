"""broadcaster cluster status | volume | relay | stop | play | commands (issue 22)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from broadcaster.db import Database
from broadcaster.domain.accounts import Role
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.distribution import Heartbeat, Scope
from broadcaster.usecases.accounts import create_user
from broadcaster.usecases.device_commands import acknowledge_command
from broadcaster.usecases.tokens import create_token

REPO = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
L1, L2, OTHER = "XA-DAKMIL-L1", "XA-DAKMIL-L2", "XA-DUCMANH-L1"


def words(text: str) -> str:
    return " ".join(text.split())


def table(out: str, sep: str = "│", head: str = "┃") -> dict[str, dict[str, str]]:
    """A printed table's rows by their first cell's first line (a code or a number), each
    as column header → the cell's text (its wrapped lines joined)."""

    def cells(line: str, bar: str) -> list[str]:
        return [c.strip() for c in line.split(bar)[1:-1]]

    names: list[list[str]] = []
    rows: list[list[list[str]]] = []
    for line in out.split("\n"):
        if line.startswith(head):
            parts = cells(line, head)
            names = (
                [[*n, p] for n, p in zip(names, parts, strict=True)]
                if names
                else [[p] for p in parts]
            )
        elif line.startswith(sep):
            parts = cells(line, sep)
            if re.fullmatch(r"[A-Z0-9-]+", parts[0]):
                rows.append([[p] for p in parts])
            else:
                rows[-1] = [[*c, p] for c, p in zip(rows[-1], parts, strict=True)]
    headers = [words(" ".join(n)) for n in names]
    return {r[0][0]: dict(zip(headers, (words(" ".join(c)) for c in r), strict=True)) for r in rows}


@pytest.fixture
def office(cli):
    """The example office at NOW: agents on L1 (heard 30 s ago, volume 7, 48.5 °C), on L2
    (last heard two hours ago) and on XA-DUCMANH-L1 (never heard); accounts of the office,
    another commune's operator and a reviewer."""
    assert cli("stations", "load", str(REPO / "schedules" / "example.toml")).exit_code == 0
    db = Database(cli.env["BROADCASTER_DATABASE_URL"])
    clock = FixedClock(NOW)
    for code in (L1, L2, OTHER):
        create_token(db, clock, scope=Scope.STATION, station_code=code, label=code)
    with db.unit_of_work() as uow:
        uow.heartbeats.record(
            Heartbeat(L1, NOW - timedelta(seconds=30), agent_version="1.4.0",
                      playing="Bản tin sáng", volume=7, relay_on=True, audio_ok=True,
                      temperature_c=48.5)
        )  # fmt: skip
        uow.heartbeats.record(
            Heartbeat(L2, NOW - timedelta(hours=2), agent_version="1.3.9", volume=10,
                      relay_on=False, audio_ok=False)
        )  # fmt: skip
    for name, role, node in (
        ("lan", Role.OFFICE, "KV-DAKMIL"),
        ("mai", Role.OPERATOR, "XA-DUCMANH"),
        ("son", Role.REVIEWER, "LAMDONG"),
    ):
        create_user(db, clock, username=name, password="mat-khau-rat-dai-123", role=role,
                    station_code=node, display_name=name.title())  # fmt: skip
    cli.db = db
    cli.at(NOW)
    yield cli
    db.dispose()


def test_status_shows_each_cluster_and_the_communes_summary(office) -> None:
    shown = office("cluster", "status")
    assert shown.exit_code == 0, shown.stderr
    rows = table(shown.stdout)
    assert list(rows) == [L2, L1, OTHER]  # by commune, offline first
    assert rows[L1] == {
        "cụm loa": "XA-DAKMIL-L1 Cụm loa thôn Thuận Hạnh",
        "xã": "XA-DAKMIL",
        "tình trạng": "trực tuyến",
        "đang phát": "Bản tin sáng",
        "âm lượng": "7/15",
        "ampli": "bật",
        "âm thanh": "hoạt động tốt",
        "nhiệt độ": "48.5 °C",
        "phiên bản tác tử": "1.4.0",
    }
    assert rows[L2]["tình trạng"] == "ngoại tuyến từ 02/12/2026 08:00"
    assert (rows[L2]["ampli"], rows[L2]["âm thanh"]) == ("tắt", "không có đầu ra âm thanh")
    assert rows[L2]["đang phát"] == "–" and rows[L2]["phiên bản tác tử"] == "1.3.9"
    assert rows[OTHER]["tình trạng"] == "ngoại tuyến, chưa từng liên lạc"
    out = words(shown.stdout)
    assert "Đài truyền thanh xã Đắk Mil: 1/2 cụm loa trực tuyến" in out
    assert "Đài truyền thanh xã Đức Mạnh: 0/1 cụm loa trực tuyến" in out

    under = words(office("cluster", "status", "--under", "XA-DUCMANH").stdout)
    assert OTHER in under and L1 not in under
    assert "Đài truyền thanh xã Đắk Mil" not in under


def test_commands_are_sent_listed_with_who_and_when_and_their_answers(office) -> None:
    sent = office("cluster", "volume", L1, "9", "--as", "lan")
    assert sent.exit_code == 0, sent.stderr
    assert f"đã gửi lệnh #1 tới {L1}: âm lượng 9/15" in words(sent.stdout)
    assert office("cluster", "relay", L1, "off", "--office", "KV-DAKMIL").exit_code == 0
    assert office("cluster", "stop", L1).exit_code == 0
    acknowledge_command(office.db, FixedClock(NOW + timedelta(seconds=2)), L1, 1, "done", None)
    acknowledge_command(
        office.db, FixedClock(NOW + timedelta(seconds=3)), L1, 3, "failed", "không có gì đang phát"
    )

    listed = office("cluster", "commands", L1)
    assert listed.exit_code == 0, listed.stderr
    rows = table(listed.stdout)
    assert list(rows) == ["3", "2", "1"]  # newest first
    assert rows["1"] == {
        "#": "1",
        "gửi lúc": "02/12/2026 10:00:00",
        "người gửi": "Lan",
        "lệnh": "âm lượng 9/15",
        "kết quả": "xong lúc 02/12/2026 10:00:02",
    }
    assert rows["2"]["lệnh"] == "đã tắt ampli" and rows["2"]["kết quả"] == "đang chờ tác tử"
    assert rows["3"]["lệnh"] == "dừng nội dung đang phát"
    assert rows["3"]["người gửi"].endswith("(CLI)")
    out = words(listed.stdout)
    assert "thất bại lúc 02/12/2026 10:00:03: không có gì đang phát" in out


def test_refusals_say_why_in_one_line_and_exit_non_zero(office) -> None:
    cases = [
        (("volume", L1, "16"), "lỗi: âm lượng phải là một mức từ 1 đến 15"),
        (
            ("volume", L1, "3", "--as", "mai"),
            "Mai vận hành XA-DUCMANH, không phải XA-DAKMIL-L1",
        ),
        (
            ("stop", L1, "--as", "son"),
            "Son (Người xem báo cáo) không được điều khiển cụm loa",
        ),
        (("stop", L1, "--office", "XA-DUCMANH"), "XA-DAKMIL-L1 không thuộc XA-DUCMANH"),
        (("play", L1, "--item", "999"), "lỗi: không có tin 999"),
        (("stop", "XA-NOWHERE"), "lỗi: không có đài 'XA-NOWHERE'"),
        (("commands", L1, "--as", "mai"), "Mai vận hành XA-DUCMANH"),
        (("stop", L1, "--as", "nobody"), "không có tài khoản đang hoạt động tên nobody"),
    ]
    for args, reason in cases:
        refused = office("cluster", *args)
        assert refused.exit_code == 1, (args, refused.stdout)
        lines = refused.stderr.strip().split("\n")
        assert len(lines) == 1 and lines[0].startswith("lỗi: "), (args, refused.stderr)
        assert reason in words(lines[0]), (args, lines[0])
    assert "chưa có lệnh nào" in words(office("cluster", "commands", L1).stdout)


def test_english_on_request(office) -> None:
    shown = office("--lang", "en", "cluster", "status")
    assert "Đắk Mil: 1/2 loudspeaker clusters online" in words(shown.stdout)
    sent = office("--lang", "en", "cluster", "volume", L2, "4")
    assert f"command #1 sent to {L2}: volume 4/15" in words(sent.stdout)
