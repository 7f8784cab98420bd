"""Google's TTS endpoint faked at the HTTP layer with ``responses`` (tests never reach it)."""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import Path

import responses

from tests.audio.tones import tone

TTS_URL = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"


def mp3_chunk(tmp_path: Path, seconds: float = 0.6) -> bytes:
    """A real MP3 (a tone) as Google would send for one text chunk."""
    return tone(tmp_path / "google-chunk.mp3", seconds=seconds, dbfs=-18).read_bytes()


def tts_body(audio: bytes) -> str:
    b64 = base64.b64encode(audio).decode("ascii")
    return ")]}'\n\n" + f'[["wrb.fr","jQ1olc","[\\"{b64}\\"]",null,null,null,"generic"]]\n'


def sent_texts(calls: responses.CallList) -> list[str]:
    """The text of each request gTTS sent, decoded from its RPC body."""
    texts = []
    for call in calls:
        if call.request.url != TTS_URL:
            continue
        body = call.request.body
        raw = body.decode() if isinstance(body, bytes) else str(body)
        rpc = json.loads(urllib.parse.unquote(raw.split("f.req=", 1)[1].rstrip("&")))
        texts.append(json.loads(rpc[0][0][1])[0])
    return texts
