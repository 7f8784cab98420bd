"""``broadcaster directive parse|import|list|show`` as a planning office uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.ingest.conversions import scanned_pdf

GUIDANCE = Path(__file__).resolve().parents[2] / "schedules" / "guidance"
EXAMPLE = GUIDANCE / "2026-05_huong-dan-tuyen-truyen-xa-nam-binh.txt"


def count_rows(cli: Cli) -> tuple[int, int]:
    result = cli("directive", "list")
    items = cli("items", "list", "--kind", "all")
    directives = result.output.count(".txt")
    return directives, items.output.count("nháp") + items.output.count("✓")


def test_parse_json_contract(cli: Cli, seeds_dir: Path) -> None:
    seed = next(seeds_dir.glob("003_*.txt"))
    result = cli("directive", "parse", str(seed), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    doc = data["document"]
    assert {"number", "issuer", "place", "date", "subject", "addressees", "period", "basis"} <= set(
        doc
    )
    assert (doc["number"], doc["place"], doc["date"]) == ("/STTTT-TTBCXB", "Đắk Nông", "2021-05")
    assert doc["period"] == {"text": "Từ tuần 4, tháng 5/2021", "start": "2021-05-24", "end": None}
    assert len(data["items"]) == 19
    item = data["items"][14]
    assert set(item) >= {
        "number",
        "title",
        "kind",
        "basis",
        "slogans",
        "theme",
        "observances",
        "text",
        "script",
        "estimated_seconds",
    }
    assert item["basis"] == [
        {
            "type": "Kế hoạch",
            "number": "327/KH-BCĐ",
            "date": "2021-05-04",
            "issuer": "BCĐ PCTP, TNXH & XDPTTTHVVTĐ tỉnh",
        }
    ]
    assert item["observances"] == [{"name": "Ngày toàn dân phòng, chống ma túy", "date": "--06-26"}]
    assert item["theme"] is None and item["kind"] == "propaganda"
    assert isinstance(item["estimated_seconds"], int) and item["estimated_seconds"] > 0
    assert data["file"]["sha256"] and data["file"]["format"] == "text"


def test_parse_json_lists_both_documents_of_a_split_file(cli: Cli, seeds_dir: Path) -> None:
    seed = next(seeds_dir.glob("002_*.txt"))
    data = json.loads(cli("directive", "parse", str(seed), "--json").output)
    assert [d["number"] for d in data["documents"]] == ["3717/UBND-VX", "46/KH-STTTT-TTBCXB"]
    assert data["document"]["date"] == "2021-11-03"
    assert [i["number"] for i in data["items"] if i["kind"] == "propaganda"] == [
        f"II.1.•{n}" for n in range(1, 6)
    ]
    assert {i["part"] for i in data["items"] if i["kind"] == "propaganda"} == {1}


def test_parse_reads_standard_input_and_writes_nothing(sqlite_url: str, tmp_path: Path) -> None:
    cli = Cli(sqlite_url, tmp_path)  # no database yet, and parse makes none
    result = cli("directive", "parse", "-", input=EXAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    assert "<stdin>: text, 1 văn bản (không ghi gì cả)" in result.output
    assert "Tuyên truyền Tháng hành động vì trẻ em" in result.output
    assert not (tmp_path / "cli.db").exists()


def test_import_stores_drafts_and_a_second_import_changes_nothing(cli: Cli) -> None:
    first = cli("directive", "import", str(EXAMPLE))
    assert first.exit_code == 0, first.output
    assert (
        "đã nhập 1 văn bản (mã 1), 5 mục tuyên truyền và 2 mục hành chính, tất cả ở dạng bản nháp"
        in first.output
    )
    second = cli("directive", "import", str(EXAMPLE))
    assert second.exit_code == 0
    assert "đã nhập từ trước (mã 1" in second.output and "không có gì thay đổi" in second.output
    listing = cli("directive", "list").output
    assert "45/HD-VHXH" in listing and "Phòng Văn hóa - Xã hội" in listing
    assert listing.count("45/HD-VHXH") == 1
    shown = cli("directive", "show", "1").output
    assert "Thời gian: từ ngày 25/5/2026 đến ngày 21/6/2026 (25/05/2026 – 21/06/2026)" in shown
    assert "kiểm tra kịch bản" not in first.output  # the drafts are fit to air


def test_import_prints_what_the_script_check_finds_in_the_drafts(cli: Cli, tmp_path: Path) -> None:
    template = tmp_path / "t.j2"
    template.write_text("Tuyên truyền {{ topic }}", "utf-8")
    result = cli("directive", "import", str(EXAMPLE), "--template", str(template))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "phép kiểm tra kịch bản thấy vấn đề ở 5 kịch bản nháp" in out
    assert out.count("kịch bản có 2 vấn đề") == 5
    assert "“Tuyên truyền " in out and "là lời giao việc cho cơ quan, cán bộ" in out
    assert "dừng giữa câu" in out
    assert cli("items", "check", "1").exit_code == 1


def test_import_takes_several_files_in_one_go(cli: Cli) -> None:
    other = GUIDANCE / "2026-05_cong-van-phong-chong-thien-tai.txt"
    result = cli("directive", "import", str(EXAMPLE), str(other), str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert f"{EXAMPLE.name}: đã nhập 1 văn bản (mã 1)" in result.output
    assert f"{other.name}: đã nhập 1 văn bản (mã 2)" in result.output
    # the same file given twice is stored once
    assert f"{EXAMPLE.name}: đã nhập từ trước (mã 1" in result.output
    assert cli("directive", "list").output.count("45/HD-VHXH") == 1


def test_one_bad_file_among_several_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    empty, binary = tmp_path / "trong.txt", tmp_path / "anh.bin"
    empty.write_bytes(b"")
    binary.write_bytes(bytes(range(256)) * 20)
    result = cli("directive", "import", str(EXAMPLE), str(empty), str(binary))
    assert result.exit_code == 1
    assert "2/3 tệp không nhập được, chưa lưu gì" in result.stderr
    assert f"{empty}: " in result.stderr and "tệp rỗng" in result.stderr
    assert f"{binary}: " in result.stderr and "dữ liệu nhị phân" in result.stderr
    assert "chưa nhập văn bản hướng dẫn nào" in cli("directive", "list").output


def test_import_of_a_split_file_keeps_provenance(cli: Cli, seeds_dir: Path) -> None:
    seed = next(seeds_dir.glob("002_*.txt"))
    result = cli("directive", "import", str(seed))
    assert "đã nhập 2 văn bản (mã 1, 2), 5 mục tuyên truyền và 13 mục hành chính" in result.output
    listing = cli("directive", "list").output
    assert f"{seed.name}" in listing and "(phần 2)" in listing


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trong.txt", b"", "tệp rỗng"),
        ("anh.bin", bytes(range(256)) * 20, "dữ liệu nhị phân"),
        ("scan.pdf", None, "bản quét"),
    ],
)
def test_bad_files_get_one_line_errors_and_leave_the_database_unchanged(
    cli: Cli, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    cli("directive", "import", str(EXAMPLE))
    path = tmp_path / name
    path.write_bytes(scanned_pdf() if content is None else content)
    for command in ("parse", "import"):
        result = cli("directive", command, str(path))
        assert result.exit_code == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"lỗi: {path}: ")
        assert message in lines[0]
    assert "1 " in cli("directive", "list").output
    listed = cli("items", "list", "--kind", "all").output
    assert listed.count("│ bản nháp") == 7 and "7 mục: 0 đã duyệt, 7 bản nháp" in listed


def test_oversize_limit_is_configurable(cli: Cli, tmp_path: Path) -> None:
    big = tmp_path / "lon.txt"
    big.write_bytes(EXAMPLE.read_bytes() + b"\n" * 1_100_000)
    result = cli("directive", "import", str(big), "--max-mb", "1")
    assert result.exit_code == 1 and "vượt giới hạn 1 MB" in result.stderr
    result = cli("directive", "parse", str(big), env={"BROADCASTER_INGEST_MAX_FILE_MB": "1"})
    assert result.exit_code == 1 and "vượt giới hạn 1 MB" in result.stderr
    assert cli("directive", "parse", str(big)).exit_code == 0
    assert "chưa nhập văn bản hướng dẫn nào" in cli("directive", "list").output


def test_template_option_changes_the_scripts(cli: Cli, tmp_path: Path) -> None:
    template = tmp_path / "t.j2"
    template.write_text("Xin nghe: {{ topic }}.", "utf-8")
    data = json.loads(
        cli("directive", "parse", str(EXAMPLE), "--json", "--template", str(template)).output
    )
    assert data["items"][0]["script"] == "Xin nghe: phòng, chống sốt xuất huyết trong mùa mưa."
    assert data["items"][0]["estimated_seconds"] == 4


def test_demo_step_imports_guidance_and_approves_the_examples(
    tmp_path: Path, repo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from broadcaster.cli import App, make_console
    from broadcaster.config import load_settings
    from broadcaster.demo import DemoRun
    from broadcaster.demo.directives import step_directives

    monkeypatch.chdir(repo_dir)
    settings = load_settings(
        env={"HOME": str(tmp_path), "BROADCASTER_DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}"}
    )
    app = App(settings=settings, console=make_console())
    try:
        run = DemoRun(app=app, out=tmp_path, stations_file=repo_dir / "schedules" / "example.toml")
        step_directives(run)
        with app.database.unit_of_work() as uow:
            approved = uow.items.approved()
        assert run.notes["approved_items"] == len(approved) == 8
        assert all(i.approval.by == "Chủ tịch UBND xã (demo)" for i in approved)
    finally:
        app.close()
