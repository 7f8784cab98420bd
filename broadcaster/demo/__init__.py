"""The demo: the example office end to end, offline, in a fresh database.

Each step is a function of the :class:`DemoRun`, which carries what one step leaves for the
next (the office, the plan, the airings); :data:`STEPS` lists them in order.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from rich.markup import escape

from broadcaster.cli import App
from broadcaster.config import Settings
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.messages import Msg

#: when the demo begins: the Monday the example guidance reaches the office, a week before the
#: week it plans (the guidance is dated May 2026)
DEMO_START = datetime(2026, 5, 18, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@dataclass
class DemoRun:
    """State handed from one demo step to the next."""

    app: App
    out: Path
    stations_file: Path
    notes: dict[str, object] = field(default_factory=dict)

    def heading(self, text: str | Msg) -> None:
        self.app.console.rule(f"[bold]{escape(str(text))}")


def steps() -> list[Callable[[DemoRun], None]]:
    """The demo's steps, in order."""
    from .console import step_console
    from .directives import step_directives
    from .paper import step_paper_log
    from .plan import step_plan
    from .reports import step_reports
    from .stations import step_speech, step_stations
    from .week import step_week

    return [
        step_stations,
        step_directives,
        step_speech,
        step_plan,
        step_week,  # the published week on a virtual clock: every agent, one emergency
        step_paper_log,  # a station without an agent: its signed paper playlist
        step_reports,  # they read whatever the other steps left
        step_console,  # the console's people, to sign in to what the demo made
    ]


def demo_settings(settings: Settings, out: Path) -> Settings:
    """The settings with the demo folder's database, data and audio."""
    return replace(
        settings,
        database_url=f"sqlite:///{(out / 'broadcaster.db').resolve()}",
        data_dir=out.resolve(),
        audio_dir=(out / "audio").resolve(),
    )


def run_demo(app: App, out: Path, stations_file: Path) -> Path:
    """Run every step in a fresh folder ``out`` (emptied first); returns it."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    settings = demo_settings(app.settings, out)
    # the demo's own time: the same week, the same figures, on every run and machine
    demo_app = App(settings=settings, clock=FixedClock(DEMO_START), console=app.console)
    run = DemoRun(app=demo_app, out=out, stations_file=stations_file)
    try:
        for step in steps():
            step(run)
    finally:
        demo_app.close()
    return out.resolve()
