"""Airing logs: idempotent ingestion and queries by station and period."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from broadcaster.domain.airings import Airing, AiringSource, AiringStatus

from .mapping import from_row, row_values, to_row
from .repository import Repository
from .tables_airings import AiringRow


@dataclass(frozen=True)
class IngestResult:
    accepted: int
    duplicates: int
    accepted_ids: tuple[str, ...]
    #: per airing given, in order: True if stored now, False if its station had it already
    stored: tuple[bool, ...] = ()


class AiringRepository(Repository):
    def add_many(self, airings: Sequence[Airing], received_at: datetime) -> IngestResult:
        """Store airings once each by (station, event id); repeats (retried uploads) are
        skipped. One INSERT … ON CONFLICT DO NOTHING for the batch (the same batch sent twice
        at once stores it once and answers both without an error), as an executemany of one
        statement compiled once per process, with the inserted keys RETURNed."""
        first: dict[tuple[str, str], int] = {}
        for i, a in enumerate(airings):
            first.setdefault((a.station_code, a.event_id), i)
        inserted: set[tuple[str, str]] = set()
        if first:
            unique = [airings[i] for i in first.values()]
            if self.session.get_bind().dialect.name == "postgresql":
                rows = _json_rows(unique, received_at)
                result = self.session.execute(_pg_json_insert(), {"rows": rows})
            else:
                values = [airing_values(a, received_at) for a in unique]
                result = self.session.execute(self._insert_statement(), values)
            inserted = {(str(r[0]), str(r[1])) for r in result}
        stored = tuple(
            first[(a.station_code, a.event_id)] == i and (a.station_code, a.event_id) in inserted
            for i, a in enumerate(airings)
        )
        accepted = tuple(a.event_id for a, s in zip(airings, stored, strict=True) if s)
        return IngestResult(len(accepted), len(airings) - len(accepted), accepted, stored)

    def _insert_statement(self) -> Any:
        table = AiringRow.__table__  # type: ignore[attr-defined]
        dialect = self.session.get_bind().dialect.name
        make = pg_insert if dialect == "postgresql" else sqlite_insert
        return (
            make(table)
            .on_conflict_do_nothing(index_elements=["station_code", "event_id"])
            .returning(table.c.station_code, table.c.event_id)
        )

    def list(
        self,
        *,
        stations: Iterable[str] | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        entry_ids: Collection[str] = (),
    ) -> list[Airing]:
        """Airings whose planned (or, if unplanned, actual) start lies in [start, end), and
        those that name one of ``entry_ids`` whenever they aired."""
        wanted = set(entry_ids)
        query = select(AiringRow)
        if stations is not None:
            query = query.where(col(AiringRow.station_code).in_(list(stations)))
        rows = self.session.exec(
            query.order_by(col(AiringRow.planned_start), col(AiringRow.id))
        ).all()
        out = []
        for r in rows:
            a = airing_from_row(r)
            when = a.planned_start or a.actual_start
            if a.entry_id is not None and a.entry_id in wanted:
                out.append(a)
                continue
            if start is not None and (when is None or when < start):
                continue
            if end is not None and (when is None or when >= end):
                continue
            out.append(a)
        return out

    def count(self) -> int:
        return len(self.session.exec(select(AiringRow.id)).all())

    def aired_items(self, item_ids: Iterable[int]) -> set[int]:
        """Which of these items have an airing logged (of any outcome)."""
        wanted = list(item_ids)
        if not wanted:
            return set()
        rows = self.session.exec(
            select(AiringRow.item_id).where(col(AiringRow.item_id).in_(wanted)).distinct()
        ).all()
        return {r for r in rows if r is not None}


@functools.cache
def _pg_json_insert() -> Any:
    """On PostgreSQL one statement for any batch size, with the batch as one JSON parameter
    read by ``json_to_recordset``: the server plans it once (prepared), parses the rows in C,
    and the driver sends one string (16 arrays of N values cost more to encode than the
    insert costs to run)."""
    from sqlalchemy.dialects import postgresql

    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]

    # the base type without its length: a cast to VARCHAR(64) would cut a longer value
    # silently, while the insert into the column refuses it as a single-row insert does
    def base_type(c: Any) -> str:
        return re.sub(r"\(\d+\)", "", c.type.compile(dialect=dialect))

    columns = _insert_columns()
    names = ", ".join(c.name for c in columns)
    record = ", ".join(f"{c.name} {base_type(c)}" for c in columns)
    return text(
        f"INSERT INTO {AiringRow.__tablename__} ({names}) "
        f"SELECT {names} FROM json_to_recordset(CAST(:rows AS json)) AS r({record}) "
        "ON CONFLICT (station_code, event_id) DO NOTHING RETURNING station_code, event_id"
    )


@functools.cache
def _insert_columns() -> tuple[Any, ...]:
    table = AiringRow.__table__  # type: ignore[attr-defined]
    return tuple(c for c in table.columns if c.name != "id")


def _json_rows(airings: Sequence[Airing], received_at: datetime) -> str:
    """The batch as the JSON array ``json_to_recordset`` reads, in one pass over the records:
    the columns named as the record's fields, enums as their values, datetimes as ISO text with
    their offset (the server stores the instant; a naive one is refused as the columns' type
    refuses it). Converted before encoding so that ``json.dumps`` runs in C throughout."""
    names = _copied_fields()
    rows = []
    for a in airings:
        row = {n: getattr(a, n) for n in names}
        for n in ("planned_start", "actual_start", "actual_end"):
            if row[n] is not None:
                row[n] = _iso_text(row[n])
        row["status"], row["source"] = a.status.value, a.source.value
        row["received_at"] = _iso_text(a.received_at or received_at)
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False)


@functools.cache
def _copied_fields() -> tuple[str, ...]:
    """The columns filled from the record's fields of the same name, as they are."""
    different = {"status", "source", "received_at"}
    return tuple(c.name for c in _insert_columns() if c.name not in different)


def _iso_text(value: datetime) -> str:
    text = value.isoformat()
    if value.tzinfo is None:
        raise ValueError(f"datetime {text} has no time zone")
    return text


def airing_values(a: Airing, received_at: datetime) -> dict[str, Any]:
    """The column values of a log record (no row object: a batch is inserted as values)."""
    return row_values(
        a,
        AiringRow,
        status=a.status.value,
        source=a.source.value,
        received_at=a.received_at or received_at,
    )


def airing_to_row(a: Airing, received_at: datetime) -> AiringRow:
    """The row of a log record; ``received_at`` when the record does not say it."""
    return to_row(
        AiringRow,
        a,
        status=a.status.value,
        source=a.source.value,
        received_at=a.received_at or received_at,
    )


def airing_from_row(r: AiringRow) -> Airing:
    return from_row(Airing, r, status=AiringStatus(r.status), source=AiringSource(r.source))
