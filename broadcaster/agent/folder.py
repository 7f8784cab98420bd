"""The station's local folder: pulled playlists, their audio, the agent's state database."""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from broadcaster.audio.store import AUDIO_SUFFIXES, check_hash
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import _


class AgentBusy(BroadcasterError):
    """Another agent already runs on this folder."""

    code = "agent_busy"


@dataclass(frozen=True)
class LocalFolder:
    root: Path

    @property
    def playlists_dir(self) -> Path:
        return self.root / "playlists"

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    @property
    def state_db(self) -> Path:
        return self.root / "agent.db"

    def ensure(self) -> LocalFolder:
        self.playlists_dir.mkdir(parents=True, exist_ok=True)
        self.audio_dir.mkdir(parents=True, exist_ok=True)
        return self

    def playlist_path(self, day: date) -> Path:
        return self.playlists_dir / f"{day.isoformat()}.json"

    def playlist_days(self) -> list[date]:
        days = []
        for p in sorted(self.playlists_dir.glob("*.json")):
            try:
                days.append(date.fromisoformat(p.stem))
            except ValueError:
                continue
        return days

    def audio_path(self, audio_hash: str) -> Path | None:
        """The complete local file for a hash, if there is one."""
        check_hash(audio_hash)
        for suffix in AUDIO_SUFFIXES:
            p = self.audio_dir / f"{audio_hash}{suffix}"
            if p.is_file():
                return p
        return None

    def audio_target(self, audio_hash: str, suffix: str = ".mp3") -> Path:
        check_hash(audio_hash)
        return self.audio_dir / f"{audio_hash}{suffix if suffix in AUDIO_SUFFIXES else '.mp3'}"


class FolderLock:
    """Exactly one agent per folder: two schedulers would play and log every entry twice."""

    def __init__(self, folder: LocalFolder) -> None:
        self.path = folder.root / "agent.lock"
        self._fh: IO[str] | None = None

    def acquire(self) -> FolderLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            pid = fh.read().strip() or "?"
            fh.close()
            raise AgentBusy(
                _(
                    "another agent (pid {pid}) is already running on {folder}; stop it first "
                    "— two agents would play every entry twice",
                    pid=pid,
                    folder=self.path.parent,
                )
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
