"""Pieces of messages that are themselves shown in the reader's language: lists and weekdays.

A message's values may be messages (:class:`~.messages.Msg`); these build such values, so a
list of parts or a weekday is rendered with the message, when and for whom it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from .messages import WEEKDAYS, Msg


def joined(parts: Sequence[Msg | str], separator: str) -> Msg:
    """Parts shown one after the other with ``separator`` between them. The separator is
    punctuation (``", "``, ``"; "``, ``"–"``), the same in every language, so only the parts
    are translated."""
    names = [f"p{n}" for n in range(len(parts))]
    template = separator.join("{" + name + "}" for name in names)
    return Msg(template, dict(zip(names, parts, strict=True)))


def weekday(index: int) -> Msg:
    """A weekday as a reader reads it next to a date: ``T2`` … ``CN`` (Monday is 0)."""
    return Msg(WEEKDAYS[index])
