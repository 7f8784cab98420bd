"""Issue 19: reports tell 'not yet due' from 'no plan'; a log book stops at today."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.cli.test_plan_cli import WEEK, office  # noqa: F401  (the example office fixture)


def test_airings_not_yet_due_are_not_called_unplanned(cli, office, tmp_path: Path):  # noqa: F811
    cli.at(datetime(2030, 3, 1, 8, tzinfo=UTC))
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    cli.at(datetime(2030, 3, 5, 2, tzinfo=UTC))  # Tuesday 09:00 in Vietnam
    out = tmp_path / "report.html"
    done = cli(
        "report", "airings", "--office", "KV-DAKMIL", "--from", "07/03/2030", "--to", "10/03/2030",
        "--format", "html", "--out", str(out),
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert "chưa đến giờ" in html
    assert "không có lượt phát theo kế hoạch" not in html.lower()

    book = tmp_path / "book.html"
    done = cli(
        "report", "logbook", "--station", "XA-DAKMIL", "--from", "04/03", "--to", "10/03",
        "--format", "html", "--out", str(book),
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    text = book.read_text(encoding="utf-8")
    assert text.count('<section class="day">') == 2  # Monday and today, not the days to come


def test_the_docx_report_is_addressed_to_the_offices_parent_body(cli, office, tmp_path: Path):  # noqa: F811
    import docx

    from broadcaster.domain.stations import Station, StationKind
    from broadcaster.reports.model import governing_body

    assert governing_body(Station("X", "Thành phố Đà Nẵng", StationKind.PROVINCE)) == (
        "UBND thành phố Đà Nẵng"
    )
    assert governing_body(Station("Y", "Trung tâm khu vực A", StationKind.REGION)) == (
        "Trung tâm khu vực A"
    )
    cli.at(datetime(2030, 3, 1, 8, tzinfo=UTC))
    assert cli("plan", "week", "--office", "KV-DAKMIL", "--week", WEEK).exit_code == 0
    assert (
        cli("plan", "publish", "--office", "KV-DAKMIL", "--week", WEEK, "--by", "A").exit_code == 0
    )
    cli.at(datetime(2030, 3, 11, 2, tzinfo=UTC))
    out = tmp_path / "report.docx"
    done = cli(
        "report", "airings", "--office", "KV-DAKMIL", "--from", "04/03/2030", "--to", "10/03/2030",
        "--format", "docx", "--out", str(out),
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "- UBND tỉnh Lâm Đồng (" in text and "- Tỉnh Lâm Đồng" not in text
