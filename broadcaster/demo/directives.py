"""Demo step: import guidance (seed 003 when present, the example commune guidance always),
list the topics and approve the examples' propaganda items so later steps have airtime to fill."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from broadcaster.cli.directive import ingest_settings, items_table, say
from broadcaster.domain.items import ItemKind
from broadcaster.ingest import read_guidance
from broadcaster.usecases.directives import approve_item, import_documents

if TYPE_CHECKING:
    from . import DemoRun

GUIDANCE_DIR = Path("schedules") / "guidance"
SEEDS_DIR = Path("..") / "shared" / "seeds"
DEMO_APPROVER = "Chủ tịch UBND xã (demo)"


def step_directives(run: DemoRun) -> None:
    app = run.app
    settings = ingest_settings(app)
    seeds = sorted(SEEDS_DIR.glob("003_*.txt"))
    examples = sorted(GUIDANCE_DIR.glob("*.txt"))
    run.heading("Nhập văn bản hướng dẫn tuyên truyền")
    if not seeds:
        say(app, f"seed documents not found in {SEEDS_DIR}: using the example guidance only")
    approved = 0
    for path in [*seeds, *examples]:
        extracted, documents = read_guidance(path, settings)
        result = import_documents(app.database, extracted, documents, app.clock.now())
        propaganda = [i for i in result.items if i.kind is ItemKind.PROPAGANDA]
        say(
            app, f"{path}: {len(result.directives)} document(s), {len(propaganda)} propaganda items"
        )
        if path == [*seeds, *examples][0]:
            app.console.print(items_table(result.items, with_ids=True))
        if path in examples:
            # the example office's own guidance is approved, as its commune leader would
            for item in propaganda:
                assert item.id is not None
                approve_item(app.database, item.id, DEMO_APPROVER, app.clock.now())
                approved += 1
    say(app, f"{approved} items approved by {DEMO_APPROVER}; the others stay drafts")
    run.notes["approved_items"] = approved
