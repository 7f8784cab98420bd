"""Between domain objects and rows: the part every entity's mapping shares.

Each repository has one pair of functions per entity, ``<entity>_to_row`` (or ``fill_…`` where
a stored row is updated in place) and ``<entity>_from_row``, and converts that entity nowhere
else. The pairs copy the fields named the same on both sides through :func:`to_row`,
:func:`fill_row` and :func:`from_row`, and say explicitly how the others differ: enums stored
as their value, renamed fields, tuples stored as JSON lists, durations as milliseconds.
``tests/db/test_mappings.py`` stores and loads each entity with every field set, so a field
that one side gains and the other does not is a failing test, not a silent loss.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlmodel import SQLModel

R = TypeVar("R", bound=SQLModel)
D = TypeVar("D")


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes; make them aware again."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def required(value: datetime | None) -> datetime:
    """:func:`aware` for a column that is never NULL."""
    out = aware(value)
    assert out is not None
    return out


#: (domain class, row class) → the field names they share, worked out once per pair
_TO_ROW: dict[tuple[type, type], frozenset[str]] = {}
_FROM_ROW: dict[tuple[type, type], frozenset[str]] = {}


def _to_row_names(domain: type, row: type[SQLModel]) -> frozenset[str]:
    names = _TO_ROW.get((domain, row))
    if names is None:
        # the database gives a new row its id; an update never moves a row to another id
        names = frozenset({f.name for f in fields(domain)} & set(row.model_fields) - {"id"})
        _TO_ROW[(domain, row)] = names
    return names


def _from_row_names(domain: type, row: type[SQLModel]) -> frozenset[str]:
    names = _FROM_ROW.get((domain, row))
    if names is None:
        names = frozenset({f.name for f in fields(domain) if f.init} & set(row.model_fields))
        _FROM_ROW[(domain, row)] = names
    return names


def row_values(obj: Any, row_type: type[SQLModel], **given: Any) -> dict[str, Any]:
    """The values of a ``row_type`` row for the dataclass ``obj``: its fields that the row has
    by the same name (not ``id``), then ``given`` (the fields that differ)."""
    names = _to_row_names(type(obj), row_type) - given.keys()
    return {**{n: getattr(obj, n) for n in names}, **given}


def to_row(row_type: type[R], obj: Any, **given: Any) -> R:
    """A new ``row_type`` row for ``obj`` (see :func:`row_values`)."""
    return row_type(**row_values(obj, row_type, **given))


def fill_row(row: SQLModel, obj: Any, **given: Any) -> None:
    """Overwrite a stored row with ``obj`` (see :func:`row_values`)."""
    for name, value in row_values(obj, type(row), **given).items():
        setattr(row, name, value)


def from_row(domain: type[D], row: SQLModel, **given: Any) -> D:
    """A ``domain`` object from ``row``: the fields named alike copied (datetimes made aware,
    as SQLite stores them naive), then ``given`` (the fields that differ)."""
    names = _from_row_names(domain, type(row)) - given.keys()
    values = {n: getattr(row, n) for n in names}
    for name, value in values.items():
        if isinstance(value, datetime):
            values[name] = aware(value)
    return domain(**values, **given)
