"""Synthesis through the cache into segments, with real espeak-ng, ffmpeg and SQLite."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import requests
import responses

from broadcaster.audio import UndecodableAudio, measure_file
from broadcaster.db import Database
from broadcaster.domain.errors import InputError, NotFoundError
from broadcaster.domain.segments import SegmentKind
from broadcaster.ingest.scripts import estimate_seconds
from broadcaster.speech.engines import AutoEngine, EspeakEngine, GttsEngine
from broadcaster.speech.settings import SpeechSettings
from broadcaster.usecases import speech as uc
from tests.audio.tones import tone

from .fake_google import TTS_URL, mp3_chunk, tts_body
from .helpers import CountingEspeak, add_items, clock, no_network, seed_scripts

__all__ = ["no_network"]

pytestmark = pytest.mark.usefixtures("no_network")

SCRIPT = "Ủy ban nhân dân xã thông báo: ngày 26/6 là Ngày toàn dân phòng, chống ma túy."
OTHER = "Đề nghị bà con tích cực hưởng ứng phong trào diệt lăng quăng, bọ gậy."


def synthesizer(tmp_path: Path, engine: object | None = None, **settings: object) -> uc.Synthesizer:
    speech = SpeechSettings(engine="espeak-ng", **settings)  # type: ignore[arg-type]
    chosen = engine if engine is not None else CountingEspeak()
    return uc.make_synthesizer(speech, tmp_path / "audio", clock(), engine=chosen)  # type: ignore[arg-type]


def audio_files(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "audio").rglob("*") if p.is_file())


def test_a_seed_script_is_real_speech_of_plausible_length_at_the_target(
    tmp_path: Path, seeds_dir: Path
) -> None:
    script = seed_scripts(seeds_dir)[0]
    synth = synthesizer(tmp_path)

    rendered = synth.render(script, label="seed")

    estimate = estimate_seconds(script)
    assert estimate > 20
    assert rendered.duration.total_seconds() == pytest.approx(estimate, rel=0.30)
    measured = measure_file(rendered.path)
    assert measured.integrated_lufs == pytest.approx(-16.0, abs=1.0)
    assert measured.true_peak_dbtp <= -1.0
    assert rendered.entry.engine == "espeak-ng"
    assert not any(ch.isdigit() for ch in rendered.spoken_text)


def test_a_second_run_over_all_approved_items_synthesises_nothing(
    db: Database, tmp_path: Path
) -> None:
    items = add_items(db, SCRIPT, OTHER)
    engine = CountingEspeak()
    synth = synthesizer(tmp_path, engine)

    selected, _ = uc.select_items(db, all_approved=True)
    first = uc.synthesize_items(db, synth, selected)
    assert (engine.calls, first.synthesized, first.cached) == (2, 2, 0)

    selected, _ = uc.select_items(db, all_approved=True)
    second = uc.synthesize_items(db, synth, selected)
    assert (engine.calls, second.synthesized, second.cached) == (2, 0, 2)

    with db.unit_of_work() as uow:
        segments = uow.segments.list()
        stored = {i.id: i for i in uow.items.list()}
    assert len(segments) == 2
    for item, segment in zip(items, segments, strict=True):
        assert segment.item_id == item.id
        assert segment.kind is SegmentKind.TTS
        assert segment.engine == "espeak-ng" and segment.voice == "vi"
        assert (tmp_path / "audio" / segment.path).is_file()
        assert stored[item.id].duration == segment.duration > timedelta(seconds=2)


def test_changing_a_voice_setting_makes_new_audio(db: Database, tmp_path: Path) -> None:
    add_items(db, SCRIPT)
    items, _ = uc.select_items(db, all_approved=True)
    uc.synthesize_items(db, synthesizer(tmp_path, CountingEspeak(rate=110)), items)
    faster = CountingEspeak(rate=160)
    report = uc.synthesize_items(db, synthesizer(tmp_path, faster), items)

    assert faster.calls == 1
    with db.unit_of_work() as uow:
        current = uow.segments.current(items[0].id or 0)
        item = uow.items.get(items[0].id or 0)
    assert current is not None and current.content_hash == report.results[0].segment.content_hash
    assert item.duration == current.duration


def test_empty_and_punctuation_only_scripts_are_reported_and_the_rest_done(
    db: Database, tmp_path: Path
) -> None:
    empty, dots, good = add_items(db, "   ", "… !!! --- ???", SCRIPT)
    engine = CountingEspeak()

    report = uc.synthesize_items(db, synthesizer(tmp_path, engine), [empty, dots, good])

    assert [r.item.id for r in report.results] == [good.id]
    messages = [str(p) for p in report.problems]
    assert f"mục {empty.id}" in messages[0] and "chưa có lời đọc" in messages[0]
    assert f"mục {dots.id}" in messages[1] and "không có chữ nào để đọc" in messages[1]
    assert engine.calls == 1
    assert all(p.stat().st_size > 0 for p in audio_files(tmp_path))
    assert len([p for p in audio_files(tmp_path) if p.suffix == ".mp3"]) == 1


def test_free_text_without_words_is_a_clear_error(tmp_path: Path) -> None:
    synth = synthesizer(tmp_path)
    with pytest.raises(InputError, match="văn bản trống"):
        uc.synthesize_text(synth, "")
    with pytest.raises(InputError, match="chỉ có dấu câu"):
        uc.synthesize_text(synth, ".,;!?")
    assert audio_files(tmp_path) == []


def test_a_50000_character_script_is_refused_with_what_to_do(db: Database, tmp_path: Path) -> None:
    sentence = "Đề nghị bà con tích cực hưởng ứng phong trào vệ sinh môi trường. "
    script = (sentence * (50_000 // len(sentence) + 1))[:49_999] + "."
    (item,) = add_items(db, script)
    engine = CountingEspeak()

    report = uc.synthesize_items(db, synthesizer(tmp_path, engine), [item])

    (problem,) = report.problems
    assert "50000 ký tự" in str(problem)
    assert "max_chars" in str(problem) and "Hãy tách thành nhiều mục" in str(problem)
    assert "phút đọc" in str(problem)
    assert engine.calls == 0
    assert audio_files(tmp_path) == []


def test_only_approved_items_are_read(db: Database, tmp_path: Path) -> None:
    (draft,) = add_items(db, SCRIPT, approved=False)
    selected, _ = uc.select_items(db, all_approved=True)
    assert selected == []
    items, _ = uc.select_items(db, item_ids=[draft.id or 0])
    report = uc.synthesize_items(db, synthesizer(tmp_path), items)
    assert "chưa được duyệt" in str(report.problems[0])
    with pytest.raises(NotFoundError, match="không có mục 999"):
        uc.select_items(db, item_ids=[999])


def test_auto_uses_espeak_when_google_is_down_and_warns_once(
    db: Database, tmp_path: Path, no_network: responses.RequestsMock
) -> None:
    no_network.add(responses.POST, TTS_URL, body=requests.ConnectionError("offline"))
    items = add_items(db, SCRIPT, OTHER)
    warnings: list[str] = []
    espeak = CountingEspeak()
    auto = AutoEngine(GttsEngine(retries=1, sleep=lambda _s: None), espeak, warnings.append)
    speech = SpeechSettings()
    synth = uc.make_synthesizer(
        speech, tmp_path / "audio", clock(), engine=auto, warn=warnings.append
    )

    report = uc.synthesize_items(db, synth, items)

    assert report.engines == {"espeak-ng": 2}
    assert len(warnings) == 1 and "lần chạy này chuyển sang espeak-ng" in warnings[0]
    assert len(no_network.calls) == 2  # one attempt and one retry, then Google is left alone

    # Google is back: its rendering is preferred and made once
    no_network.replace(responses.POST, TTS_URL, body=tts_body(mp3_chunk(tmp_path)))
    auto = AutoEngine(GttsEngine(retries=0), espeak, warnings.append)
    synth = uc.make_synthesizer(speech, tmp_path / "audio", clock(), engine=auto)
    report = uc.synthesize_items(db, synth, items)
    assert report.engines == {"gtts": 2}
    assert espeak.calls == 2


def test_a_recording_becomes_the_items_audio(db: Database, tmp_path: Path) -> None:
    item, other = add_items(db, SCRIPT, OTHER)
    recording = tone(tmp_path / "bai-hat.wav", seconds=4, dbfs=-28, lead=1)
    speech = SpeechSettings(engine="espeak-ng")

    first = uc.add_recorded(
        db, recording, speech=speech, audio_dir=tmp_path / "audio", clock=clock(), item_id=item.id
    )
    again = uc.add_recorded(
        db, recording, speech=speech, audio_dir=tmp_path / "audio", clock=clock(), item_id=item.id
    )

    assert first.processed_now and not again.processed_now
    assert again.segment.id == first.segment.id
    seg = first.segment
    assert seg.kind is SegmentKind.RECORDED and seg.source_name == "bai-hat.wav"
    assert seg.loudness_lufs == pytest.approx(-16.0, abs=1.0)
    assert 4.0 <= seg.duration.total_seconds() <= 4.4
    with db.unit_of_work() as uow:
        assert uow.items.get(item.id or 0).duration == seg.duration
    # an item on its recording is left alone by --all-approved
    selected, recorded = uc.select_items(db, all_approved=True)
    assert [i.id for i in selected] == [other.id]
    assert [i.id for i in recorded] == [item.id]


def test_an_undecodable_recording_is_refused_and_nothing_stored(
    db: Database, tmp_path: Path
) -> None:
    (item,) = add_items(db, SCRIPT)
    bad = tmp_path / "hong.mp3"
    bad.write_bytes(b"\x00\x01garbage" * 300)
    with pytest.raises(UndecodableAudio, match=r"hong\.mp3: ffmpeg không giải mã được"):
        uc.add_recorded(
            db,
            bad,
            speech=SpeechSettings(),
            audio_dir=tmp_path / "audio",
            clock=clock(),
            item_id=item.id,
        )
    assert uc.list_segments(db) == []
    assert [p for p in audio_files(tmp_path) if p.suffix in (".mp3", ".json")] == []


def test_a_recording_for_an_unknown_item_is_refused(db: Database, tmp_path: Path) -> None:
    recording = tone(tmp_path / "x.wav", seconds=1)
    with pytest.raises(NotFoundError, match="không có mục 42"):
        uc.add_recorded(
            db,
            recording,
            speech=SpeechSettings(),
            audio_dir=tmp_path / "audio",
            clock=clock(),
            item_id=42,
        )


def test_items_audio_is_assembled_into_one_session(db: Database, tmp_path: Path) -> None:
    items = add_items(db, SCRIPT, OTHER)
    report = uc.synthesize_items(db, synthesizer(tmp_path), items)
    total = sum((r.segment.duration for r in report.results), timedelta())

    session = uc.assemble_items(
        db,
        [i.id or 0 for i in items],
        tmp_path / "buoi-sang.mp3",
        audio_dir=tmp_path / "audio",
        speech=SpeechSettings(),
        gap=timedelta(seconds=2),
    )

    assert session.copied
    assert session.duration_ms / 1000 == pytest.approx(total.total_seconds() + 2, abs=0.4)
    with pytest.raises(NotFoundError, match="chưa có âm thanh"):
        uc.assemble_items(
            db, [999], tmp_path / "x.mp3", audio_dir=tmp_path / "audio", speech=SpeechSettings()
        )


def test_engine_statuses_list_every_engine(no_network: responses.RequestsMock) -> None:
    statuses = {s.name: s for s in uc.engine_statuses(SpeechSettings(engine="auto"))}
    assert statuses["espeak-ng"].usable and statuses["espeak-ng"].offline
    assert not statuses["gtts"].usable
    assert statuses["auto"].usable and statuses["auto"].selected
    assert "espeak-ng" in statuses["auto"].detail


def test_unknown_engine_names_are_refused() -> None:
    with pytest.raises(InputError, match="không có bộ tổng hợp giọng đọc 'festival'"):
        uc.make_engine(SpeechSettings(), "festival")
    assert isinstance(uc.make_engine(SpeechSettings(), "espeak-ng"), EspeakEngine)
