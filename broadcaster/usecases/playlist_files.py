"""Published playlists as files on disk, for nginx to send without asking the app each time.

The API workers write each playlist they render into a folder named after the database's
*publication mark* (which changes with every publication and every new announcement audio),
and point ``current`` at the newest mark's folder. nginx sends
``current/<station>/<day>.json`` (or ``.m3u8``) when it exists, after asking the app whether the
caller may read that station (``auth_request``, cached a few seconds); when the file is not
there it passes the request to the app, which renders it and writes it. A playlist written
for an older mark lands in that mark's folder, never in the one nginx reads.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import uuid
from pathlib import Path

from broadcaster.domain.messages import _

from .published_playlists import RenderedPlaylist

log = logging.getLogger(__name__)

CURRENT = "current"


class PlaylistFiles:
    def __init__(self, root: Path) -> None:
        self.root = root

    @staticmethod
    def generation(mark: object) -> str:
        return "g-" + hashlib.sha256(repr(mark).encode()).hexdigest()[:16]

    def switch(self, generation: str) -> None:
        """Point ``current`` at ``generation`` (made empty if new) and remove older folders."""
        (self.root / generation).mkdir(parents=True, exist_ok=True)
        link = self.root / CURRENT
        with contextlib.suppress(OSError):
            if link.is_symlink() and os.readlink(link) == generation:
                return
        tmp = self.root / f".{CURRENT}-{uuid.uuid4().hex}"
        os.symlink(generation, tmp)
        os.replace(tmp, link)  # atomic: nginx sees the old folder or the new one
        for old in self.root.iterdir():
            if old.name.startswith("g-") and old.name != generation and not old.is_symlink():
                shutil.rmtree(old, ignore_errors=True)

    def write(self, generation: str, rendered: RenderedPlaylist) -> bool:
        """Keep a rendered playlist where nginx finds it; whether it was written (a folder
        removed meanwhile, for a newer mark, means the file is not wanted any more)."""
        station = rendered.station
        if not station or "/" in station or station.startswith("."):
            return False
        folder = self.root / generation / station
        try:
            folder.mkdir(exist_ok=True)  # not parents: a removed generation stays removed
            for suffix, body in ((".json", rendered.json), (".m3u8", rendered.m3u8)):
                target = folder / f"{rendered.day.isoformat()}{suffix}"
                tmp = folder / f".{target.name}.{uuid.uuid4().hex}"
                tmp.write_bytes(body)
                os.replace(tmp, target)
        except FileNotFoundError:
            return False
        except OSError as exc:  # a full or read-only disk: the app keeps serving from memory
            log.warning(
                _("playlist file not written in {folder}: {error}", folder=folder, error=exc)
            )
            return False
        return True
