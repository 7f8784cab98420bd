"""``broadcaster config show``: every setting in effect, and where it comes from."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli


def _rows(text: str) -> dict[str, dict[str, tuple[str, str]]]:
    """section → setting → (value, from), read from the printed tables."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    section = ""
    last = ("", "")
    raw: list[str] = []
    for line in text.splitlines():
        if line.startswith("[") and line.rstrip().endswith("]"):
            section = line.strip()[1:-1]
            out[section] = {}
        elif "│" in line:
            cells = line.split("│")
            name, value, source = (cell.strip() for cell in cells)
            if name:
                out[section][name] = last = (value, source)
            else:  # a long cell folded onto the next line
                previous = next(reversed(out[section]))
                out[section][previous] = last = (
                    _joined(last[0], value, raw[1]),
                    _joined(last[1], source, raw[2]),
                )
            raw = cells
    return out


def _joined(before: str, after: str, raw_before: str) -> str:
    """A cell's two lines as one: a word cut at the column's edge (a long path) is joined
    whole, a line wrapped at a space gets its space back."""
    if not after:
        return before
    full = len(raw_before.rstrip()) >= len(raw_before) - 1  # the text reached the edge
    return before + after if full else f"{before} {after}"


def test_show_names_the_source_of_every_setting_and_hides_secrets(cli: Cli, tmp_path: Path) -> None:
    cfg = tmp_path / "broadcaster.toml"
    cfg.write_text(
        '[speech]\nbitrate_kbps = 96\n[agent]\ntoken = "bct_0123456789abcdef"\n', encoding="utf-8"
    )
    result = cli(
        "--config",
        str(cfg),
        "config",
        "show",
        env={
            "BROADCASTER_PLANNER_TARGET_NORMAL": "2",
            "BROADCASTER_DATABASE_URL": "postgresql+psycopg://radio:m4tkhau@10.0.0.2/broadcaster",
            "BROADCASTER_MAIL_PASSWORD": "thu-bi-mat",
        },
    )
    assert result.exit_code == 0, result.stderr
    assert f"tệp cấu hình: {cfg}" in result.stdout
    rows = _rows(result.stdout)
    assert set(rows) == {
        "broadcaster",
        "ingest",
        "speech",
        "planner",
        "api",
        "agent",
        "emergency",
        "ui",
        "web",
        "mail",
    }
    assert rows["mail"]["password"] == ("***", "BROADCASTER_MAIL_PASSWORD")
    assert rows["emergency"]["watch_seconds"] == ("1.0", "mặc định")
    assert rows["speech"]["bitrate_kbps"] == ("96", f"{cfg} [speech] bitrate_kbps")
    assert rows["speech"]["engine"] == ("auto", "mặc định")
    assert rows["planner"]["target_normal"] == ("2", "BROADCASTER_PLANNER_TARGET_NORMAL")
    assert rows["broadcaster"]["database_url"] == (
        "postgresql+psycopg://radio:***@10.0.0.2/broadcaster",
        "BROADCASTER_DATABASE_URL",
    )
    assert rows["agent"]["token"][0] == "bct_0123…"
    assert "m4tkhau" not in result.stdout and "0123456789abcdef" not in result.stdout
    assert "thu-bi-mat" not in result.stdout


def test_show_one_section_and_flags_win(cli: Cli) -> None:
    result = cli("--database-url", "sqlite:///flag.db", "config", "show", "broadcaster")
    assert result.exit_code == 0, result.stderr
    rows = _rows(result.stdout)
    assert list(rows) == ["broadcaster"]
    assert rows["broadcaster"]["database_url"] == ("sqlite:///flag.db", "--database-url")
    assert "tệp cấu hình: không có" in result.stdout


def test_every_mistake_in_the_configuration_is_reported_at_once(cli: Cli, tmp_path: Path) -> None:
    cfg = tmp_path / "b.toml"
    cfg.write_text('[planner]\ngap = "bell"\n[agent]\ngrace_seconds = "soon"\n', encoding="utf-8")
    result = cli("--config", str(cfg), "config", "show")
    assert result.exit_code == 1
    assert result.stderr.startswith("lỗi: cấu hình có 2 lỗi: ")
    assert (
        "[planner] gap = 'bell' không thuộc các giá trị: chime, station_id, none" in result.stderr
    )
    assert f"{cfg} [agent] grace_seconds: 'soon' không phải giá trị float hợp lệ" in result.stderr
    english = cli("--lang", "en", "--config", str(cfg), "config", "show")
    assert english.stderr.startswith("error: 2 problems in the configuration: ")


def test_an_unknown_section_is_an_error_for_every_command(cli: Cli, tmp_path: Path) -> None:
    cfg = tmp_path / "b.toml"
    cfg.write_text("[speach]\nengine = 'espeak-ng'\n", encoding="utf-8")
    for args in (("config", "show"), ("stations", "list")):
        result = cli("--config", str(cfg), *args)
        assert result.exit_code == 1
        assert result.stderr == (
            f"lỗi: {cfg}: không có mục [speach]; các mục hiện có: [broadcaster], [ingest], "
            "[speech], [planner], [api], [agent], [emergency], [ui], [web], [mail]\n"
        )


def test_every_known_section_has_a_reader_and_every_reader_a_known_section() -> None:
    from broadcaster.cli.config import section_classes
    from broadcaster.config import SECTIONS

    assert {"broadcaster", *section_classes()} == set(SECTIONS)
