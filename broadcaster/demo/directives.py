"""Demo step: import guidance (seed 003 when present, the example commune guidance always),
list the topics and approve the examples' propaganda items so later steps have airtime to fill."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from broadcaster.cli.directive import ingest_settings, items_table, say
from broadcaster.domain.items import Item, ItemKind, Priority
from broadcaster.domain.messages import N_, _, _n, translate
from broadcaster.ingest import read_guidance
from broadcaster.usecases.directives import approve_item, import_documents

if TYPE_CHECKING:
    from . import DemoRun

GUIDANCE_DIR = Path("schedules") / "guidance"
SEEDS_DIR = Path("..") / "shared" / "seeds"
#: who approves in the demo (a role, in the demo's language)
DEMO_APPROVER = N_("Chair of the commune People's Committee (demo)")


def step_directives(run: DemoRun) -> None:
    app = run.app
    settings = ingest_settings(app)
    seeds = sorted(SEEDS_DIR.glob("003_*.txt"))
    examples = sorted(GUIDANCE_DIR.glob("*.txt"))
    run.heading(_("Importing propaganda guidance documents"))
    if not seeds:
        say(
            app,
            _(
                "seed documents not found in {folder}: using the example guidance only",
                folder=SEEDS_DIR,
            ),
        )
    approver = translate(DEMO_APPROVER)
    approved = 0
    for path in [*seeds, *examples]:
        extracted, documents = read_guidance(path, settings)
        result = import_documents(app.database, extracted, documents, app.clock.now())
        propaganda = [i for i in result.items if i.kind is ItemKind.PROPAGANDA]
        say(
            app,
            _n(
                "{path}: {n} document, {propaganda} propaganda items",
                "{path}: {n} documents, {propaganda} propaganda items",
                len(result.directives),
                path=path,
                propaganda=len(propaganda),
            ),
        )
        if path == [*seeds, *examples][0]:
            app.console.print(items_table(result.items, with_ids=True))
        if path in examples:
            # the example office's own guidance is approved, as its commune leader would
            for item in propaganda:
                assert item.id is not None
                approve_item(app.database, item.id, approver, app.clock.now())
                approved += 1
    _twice_a_day(run, [i for i in result.items if i.kind is ItemKind.PROPAGANDA])
    say(
        app,
        _n(
            "{n} item approved by {who}; the others stay drafts",
            "{n} items approved by {who}; the others stay drafts",
            approved,
            who=approver,
        ),
    )
    run.notes["approved_items"] = approved


#: the guidance asks for its first topic twice a day while the season lasts
TWICE_A_DAY = 14


def _twice_a_day(run: DemoRun, items: list[Item]) -> None:
    """The office makes the last example document's first topic a priority, twice a day: a
    commune with fewer sessions than that cannot meet it, and the planner will say so."""
    from broadcaster.usecases.items import PlanningEdit, set_item_planning

    item = items[0] if items else None
    if item is None or item.id is None:
        return
    set_item_planning(
        run.app.database,
        item.id,
        PlanningEdit(priority=Priority.PRIORITY, target=TWICE_A_DAY),
    )
    say(
        run.app,
        _(
            "item {id} «{title}»: priority, {n} airings a week (twice a day), as the guidance asks",
            id=item.id,
            title=item.title,
            n=TWICE_A_DAY,
        ),
    )
