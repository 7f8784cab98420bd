"""Every planned airing names what it implements: its own basis, else its guidance document."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from broadcaster.db import Database
from broadcaster.domain.planning import EntryKind
from broadcaster.ingest import IngestSettings, read_guidance
from broadcaster.registry import load_station_file
from broadcaster.usecases.directives import approvable_items, approve_items, import_files
from broadcaster.usecases.plans import plan_office_week

NOW = datetime(2026, 5, 22, 8, 0, tzinfo=UTC)


def test_an_item_without_its_own_basis_cites_its_guidance_document(
    db: Database, repo_dir: Path
) -> None:
    guidance = repo_dir / "schedules" / "guidance"
    with db.unit_of_work() as uow:
        uow.stations.upsert_many(load_station_file(repo_dir / "schedules" / "example.toml"))
    files = [read_guidance(str(f), IngestSettings()) for f in sorted(guidance.glob("*.txt"))]
    import_files(db, files, NOW)
    ids = [n for d in (1, 2) for n in approvable_items(db, d)]
    approve_items(db, ids, "Trưởng phòng", NOW)

    plan, _ = plan_office_week(db, "KV-DAKMIL", "2026-W22", NOW)
    basis = {
        e.title: e.basis
        for st in plan.stations
        for s in st.sessions
        for e in s.entries
        if e.kind is EntryKind.ANNOUNCEMENT
    }
    # its own basis when the topic cites one …
    assert basis["Tuyên truyền Ngày Gia đình Việt Nam (28/6)"] == (
        "Kế hoạch số 112/KH-SVHTTDL ngày 8/5/2026 của Sở VHTT&DL"
    )
    # … else the guidance it came from
    assert basis["Tuyên truyền Tháng hành động vì trẻ em năm 2026"].startswith(
        "Hướng dẫn số 45/HD-VHXH ngày "
    )
    assert "của Phòng VH-XH" in basis["Tuyên truyền Tháng hành động vì trẻ em năm 2026"]
    assert all(basis.values()), basis
