"""The project's error hierarchy.

Every error a user can cause is a :class:`BroadcasterError`. Each subclass builds its message
from the values involved and says what to do next; the CLI prints it as one ``error: …`` line and
the API as one JSON error shape.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .messages import Msg, _, _n


class BroadcasterError(Exception):
    """Root of every error broadcaster raises on purpose."""

    #: short machine-readable code used by the API's error shape
    code = "error"


class ConfigError(BroadcasterError):
    """The configuration (file, environment or flags) is wrong."""

    code = "config_error"


class NotFoundError(BroadcasterError):
    """A named thing (station, item, plan…) does not exist."""

    code = "not_found"


class StorageError(BroadcasterError):
    """The database cannot be reached or is not at the expected schema."""

    code = "storage_error"


class InputError(BroadcasterError):
    """A file or value given by the user cannot be read."""

    code = "invalid_input"


def os_reason(exc: OSError) -> Msg | str:
    """Why the system refused to read or write a file, in the reader's language (the system's
    own words, in English, only for a rare failure)."""
    reasons = {
        errno.ENOENT: _("no such file or folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.ENOSPC: _("the disk is full"),
        errno.EROFS: _("the disk is read-only"),
    }
    found = reasons.get(exc.errno) if exc.errno is not None else None
    return found if found is not None else (exc.strerror or str(exc))


_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def toml_error(exc: Exception) -> tuple[str, int | None, int | None]:
    """A TOML parser's complaint (its words, English), and the line and column it names."""
    text = str(exc)
    found = _TOML_PLACE.search(text)
    if found is None:
        return text, None, None
    return text[: found.start()], int(found.group(1)), int(found.group(2))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with where it is and what to do."""

    message: str | Msg
    where: str = ""
    #: what kind of problem, for code that acts on it (never its wording, which is translated)
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else str(self.message)


class ValidationFailed(BroadcasterError):
    """An input has one or more problems; nothing was changed."""

    code = "validation_failed"

    def __init__(self, subject: str | Msg, problems: Sequence[Problem]) -> None:
        self.subject = subject
        self.problems = tuple(problems)
        super().__init__(
            _n(
                "{subject}: {n} problem, nothing was changed",
                "{subject}: {n} problems, nothing was changed",
                len(self.problems),
                subject=subject,
            )
        )

    def __str__(self) -> str:
        # shown in the reader's language, each problem on its own line
        return "\n".join([str(self.args[0]), *(f"  - {p}" for p in self.problems)])
