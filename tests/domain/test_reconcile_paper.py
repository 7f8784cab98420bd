"""Issue 19: a paper correction newer than the agent's log wins, keeps its note, and both show."""

from __future__ import annotations

from datetime import timedelta

from broadcaster.domain import AiringStatus
from broadcaster.domain.airings import Airing, AiringSource
from broadcaster.domain.reconcile import Outcome, PlannedAiring
from tests.domain.test_reconcile import run
from tests.reports.week import at

ENTRY = PlannedAiring("XA-A", 1, at(0, 5, 32), timedelta(minutes=5), entry_id="e-1")


def _log(status, received, source=AiringSource.AGENT, note=None, event="a"):
    return Airing(
        event_id=event,
        station_code="XA-A",
        status=status,
        planned_start=ENTRY.start,
        actual_start=ENTRY.start if status is AiringStatus.INTERRUPTED else None,
        actual_end=ENTRY.start + timedelta(minutes=1)
        if status is AiringStatus.INTERRUPTED
        else None,
        item_id=1,
        entry_id="e-1",
        source=source,
        note=note,
        received_at=received,
    )


def test_a_newer_paper_correction_wins_and_keeps_its_note_beside_the_agents_status():
    agent = _log(AiringStatus.INTERRUPTED, at(0, 6, 0))
    paper = _log(AiringStatus.MISSED, at(1, 9, 0), AiringSource.MANUAL, "mất điện", "p")
    (line,) = run([ENTRY], [agent, paper]).lines
    assert line.outcome is Outcome.MISSED and line.source is AiringSource.MANUAL
    assert "mất điện" in line.reason and "mất điện" in (line.note or "")
    assert "agent" in line.reason and str(AiringStatus.INTERRUPTED.label) in line.reason


def test_an_agent_log_newer_than_the_paper_keeps_the_best_status():
    paper = _log(AiringStatus.MISSED, at(0, 6, 0), AiringSource.MANUAL, "mất điện", "p")
    agent = _log(AiringStatus.INTERRUPTED, at(1, 9, 0))
    (line,) = run([ENTRY], [paper, agent]).lines
    assert line.outcome is Outcome.INTERRUPTED


def test_paper_corrections_among_themselves_count_the_better_outcome():
    first = _log(AiringStatus.MISSED, at(1, 9, 0), AiringSource.MANUAL, event="p1")
    again = _log(AiringStatus.MANUAL, at(1, 10, 0), AiringSource.MANUAL, event="p2")
    (line,) = run([ENTRY], [again, first]).lines
    assert line.outcome is Outcome.AIRED


def test_logs_of_chimes_and_filler_are_neither_planned_nor_unplanned_airings():
    chime = Airing(
        event_id="c",
        station_code="XA-A",
        status=AiringStatus.AIRED,
        planned_start=ENTRY.start + timedelta(minutes=5),
        entry_id="XA-A-20250706T223700Z-chime",
        received_at=at(0, 6, 0),
    )
    music = Airing(
        event_id="m",
        station_code="XA-A",
        status=AiringStatus.AIRED,
        planned_start=ENTRY.start + timedelta(minutes=6),
        entry_id="XA-A-20250706T223800Z-filler",
        received_at=at(0, 6, 0),
    )
    r = run([ENTRY], [chime, music, _log(AiringStatus.AIRED, at(0, 6, 0))])
    assert r.unplanned == () and [x.outcome for x in r.lines] == [Outcome.AIRED]
