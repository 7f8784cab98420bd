"""The project's error hierarchy.

Every error a user can cause is a :class:`BroadcasterError`. Each subclass builds its message
from the values involved and says what to do next; the CLI prints it as one ``error: …`` line and
the API as one JSON error shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .messages import Msg, _n


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
