"""Players: how the agent makes sound. A command (ffplay, mpg123, aplay…) or ``null`` (dry run)."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from broadcaster.domain.errors import ConfigError
from broadcaster.domain.messages import _
from broadcaster.domain.playout import stored_note

#: argv templates of the known players; ``{path}`` is the audio file
KNOWN = {
    "ffplay": ["ffplay", "-nodisp", "-autoexit", "-loglevel", "error", "{path}"],
    "mpg123": ["mpg123", "-q", "{path}"],
    # aplay reads WAV only: ffmpeg decodes the MP3 into it
    "aplay": ["sh", "-c", 'ffmpeg -nostdin -loglevel error -i "$0" -f wav - | aplay -q', "{path}"],
}


class Outcome(StrEnum):
    DONE = "done"  # played to its end
    STOPPED = "stopped"  # stopped on request (an emergency, the agent stopping)
    DEADLINE = "deadline"  # cut to keep the next entry on time
    FAILED = "failed"  # the player failed


@dataclass(frozen=True)
class PlayResult:
    outcome: Outcome
    error: str | None = None


class Player(Protocol):
    """Plays one file. ``limit``: stop after this many seconds (to keep the next entry on
    time), None for no limit; ``stop``: set to stop at once (an emergency, the agent stopping)."""

    name: str

    def play(
        self, path: Path, duration: timedelta, stop: threading.Event, limit: float | None
    ) -> PlayResult: ...


class NullPlayer:
    """Plays nothing for as long as the audio lasts: dry runs, tests, demos."""

    name = "null"

    def play(
        self, path: Path, duration: timedelta, stop: threading.Event, limit: float | None
    ) -> PlayResult:
        length = max(duration.total_seconds(), 0.0)
        wait = min(length, max(limit, 0.0)) if limit is not None else length
        if stop.wait(wait):
            return PlayResult(Outcome.STOPPED)
        if limit is not None and limit < length:
            return PlayResult(Outcome.DEADLINE)
        return PlayResult(Outcome.DONE)


class VirtualClock(Protocol):
    def now(self) -> datetime: ...

    def advance(self, by: timedelta) -> None: ...


class SimulatedPlayer:
    """Plays nothing and moves a virtual clock on by the audio's length: a week replayed
    in seconds (the demo, tests that step through time). ``interrupt`` may set ``stop`` at
    a virtual instant, as an emergency bulletin arriving mid-entry would."""

    name = "simulated"

    def __init__(
        self,
        clock: VirtualClock,
        interrupt: Callable[[datetime, datetime, threading.Event], datetime | None] | None = None,
    ) -> None:
        self.clock = clock
        self.interrupt = interrupt
        self.played: list[tuple[Path, datetime, datetime]] = []

    def play(
        self, path: Path, duration: timedelta, stop: threading.Event, limit: float | None
    ) -> PlayResult:
        start = self.clock.now()
        length = max(duration, timedelta())
        span = min(length, timedelta(seconds=max(limit, 0.0))) if limit is not None else length
        cut = self.interrupt(start, start + span, stop) if self.interrupt else None
        if cut is not None and start <= cut < start + span:
            self.clock.advance(cut - start)
            self.played.append((path, start, cut))
            return PlayResult(Outcome.STOPPED)
        self.clock.advance(span)
        self.played.append((path, start, start + span))
        if stop.is_set():
            return PlayResult(Outcome.STOPPED)
        return PlayResult(Outcome.DEADLINE if span < length else Outcome.DONE)


class CommandPlayer:
    """Runs a player program per file, in its own process group so it can be stopped."""

    def __init__(self, name: str, argv: list[str]) -> None:
        self.name = name
        self.argv = argv

    def play(
        self, path: Path, duration: timedelta, stop: threading.Event, limit: float | None
    ) -> PlayResult:
        argv = [a.replace("{path}", str(path)) for a in self.argv]
        deadline = time.monotonic() + limit if limit is not None else None
        try:
            proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            return PlayResult(
                Outcome.FAILED,
                stored_note(
                    _("cannot start {program}: {reason}", program=argv[0], reason=exc.strerror)
                ),
            )
        while True:
            try:
                code = proc.wait(timeout=0.05)
                break
            except subprocess.TimeoutExpired:
                pass
            if stop.is_set():
                _terminate(proc)
                return PlayResult(Outcome.STOPPED)
            if deadline is not None and time.monotonic() >= deadline:
                _terminate(proc)
                return PlayResult(Outcome.DEADLINE)
        if code != 0:
            err = (proc.stderr.read() if proc.stderr else b"").decode("utf-8", "replace").strip()
            return PlayResult(
                Outcome.FAILED,
                stored_note(
                    _(
                        "{player} exited with status {code}: {error}",
                        player=self.name,
                        code=code,
                        error=err[-200:],
                    )
                ),
            )
        if proc.stderr:
            proc.stderr.close()
        return PlayResult(Outcome.DONE)


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=2)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    if proc.stderr:
        proc.stderr.close()


def make_player(spec: str) -> Player:
    """``null``, a known player name, or a command line with ``{path}`` where the file goes."""
    spec = spec.strip()
    if spec in ("", "null", "none"):
        return NullPlayer()
    argv = list(KNOWN[spec]) if spec in KNOWN else shlex.split(spec)
    if "{path}" not in " ".join(argv):
        argv.append("{path}")
    needed = ["ffmpeg", "aplay"] if spec == "aplay" else [argv[0]]
    for program in needed:
        if shutil.which(program) is None:
            raise ConfigError(
                _(
                    "player {player} needs {program}, which is not installed; install it, or "
                    "use --player null for a dry run (known players: null, {known})",
                    player=repr(spec),
                    program=program,
                    known=", ".join(KNOWN),
                )
            )
    return CommandPlayer(spec.split()[0], argv)
