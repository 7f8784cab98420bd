"""``broadcaster airings confirm|add``: a station without an agent returns its signed playlist."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from broadcaster.db import Database
from broadcaster.domain.items import Approval, ApprovalState, Item, Priority
from tests.conftest import Cli

WEEK = "2030-W10"  # Monday 4 March 2030
MONDAY = "2030-03-04"
OK = Approval(ApprovalState.APPROVED, "Phó Chủ tịch UBND xã", datetime(2030, 3, 1, tzinfo=UTC))


@pytest.fixture
def published(cli: Cli, repo_dir: Path, sqlite_url: str) -> Cli:
    """The example office's week, planned and published on the Friday before."""
    assert cli("stations", "load", str(repo_dir / "schedules" / "example.toml")).exit_code == 0
    db = Database(sqlite_url)
    with db.unit_of_work() as uow:
        for title in ("An toàn giao thông", "Chuyển đổi số cấp xã", "Phòng cháy rừng"):
            uow.items.add(
                Item(
                    title,
                    priority=Priority.NORMAL,
                    approval=OK,
                    estimated_duration=timedelta(seconds=90),
                )
            )
    db.dispose()
    cli.at(datetime(2030, 3, 1, 8, tzinfo=UTC))
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    # the paper comes back the next Monday
    cli.at(datetime(2030, 3, 11, 2, tzinfo=UTC))
    return cli


def _playlist(cli: Cli, station: str) -> list[dict[str, object]]:
    out = cli("playlist", "show", "--station", station, "--date", MONDAY, "--format", "json")
    data = json.loads(out.stdout)
    return [e for s in data["sessions"] for e in s["entries"] if e["item_id"] is not None]


def _report_json(cli: Cli) -> dict[str, Any]:
    """The office report for the Monday, as JSON."""
    out = cli(
        "report", "airings", "--office", "KV-DAKMIL", "--from", MONDAY, "--to", MONDAY,
        "--format", "json",
    )  # fmt: skip
    assert out.exit_code == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def _report(cli: Cli) -> dict[str, dict[str, int]]:
    """Per station: planned, aired, missed, unplanned…"""
    return {s["station_code"]: s for s in _report_json(cli)["stations"]}


def test_confirm_from_the_printed_playlist_counts_in_the_reports(published: Cli) -> None:
    entries = _playlist(published, "XA-DAKMIL")
    assert len(entries) >= 2
    positions = [e["number"] for e in entries]  # the TT column: announcements only
    missed = positions[-1]
    result = published(
        "airings",
        "confirm",
        "--station",
        "XA-DAKMIL",
        "--date",
        "04/03/2030",
        "--aired",
        "all",
        "--missed",
        str(missed),
        "--operator",
        "Nguyễn Văn B",
        "--note",
        "mất điện",
    )
    assert result.exit_code == 0, result.stderr
    assert f"đã ghi {len(entries)}, 0 đã có từ trước (người phát Nguyễn Văn B)" in result.stdout
    assert "Bỏ lỡ" in result.stdout and "Xác nhận thủ công" in result.stdout
    station = _report(published)["XA-DAKMIL"]
    assert (station["planned"], station["aired"], station["missed"]) == (
        len(entries),
        len(entries) - 1,
        1,
    )

    # the same paper again changes nothing; a correction of the missed entry wins
    again = published(
        "airings",
        "confirm",
        "--station",
        "XA-DAKMIL",
        "--date",
        MONDAY,
        "--aired",
        "all",
        "--missed",
        str(missed),
        "--operator",
        "Nguyễn Văn B",
    )
    assert f"đã ghi 0, {len(entries)} đã có từ trước" in again.stdout
    fixed = published(
        "airings",
        "confirm",
        "--station",
        "XA-DAKMIL",
        "--date",
        MONDAY,
        "--aired",
        str(missed),
        "--operator",
        "Nguyễn Văn B",
    )
    assert "đã ghi 1, 0 đã có từ trước" in fixed.stdout
    station = _report(published)["XA-DAKMIL"]
    assert (station["aired"], station["missed"]) == (len(entries), 0)


def test_a_local_notice_is_an_unplanned_airing_recorded_once(published: Cli) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Thông báo  họp dân thôn Xuân Lộc")
    args = (
        "airings",
        "add",
        "--station",
        "XA-DUCMANH",
        "--date",
        MONDAY,
        "--at",
        "17h50",
        "--title",
        nfd,
        "--minutes",
        "2",
        "--operator",
        unicodedata.normalize("NFD", "Nguyễn Văn B"),
    )
    first = published(*args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.strip() == (
        "XA-DUCMANH 04/03/2030 17:50: «Thông báo họp dân thôn Xuân Lộc» (2 phút, ngoài kế hoạch) "
        "đã được ghi"
    )
    assert "đã được ghi từ trước, không có gì thay đổi" in published(*args).stdout
    assert _report(published)["XA-DUCMANH"]["unplanned"] == 1
    (notice,) = _report_json(published)["unplanned"]
    assert (notice["title"], notice["operator"]) == (
        "Thông báo họp dân thôn Xuân Lộc",
        "Nguyễn Văn B",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--aired", "1,99"], "--aired 99: danh mục phát ngày 04/03/2030 có các mục từ 1 đến "),
        (["--aired", "1", "--missed", "1"], "mục số 1 được ghi cho cả --missed và --aired"),
        (["--aired", "3-1"], "--aired '3-1': khoảng 3-1 bị ngược; hãy viết 1-3"),
        (["--aired", "một"], "--aired 'một': 'một' không phải số thứ tự mục"),
        (["--missed", "all"], "--missed nhận số thứ tự của mục; 'all' chỉ dùng cho --aired"),
        ([], "không có gì để ghi: hãy cho --aired, --missed hoặc --partial"),
    ],
)
def test_mistakes_record_nothing(published: Cli, args: list[str], message: str) -> None:
    result = published(
        "airings", "confirm", "--station", "XA-DAKMIL", "--date", MONDAY, "--operator", "B", *args
    )
    assert result.exit_code == 1
    assert message in result.stderr
    assert _report(published)["XA-DAKMIL"]["aired"] == 0


def test_entries_still_to_come_and_unpublished_days_are_refused(published: Cli) -> None:
    published.at(datetime(2030, 3, 4, 1, tzinfo=UTC))
    early = published(
        "airings",
        "confirm",
        "--station",
        "XA-DAKMIL",
        "--date",
        MONDAY,
        "--aired",
        "all",
        "--operator",
        "B",
    )
    assert early.exit_code == 1 and "muộn hơn bây giờ; hãy xác nhận sau khi phát" in early.stderr
    none = published(
        "airings",
        "confirm",
        "--station",
        "XA-DAKMIL",
        "--date",
        "2030-04-02",
        "--aired",
        "1",
        "--operator",
        "B",
    )
    assert (
        none.exit_code == 1
        and "chưa có kế hoạch nào cho đài XA-DAKMIL trong tuần 2030-W14" in none.stderr
    )
    cluster = published(
        "airings",
        "add",
        "--station",
        "XA-DAKMIL-L1",
        "--date",
        MONDAY,
        "--at",
        "6:10",
        "--title",
        "Loa thôn",
        "--operator",
        "B",
    )
    assert cluster.exit_code == 1 and "không phát chương trình riêng" in cluster.stderr
