"""The planning core stays pure: standard library only, no wall clock."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "broadcaster" / "domain"


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module, node.lineno))
    return found


def test_core_imports_only_the_standard_library():
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for module, line in _imports(path):
            top = module.split(".")[0]
            if top not in sys.stdlib_module_names and top != "__future__":
                offenders.append(f"{path.name}:{line} imports {module}")
    assert offenders == []


def test_core_never_reads_the_wall_clock_or_disk():
    banned = (
        "datetime.now(",
        "date.today(",
        "utcnow(",
        "time.time(",
        "open(",
        "ZoneInfo(",
        "os.environ",
    )
    offenders = []
    for path in sorted(CORE.rglob("*.py")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#")[0]
            offenders += [f"{path.name}:{no}: {b}" for b in banned if b in code]
    assert offenders == []


def test_the_architecture_check_catches_a_third_party_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlmodel\nfrom pydub import AudioSegment\nimport json\n")
    tops = [m.split(".")[0] for m, _ in _imports(bad)]
    assert [t for t in tops if t not in sys.stdlib_module_names] == ["sqlmodel", "pydub"]
