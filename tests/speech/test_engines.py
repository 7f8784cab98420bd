"""Speech engines: gTTS against a faked HTTP layer, espeak-ng for real, auto's fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import responses

from broadcaster.audio import load_audio
from broadcaster.speech.engines import (
    GTTS_MAX_CHARS,
    AutoEngine,
    EngineUnavailable,
    EspeakEngine,
    GttsEngine,
    split_for_gtts,
)

from .fake_google import TTS_URL, mp3_chunk, sent_texts, tts_body

LONG_TEXT = (
    "Ủy ban nhân dân xã thông báo. "
    "Từ ngày mười lăm tháng năm đến ngày hai mươi hai tháng năm, toàn xã tổ chức ra quân "
    "diệt lăng quăng, bọ gậy, phòng chống bệnh sốt xuất huyết tại tất cả các thôn, ấp. "
    "Đề nghị bà con tích cực hưởng ứng! "
    "Xin cảm ơn."
)


def test_text_is_split_at_sentence_ends_and_short_sentences_share_a_request() -> None:
    chunks = split_for_gtts(LONG_TEXT)

    assert all(len(c) <= GTTS_MAX_CHARS for c in chunks)
    assert " ".join(chunks) == " ".join(LONG_TEXT.split())
    assert chunks[0] == "Ủy ban nhân dân xã thông báo."
    # the 160-character sentence is cut at a comma, not mid-phrase
    assert chunks[1].endswith("diệt lăng quăng,")
    # every request ends at a sentence end or, inside the long sentence, at a comma
    assert [c[-1] for c in chunks] == [".", ",", "!", "."]


def test_a_sentence_without_commas_is_cut_between_words() -> None:
    sentence = " ".join(["thông báo"] * 40) + "."
    chunks = split_for_gtts(sentence)
    assert len(chunks) > 1
    assert all(len(c) <= GTTS_MAX_CHARS for c in chunks)
    assert " ".join(chunks) == sentence


@responses.activate
def test_gtts_sends_whole_sentences_and_writes_playable_mp3(tmp_path: Path) -> None:
    responses.add(responses.POST, TTS_URL, body=tts_body(mp3_chunk(tmp_path)))
    engine = GttsEngine(retries=0)

    result = engine.synthesize(LONG_TEXT, tmp_path / "out")

    assert sent_texts(responses.calls) == split_for_gtts(LONG_TEXT)
    assert result.path == tmp_path / "out.mp3"
    assert result.identity.engine == "gtts"
    # four chunks of 0.6 s each, concatenated
    assert 2000 <= len(load_audio(result.path)) <= 2800


@responses.activate
def test_gtts_retries_a_server_error(tmp_path: Path) -> None:
    responses.add(responses.POST, TTS_URL, status=503)
    responses.add(responses.POST, TTS_URL, body=tts_body(mp3_chunk(tmp_path)))
    waits: list[float] = []
    engine = GttsEngine(retries=2, retry_delay=0.5, sleep=waits.append)

    result = engine.synthesize("Xin chào bà con.", tmp_path / "out")

    assert result.path.stat().st_size > 0
    assert len(responses.calls) == 2
    assert waits == [0.5]


@responses.activate
def test_gtts_offline_gives_up_after_its_retries_and_leaves_no_file(tmp_path: Path) -> None:
    responses.add(responses.POST, TTS_URL, body=requests.ConnectionError("no route to host"))
    waits: list[float] = []
    engine = GttsEngine(retries=2, retry_delay=1.0, sleep=waits.append)

    with pytest.raises(
        EngineUnavailable, match=r"translate\.google\.com.*sau 3 lần thử.*--engine espeak-ng"
    ):
        engine.synthesize("Xin chào bà con.", tmp_path / "out")

    assert len(responses.calls) == 3
    assert waits == [1.0, 2.0]
    assert list(tmp_path.iterdir()) == []  # no 0-byte MP3, no partial file

    # the rest of the run does not wait on Google again
    with pytest.raises(EngineUnavailable):
        engine.synthesize("Lần thứ hai.", tmp_path / "out")
    assert len(responses.calls) == 3


@responses.activate
def test_gtts_does_not_retry_a_refusal(tmp_path: Path) -> None:
    responses.add(responses.POST, TTS_URL, status=403)
    engine = GttsEngine(retries=3, sleep=lambda _s: None)
    with pytest.raises(EngineUnavailable, match="403"):
        engine.synthesize("Xin chào.", tmp_path / "out")
    assert len(responses.calls) == 1


@responses.activate
def test_gtts_availability_follows_the_network() -> None:
    responses.add(responses.GET, "https://translate.google.com/", body=requests.ConnectionError())
    down = GttsEngine().available()
    assert not down.usable
    assert "không kết nối được translate.google.com" in down.detail

    responses.replace(responses.GET, "https://translate.google.com/", body="ok")
    assert GttsEngine().available().usable


@responses.activate
def test_auto_falls_back_to_espeak_with_a_warning_when_google_is_unreachable(
    tmp_path: Path,
) -> None:
    responses.add(responses.POST, TTS_URL, body=requests.ConnectionError("offline"))
    warnings: list[str] = []
    engine = AutoEngine(GttsEngine(retries=0), EspeakEngine(), warnings.append)

    result = engine.synthesize("Xin chào bà con. Đây là đài truyền thanh xã.", tmp_path / "out")

    assert result.identity.engine == "espeak-ng"
    assert len(load_audio(result.path)) > 1500
    assert len(warnings) == 1
    assert "Google TTS" in warnings[0] and "lần chạy này chuyển sang espeak-ng" in warnings[0]


@responses.activate
def test_auto_uses_google_when_it_answers(tmp_path: Path) -> None:
    responses.add(responses.POST, TTS_URL, body=tts_body(mp3_chunk(tmp_path)))
    warnings: list[str] = []
    engine = AutoEngine(GttsEngine(retries=0), EspeakEngine(), warnings.append)

    result = engine.synthesize("Xin chào bà con.", tmp_path / "out")

    assert result.identity.engine == "gtts"
    assert warnings == []


def test_espeak_speaks_vietnamese_offline(tmp_path: Path) -> None:
    engine = EspeakEngine(voice="vi", rate=125)
    assert engine.available().usable
    result = engine.synthesize("Đài truyền thanh xã xin thông báo.", tmp_path / "out")
    audio = load_audio(result.path)
    assert 1500 <= len(audio) <= 6000
    assert audio.max_dBFS > -20


def test_espeak_rate_changes_the_length(tmp_path: Path) -> None:
    text = "Đề nghị bà con tích cực hưởng ứng phong trào vệ sinh môi trường."
    slow = EspeakEngine(rate=90).synthesize(text, tmp_path / "slow")
    fast = EspeakEngine(rate=250).synthesize(text, tmp_path / "fast")
    assert len(load_audio(slow.path)) > 1.8 * len(load_audio(fast.path))


def test_a_missing_espeak_is_reported_with_how_to_install_it(tmp_path: Path) -> None:
    engine = EspeakEngine(command="espeak-ng-not-here")
    status = engine.available()
    assert not status.usable and "apt install espeak-ng" in status.detail
    with pytest.raises(EngineUnavailable, match="chưa cài đặt espeak-ng-not-here"):
        engine.synthesize("Xin chào.", tmp_path / "out")


def test_an_unknown_espeak_voice_is_not_usable() -> None:
    assert not EspeakEngine(voice="vi-xx-nowhere").available().usable


def test_espeak_reads_loanwords_in_vietnamese_not_english() -> None:
    import subprocess

    engine = EspeakEngine(pitch_range=100)  # plain text, no SSML around it
    text = engine.input_text("Theo dõi Zalo, Facebook và website của xã, xem video online.")
    phonemes = subprocess.run(
        ["espeak-ng", "-v", "vi", "-q", "-x", text], capture_output=True, text=True, check=True
    ).stdout
    raw = subprocess.run(
        ["espeak-ng", "-v", "vi", "-q", "-x", "Zalo Facebook website video online"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "(en)" in raw  # what espeak-ng does with them as written
    assert "(en)" not in phonemes
    assert text == "Theo dõi Da lô, Phây búc và oép sai của xã, xem vi đê ô on lai."


def test_a_wider_pitch_range_goes_through_ssml_with_the_text_escaped(tmp_path: Path) -> None:
    engine = EspeakEngine(pitch_range=150, word_gap=1, variant="m3")
    assert engine.voice_spec == "vi+m3"
    assert engine.input_text("A & B") == '<speak><prosody range="150%">A &amp; B</prosody></speak>'
    args = engine.command_line("espeak-ng", tmp_path / "x.wav")
    assert "-m" in args and args[args.index("-g") + 1] == "1"
    result = engine.synthesize("Xin chào bà con & cô bác.", tmp_path / "out")
    assert len(load_audio(result.path)) > 1000
