"""FPT.AI and Viettel AI against a fake at the HTTP layer; the engine chain's order and fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcaster.audio import load_audio
from broadcaster.speech.engines import ChainEngine, EngineUnavailable, EspeakEngine
from broadcaster.speech.settings import SpeechSettings
from broadcaster.speech.vendors import FptEngine, ViettelEngine, forget_failures
from broadcaster.usecases import speech as uc

from .fake_google import mp3_chunk
from .fake_vendors import FakeVendors, vendors

__all__ = ["vendors"]

TEXT = "Ủy ban nhân dân xã thông báo. Đề nghị bà con chú ý lắng nghe."


@pytest.fixture(autouse=True)
def _no_remembered_failures() -> None:
    forget_failures()


def fpt(fake: FakeVendors, **kw: object) -> FptEngine:
    options: dict[str, object] = {
        "api_key": "fpt-key",
        "voice": "banmai",
        "speed": 0,
        "url": fake.fpt_url,
        "timeout": 1.0,
        "poll_interval": 0.01,
        **kw,
    }
    return FptEngine(**options)  # type: ignore[arg-type]


def viettel(fake: FakeVendors, **kw: object) -> ViettelEngine:
    options: dict[str, object] = {
        "api_key": "vt-key",
        "voice": "hn-quynhanh",
        "speed": 1.0,
        "url": fake.viettel_url,
        "timeout": 1.0,
        **kw,
    }
    return ViettelEngine(**options)  # type: ignore[arg-type]


def test_fpt_sends_text_key_voice_and_speed_and_fetches_the_file(
    vendors: FakeVendors, tmp_path: Path
) -> None:
    vendors.fpt.audio = mp3_chunk(tmp_path)
    vendors.fpt.pending = 2  # the file is ready on the third look

    result = fpt(vendors, speed=-1).synthesize(TEXT, tmp_path / "out")

    assert vendors.fpt.requests == [
        {"text": TEXT, "api-key": "fpt-key", "voice": "banmai", "speed": "-1", "format": "mp3"}
    ]
    assert result.path == tmp_path / "out.mp3"
    assert result.identity.engine == "fpt" and result.identity.voice == "banmai"
    assert len(load_audio(result.path)) > 400


def test_viettel_sends_its_documented_json(vendors: FakeVendors, tmp_path: Path) -> None:
    vendors.viettel.audio = mp3_chunk(tmp_path)

    result = viettel(vendors, speed=0.9).synthesize(TEXT, tmp_path / "out")

    assert vendors.viettel.requests == [
        {
            "text": TEXT,
            "voice": "hn-quynhanh",
            "speed": 0.9,
            "tts_return_option": 3,
            "token": "vt-key",
            "without_filter": False,
        }
    ]
    assert len(load_audio(result.path)) > 400


def test_a_long_script_goes_to_viettel_sentence_by_sentence(
    vendors: FakeVendors, tmp_path: Path
) -> None:
    vendors.viettel.audio = mp3_chunk(tmp_path, seconds=0.3)
    sentence = "Đề nghị bà con tích cực tham gia phong trào vệ sinh môi trường. "
    script = sentence * 60  # about 3,800 characters

    result = viettel(vendors).synthesize(script, tmp_path / "out")

    sent = [str(r["text"]) for r in vendors.viettel.requests]
    assert len(sent) == 2 and all(len(t) <= ViettelEngine.max_chars for t in sent)
    assert all(t.endswith(".") for t in sent)
    assert len(load_audio(result.path)) >= 500


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("auth", ["FPT.AI", "từ chối khóa API", "HTTP 401", "fpt_api_key"]),
        ("quota", ["FPT.AI", "hết hạn mức", "HTTP 429", "Quota exceeded"]),
        ("slow", ["FPT.AI", "không trả lời trong 0.3 giây"]),
        ("error", ["FPT.AI", "HTTP 500", "internal error"]),
        ("json-error", ["FPT.AI", "text is too short"]),
    ],
)
def test_each_fpt_failure_says_what_happened(
    vendors: FakeVendors, tmp_path: Path, mode: str, words: list[str]
) -> None:
    vendors.fpt.mode = mode
    engine = fpt(vendors, timeout=0.3)

    with pytest.raises(EngineUnavailable) as caught:
        engine.synthesize(TEXT, tmp_path / "out")

    message = str(caught.value)
    assert all(w in message for w in words), message
    assert not (tmp_path / "out.mp3").exists()
    # not asked again in the same run: an emergency does not wait on it twice
    with pytest.raises(EngineUnavailable):
        engine.synthesize(TEXT, tmp_path / "out")
    assert len(vendors.fpt.requests) == 1


def test_a_failed_vendor_is_left_alone_by_the_next_engine_built_for_it(
    vendors: FakeVendors, tmp_path: Path
) -> None:
    vendors.viettel.mode = "quota"
    with pytest.raises(EngineUnavailable):
        viettel(vendors).synthesize(TEXT, tmp_path / "out")

    # a new engine, as the console builds one per request: no second wait on the vendor
    with pytest.raises(EngineUnavailable, match="hết hạn mức"):
        viettel(vendors).synthesize(TEXT, tmp_path / "out")
    assert len(vendors.viettel.requests) == 1

    forget_failures()
    vendors.viettel.mode = "ok"
    vendors.viettel.audio = mp3_chunk(tmp_path)
    assert viettel(vendors).synthesize(TEXT, tmp_path / "out").identity.engine == "viettel"


def test_viettel_refusing_the_key_names_the_setting(vendors: FakeVendors, tmp_path: Path) -> None:
    vendors.viettel.mode = "auth"
    with pytest.raises(EngineUnavailable, match="viettel_api_key"):
        viettel(vendors).synthesize(TEXT, tmp_path / "out")


def test_no_key_is_unusable_without_a_request(vendors: FakeVendors, tmp_path: Path) -> None:
    engine = fpt(vendors, api_key="")
    status = engine.available()
    assert not status.usable and "fpt_api_key" in status.detail
    with pytest.raises(EngineUnavailable, match="BROADCASTER_SPEECH_FPT_API_KEY"):
        engine.synthesize(TEXT, tmp_path / "out")
    assert vendors.fpt.requests == []


def test_the_chain_falls_through_failures_in_order_to_espeak(
    vendors: FakeVendors, tmp_path: Path
) -> None:
    vendors.fpt.mode = "quota"
    vendors.viettel.mode = "slow"
    warnings: list[str] = []
    chain = ChainEngine(
        (fpt(vendors), viettel(vendors, timeout=0.3), EspeakEngine()), warnings.append
    )

    result = chain.synthesize(TEXT, tmp_path / "out")

    assert result.identity.engine == "espeak-ng"
    assert len(vendors.fpt.requests) == 1 and len(vendors.viettel.requests) == 1
    assert len(warnings) == 2
    assert "FPT.AI" in warnings[0] and "viettel" in warnings[0]
    assert "Viettel AI" in warnings[1] and "espeak-ng" in warnings[1]


def test_the_first_engine_that_works_speaks(vendors: FakeVendors, tmp_path: Path) -> None:
    vendors.fpt.mode = "auth"
    vendors.viettel.audio = mp3_chunk(tmp_path)
    chain = ChainEngine((fpt(vendors), viettel(vendors), EspeakEngine()), lambda _m: None)

    assert chain.synthesize(TEXT, tmp_path / "out").identity.engine == "viettel"


def test_settings_build_the_chain_in_the_configured_order(tmp_path: Path) -> None:
    speech = SpeechSettings(
        engines=("viettel", "piper", "fpt", "espeak-ng"),
        fpt_api_key="k1",
        viettel_api_key="k2",
        viettel_url="http://127.0.0.1:9/tts",
    )
    engine = uc.make_engine(speech, voices_dir=tmp_path)
    assert [e.name for e in engine.chain()] == ["viettel", "piper", "fpt", "espeak-ng"]
    assert uc.make_engine(speech, "fpt").chain()[0].name == "fpt"


def test_synthesis_through_the_chain_caches_the_vendor_voice(
    vendors: FakeVendors, tmp_path: Path
) -> None:
    vendors.viettel.audio = mp3_chunk(tmp_path, seconds=1.5)
    speech = SpeechSettings(
        engines=("fpt", "viettel", "espeak-ng"),
        viettel_api_key="vt",
        viettel_url=vendors.viettel_url,
    )
    warnings: list[str] = []
    synth = uc.make_synthesizer(
        speech, tmp_path / "audio", _clock(), warn=warnings.append, voices=tmp_path
    )

    first = synth.render(TEXT, label="test")
    again = synth.render(TEXT, label="test")

    assert first.synthesized and first.entry.engine == "viettel"
    assert not again.synthesized and len(vendors.viettel.requests) == 1
    assert len(warnings) == 1 and "fpt_api_key" in warnings[0]


def _clock() -> object:
    from .helpers import clock

    return clock()
