"""APScheduler glue: a one-off job per entry at its planned time, and the periodic jobs.

Only this module knows APScheduler. Exactly one scheduler runs per station folder (two on one
folder would play every entry twice: see :class:`~broadcaster.agent.folder.FolderLock`). A
job that fires too late (a suspended machine, overload) is handed on all the same: playout
decides whether the entry still plays or is missed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from broadcaster.domain.playout import PlayoutEntry

ENTRY_JOB = "entry:"


class EntrySchedule:
    def __init__(self, due: Callable[[str], None], *, grace_seconds: float) -> None:
        self.due = due
        self.grace_seconds = grace_seconds
        self.scheduled: set[str] = set()
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1},
            executors={"default": {"type": "threadpool", "max_workers": 4}},
        )
        self.scheduler.add_listener(self._on_missed, EVENT_JOB_MISSED)

    def start(self) -> None:
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def schedule(self, entry: PlayoutEntry, now: datetime) -> None:
        self.scheduler.add_job(
            self.due,
            DateTrigger(run_date=max(entry.start, now)),
            args=[entry.key],
            id=ENTRY_JOB + entry.key,
            misfire_grace_time=max(int(self.grace_seconds), 1),
            replace_existing=True,
        )
        self.scheduled.add(entry.key)

    def keep_only(self, keys: set[str]) -> None:
        """Drop the jobs of entries a newer playlist withdrew."""
        for key in list(self.scheduled - keys):
            self.scheduled.discard(key)
            if self.scheduler.get_job(ENTRY_JOB + key) is not None:
                self.scheduler.remove_job(ENTRY_JOB + key)

    def every(
        self,
        job: Callable[[], None],
        name: str,
        *,
        seconds: float,
        first: datetime | None = None,
    ) -> None:
        """Run ``job`` every ``seconds`` (the first time at ``first``, else after a period)."""
        when = {"next_run_time": first} if first is not None else {}
        self.scheduler.add_job(
            job, "interval", seconds=seconds, id=name, replace_existing=True, **when
        )

    def _on_missed(self, event: JobExecutionEvent) -> None:
        if event.job_id.startswith(ENTRY_JOB):
            self.due(event.job_id[len(ENTRY_JOB) :])
