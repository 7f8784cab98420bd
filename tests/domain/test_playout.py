"""Playout decisions as pure functions of the schedule and ``now``."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.messages import speaking
from broadcaster.domain.playout import (
    EntryState,
    PlayoutEntry,
    Verdict,
    decide,
    entry_airing,
    late_note,
    next_entry,
    recover,
    retry_delay,
    stopped_note,
    timeline,
    windows,
)

T0 = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 05:30 in Vietnam
S = timedelta(seconds=1)
GRACE = 10 * S


def _entry(i: int, at: int, length: int = 30) -> PlayoutEntry:
    return PlayoutEntry(
        key=f"k{i}",
        station_code="XA-DAKMIL",
        start=T0 + at * S,
        duration=length * S,
        title=f"Tin {i}",
        audio_hash=f"{i:016x}",
    )


SESSION = timeline([_entry(1, 0), _entry(2, 30), _entry(3, 60), _entry(4, 300)])


def test_an_entry_may_start_late_by_its_grace_but_not_into_the_next():
    w = windows(SESSION, GRACE)
    assert w["k1"].latest_start == T0 + 10 * S
    assert w["k4"].latest_start == T0 + 310 * S
    short = timeline([_entry(1, 0, 3), _entry(2, 3, 3)])
    assert windows(short, GRACE)["k1"].latest_start == T0 + 3 * S


def test_decide_waits_plays_or_misses():
    w = windows(SESSION, GRACE)["k1"]
    assert decide(w, T0, T0 - S) is Verdict.WAIT
    assert decide(w, T0, T0) is Verdict.PLAY
    assert decide(w, T0, T0 + 10 * S) is Verdict.PLAY
    assert decide(w, T0, T0 + 11 * S) is Verdict.MISS


def test_a_late_entry_is_cut_so_the_next_keeps_its_window():
    w = windows(SESSION, GRACE)
    # k1 started late at +8 s would end at +38 s; it must stop before k2's last start (+40 s)
    assert w["k1"].stop_by is not None
    assert T0 + 30 * S < w["k1"].stop_by < T0 + 40 * S
    assert w["k4"].stop_by is None
    # an on-time entry ends before its stop time
    assert all(e.end <= w[e.key].stop_by for e in SESSION if w[e.key].stop_by)


def test_recovery_after_a_crash_sorts_cut_missed_and_pending():
    states = {"k1": EntryState.DONE, "k2": EntryState.PLAYING}
    rec = recover(SESSION, states, T0 + 100 * S, GRACE)
    assert [e.key for e in rec.cut] == ["k2"]
    assert [e.key for e in rec.missed] == ["k3"]
    assert [e.key for e in rec.pending] == ["k4"]


def test_next_entry_skips_what_is_done_or_past():
    assert next_entry(SESSION, {"k2": EntryState.DONE}, T0 + S).key == "k3"
    assert next_entry(SESSION, {}, T0 + 301 * S) is None


def test_event_ids_depend_on_the_entry_only():
    a = entry_airing(SESSION[0], AiringStatus.AIRED, actual_start=T0, actual_end=T0 + 30 * S)
    b = entry_airing(SESSION[0], AiringStatus.MISSED)
    assert a.event_id == b.event_id
    assert a.event_id != entry_airing(SESSION[1], AiringStatus.AIRED).event_id
    assert a.planned_start == T0 and a.segment_hash == SESSION[0].audio_hash


def test_backoff_doubles_up_to_its_cap():
    assert retry_delay(0) == timedelta()
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert retry_delay(50) == timedelta(seconds=60)


@given(
    st.lists(st.tuples(st.integers(0, 3600), st.integers(1, 120)), min_size=1, max_size=30),
    st.integers(0, 4000),
    st.integers(0, 120),
)
def test_every_entry_is_exactly_one_of_done_cut_missed_or_pending(raw, now_s, grace_s):
    entries = timeline(_entry(i, at, length) for i, (at, length) in enumerate(raw))
    states = {e.key: EntryState.DONE for e in entries[::3]}
    rec = recover(entries, states, T0 + now_s * S, grace_s * S)
    seen = [e.key for e in (*rec.cut, *rec.missed, *rec.pending)] + list(states)
    assert sorted(seen) == sorted(e.key for e in entries)
    # nothing pending is already past its window; nothing missed could still play
    w = windows(entries, grace_s * S)
    assert all(T0 + now_s * S <= w[e.key].latest_start for e in rec.pending)
    assert all(T0 + now_s * S > w[e.key].latest_start for e in rec.missed)


def test_notes_kept_with_airings_are_text_in_the_default_language():
    # stored in the airing log and shown as they are in reports: rendered when logged
    from broadcaster.i18n import translations

    replayed = replace(SESSION[0], fallback_of=date(2026, 11, 16))
    airing = entry_airing(replayed, AiringStatus.MISSED, note=late_note(12 * S))
    assert airing.note == "chương trình dự phòng (lịch ngày 16/11/2026); trễ 12 giây"
    assert stopped_note() == "agent dừng khi đang phát"
    with speaking(translations("en")):  # a reader's language does not change a stored note
        assert late_note(1 * S) == "trễ 1 giây"
