"""Repositories: the only code that turns rows into domain objects and back."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from datetime import time, timedelta
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.orm import defer
from sqlmodel import col, delete, select

from ..domain.items import (
    Approval,
    ApprovalState,
    Daypart,
    Directive,
    DocumentRef,
    Item,
    ItemKind,
    Observance,
    PartialDate,
    Period,
    Priority,
)
from ..domain.messages import _
from ..domain.stations import (
    BlockKind,
    ClockSettings,
    FixedBlock,
    QuietHours,
    Station,
    StationKind,
    StationTargets,
    StationTree,
)
from ..domain.stations import (
    Session as ClockSession,
)
from .mapping import aware, fill_row, from_row, to_row
from .repository import Repository
from .tables import DirectiveRow, FixedBlockRow, ItemRow, SessionRow, StationRow
from .tables_segments import SegmentRow


def _hhmm(t: time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _time(text: str) -> time:
    h, m = text.split(":")
    return time(int(h), int(m))


# --- stations ---------------------------------------------------------------------------------


class StationRepository(Repository):
    def all(self) -> list[Station]:
        rows = self.session.exec(
            select(StationRow).order_by(col(StationRow.position), col(StationRow.id))
        ).all()
        sessions = self.session.exec(
            select(SessionRow).order_by(col(SessionRow.station_id), col(SessionRow.position))
        ).all()
        blocks = self.session.exec(
            select(FixedBlockRow).order_by(
                col(FixedBlockRow.session_id), col(FixedBlockRow.position)
            )
        ).all()
        blocks_by_session: dict[int, list[FixedBlockRow]] = {}
        for b in blocks:
            blocks_by_session.setdefault(b.session_id, []).append(b)
        sessions_by_station: dict[int, list[SessionRow]] = {}
        for s in sessions:
            sessions_by_station.setdefault(s.station_id, []).append(s)
        return [
            station_from_row(r, sessions_by_station.get(r.id or 0, []), blocks_by_session)
            for r in rows
        ]

    def tree(self) -> StationTree:
        return StationTree(self.all())

    def programme_code(self, code: str) -> str | None:
        """The code of the station whose programme ``code`` plays (itself when it airs, else
        its nearest airing ancestor: a loudspeaker cluster plays its commune's); None when
        the station is unknown or nothing above it airs. A walk up the tree, no clocks."""
        current: str | None = code
        seen: set[str] = set()
        while current is not None and current not in seen:
            seen.add(current)
            row = self.session.exec(
                select(StationRow.kind, StationRow.airs, StationRow.parent_code).where(
                    col(StationRow.code) == current
                )
            ).first()
            if row is None:
                return None
            kind, airs, parent = row
            if airs if airs is not None else kind == StationKind.COMMUNE.value:
                return current
            current = parent
        return None

    def outline(self) -> StationTree:
        """The tree's shape only — codes, names, kinds, parents, offices, who airs — without
        clocks: one light query, for questions of reach (tokens, bulletins, access) on a
        national tree where loading every clock would take a second."""
        # six columns: past sqlmodel's typed select, so SQLAlchemy's own
        rows = self.session.execute(
            sa_select(
                col(StationRow.code),
                col(StationRow.name),
                col(StationRow.kind),
                col(StationRow.parent_code),
                col(StationRow.is_office),
                col(StationRow.airs),
            ).order_by(col(StationRow.position), col(StationRow.id))
        ).all()
        return StationTree(
            Station(
                code=code,
                name=name,
                kind=StationKind(kind),
                parent=parent,
                is_office=bool(office),
                airs=airs,
            )
            for code, name, kind, parent, office, airs in rows
        )

    def get(self, code: str) -> Station:
        return self.tree().get(code)

    def codes(self) -> set[str]:
        return set(self.session.exec(select(StationRow.code)).all())

    def upsert_many(self, stations: Sequence[Station]) -> tuple[int, int]:
        """Insert new stations and replace existing ones by code; returns (added, updated)."""
        existing = {r.code: r for r in self.session.exec(select(StationRow)).all()}
        top = max((r.position for r in existing.values()), default=-1)
        added = updated = 0
        for offset, station in enumerate(stations, start=1):
            row = existing.get(station.code)
            if row is None:
                row = station_to_row(station)
                row.position = top + offset
                added += 1
            else:
                updated += 1
                self.session.exec(delete(SessionRow).where(col(SessionRow.station_id) == row.id))
                fill_station_row(row, station)
            self._store(row)
            assert row.id is not None
            for i, s in enumerate(station.clock.sessions or ()):
                srow = session_to_row(s, row.id, i)
                self._store(srow)
                assert srow.id is not None
                for j, b in enumerate(s.fixed_blocks):
                    self.session.add(block_to_row(b, srow.id, j))
        self.session.flush()
        return added, updated


def _station_values(s: Station) -> dict[str, Any]:
    """A station's row values besides those named alike (code, name, is_office, airs)."""
    c = s.clock
    return {
        "kind": s.kind.value,
        "parent_code": s.parent,
        "timezone": c.timezone,
        "quiet_start": _hhmm(c.quiet_hours.start) if c.quiet_hours else None,
        "quiet_end": _hhmm(c.quiet_hours.end) if c.quiet_hours else None,
        "allow_quiet_hours": c.allow_quiet_hours,
        "max_sessions_per_day": c.max_sessions_per_day,
        "max_minutes_per_session": c.max_minutes_per_session,
        "own_sessions": c.sessions is not None,
        "source": s.where or None,
        "target_normal": s.targets.normal,
        "target_priority": s.targets.priority,
    }


def station_to_row(s: Station) -> StationRow:
    """The station's own row; its clock's sessions and blocks are rows of their own."""
    return to_row(StationRow, s, **_station_values(s))


def fill_station_row(row: StationRow, s: Station) -> None:
    fill_row(row, s, **_station_values(s))


def session_to_row(s: ClockSession, station_id: int, position: int) -> SessionRow:
    return SessionRow(
        station_id=station_id,
        position=position,
        name=s.name,
        days=",".join(str(d) for d in sorted(s.days)),
        start=_hhmm(s.start),
        seconds=round(s.length.total_seconds()),
    )


def block_to_row(b: FixedBlock, session_id: int, position: int) -> FixedBlockRow:
    return to_row(
        FixedBlockRow,
        b,
        session_id=session_id,
        position=position,
        kind=b.kind.value,
        start=_hhmm(b.start),
        seconds=round(b.length.total_seconds()),
    )


def block_from_row(b: FixedBlockRow) -> FixedBlock:
    return from_row(
        FixedBlock,
        b,
        kind=BlockKind(b.kind),
        start=_time(b.start),
        length=timedelta(seconds=b.seconds),
    )


def session_from_row(s: SessionRow, blocks: Sequence[FixedBlockRow]) -> ClockSession:
    return ClockSession(
        name=s.name,
        days=frozenset(int(d) for d in s.days.split(",") if d),
        start=_time(s.start),
        length=timedelta(seconds=s.seconds),
        fixed_blocks=tuple(block_from_row(b) for b in blocks),
    )


def station_from_row(
    r: StationRow, sessions: list[SessionRow], blocks: dict[int, list[FixedBlockRow]]
) -> Station:
    own: tuple[ClockSession, ...] | None = None
    if r.own_sessions:
        own = tuple(session_from_row(s, blocks.get(s.id or 0, [])) for s in sessions)
    quiet = (
        QuietHours(_time(r.quiet_start), _time(r.quiet_end))
        if r.quiet_start and r.quiet_end
        else None
    )
    clock = ClockSettings(
        sessions=own,
        timezone=r.timezone,
        quiet_hours=quiet,
        allow_quiet_hours=r.allow_quiet_hours,
        max_sessions_per_day=r.max_sessions_per_day,
        max_minutes_per_session=r.max_minutes_per_session,
    )
    return from_row(
        Station,
        r,
        kind=StationKind(r.kind),
        parent=r.parent_code,
        clock=clock,
        where=r.source or "",
        targets=StationTargets(normal=r.target_normal, priority=r.target_priority),
    )


# --- documents and items ----------------------------------------------------------------------


def observance_to_json(o: Observance) -> dict[str, Any]:
    out: dict[str, Any] = {"name": o.name, "month": o.month, "day": o.day, "year": o.year}
    if o.origin is not None:
        out["origin"] = o.origin
    return out


def observance_from_json(data: dict[str, Any]) -> Observance:
    return Observance(
        name=data["name"],
        month=data.get("month"),
        day=data.get("day"),
        year=data.get("year"),
        origin=data.get("origin"),
    )


class DirectiveRepository(Repository):
    def add(self, d: Directive) -> Directive:
        row = directive_to_row(d)
        self._store(row)
        return directive_from_row(row)

    def get(self, directive_id: int) -> Directive:
        missing = _("no directive {id}; see 'broadcaster directive list'", id=directive_id)
        return directive_from_row(self._get(DirectiveRow, directive_id, missing))

    def list(self) -> builtins.list[Directive]:
        rows = self.session.exec(select(DirectiveRow).order_by(col(DirectiveRow.id))).all()
        return [directive_from_row(r) for r in rows]

    def find_by_sha256(self, sha256: str) -> builtins.list[Directive]:
        rows = self.session.exec(
            select(DirectiveRow)
            .where(DirectiveRow.source_sha256 == sha256)
            .order_by(col(DirectiveRow.part))
        ).all()
        return [directive_from_row(r) for r in rows]

    def find_by_content(self, content_sha256: str) -> builtins.list[Directive]:
        """The documents of the first file whose text had this fingerprint."""
        first = self.session.exec(
            select(DirectiveRow.source_sha256)
            .where(DirectiveRow.content_sha256 == content_sha256)
            .order_by(col(DirectiveRow.id))
        ).first()
        return self.find_by_sha256(first) if first else []

    def find_by_number(self, number: str) -> builtins.list[Directive]:
        rows = self.session.exec(
            select(DirectiveRow).where(DirectiveRow.number == number).order_by(col(DirectiveRow.id))
        ).all()
        return [directive_from_row(r) for r in rows]

    def summaries(self) -> builtins.list[Directive]:
        """Every directive without its text (lists and menus)."""
        query = select(DirectiveRow).options(defer(DirectiveRow.text))  # type: ignore[arg-type]
        rows = self.session.exec(query.order_by(col(DirectiveRow.id))).all()
        return [directive_from_row(r, with_text=False) for r in rows]


def directive_to_row(d: Directive) -> DirectiveRow:
    return to_row(
        DirectiveRow,
        d,
        issued=d.date.iso() if d.date else None,
        addressees=list(d.addressees),
        period_text=d.period.text if d.period else None,
        period_start=d.period.start if d.period else None,
        period_end=d.period.end if d.period else None,
        basis=[b.to_json() for b in d.basis],
    )


def directive_from_row(r: DirectiveRow, *, with_text: bool = True) -> Directive:
    period = (
        Period(text=r.period_text or "", start=r.period_start, end=r.period_end)
        if r.period_text or r.period_start or r.period_end
        else None
    )
    return from_row(
        Directive,
        r,
        date=PartialDate.parse_iso(r.issued),
        addressees=tuple(r.addressees or ()),
        period=period,
        basis=tuple(DocumentRef.from_json(b) for b in r.basis or ()),
        **({} if with_text else {"text": None}),
    )


def _ms(value: timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds() * 1000)


def _td(ms: int | None) -> timedelta | None:
    return None if ms is None else timedelta(milliseconds=ms)


class ItemRepository(Repository):
    def add(self, item: Item) -> Item:
        row = item_to_row(item)
        self._store(row)
        return item_from_row(row)

    def add_many(self, items: Iterable[Item]) -> builtins.list[Item]:
        return [self.add(i) for i in items]

    def save(self, item: Item) -> Item:
        if item.id is None:
            return self.add(item)
        row = self._row(item.id)
        fill_item_row(row, item)
        self._store(row)
        return item_from_row(row)

    def get(self, item_id: int) -> Item:
        return item_from_row(self._row(item_id))

    def _row(self, item_id: int) -> ItemRow:
        missing = _("no item {id}; see 'broadcaster items list'", id=item_id)
        return self._get(ItemRow, item_id, missing)

    def list(
        self,
        *,
        directive_id: int | None = None,
        kind: ItemKind | str | None = None,
        state: ApprovalState | str | None = None,
        ids: Iterable[int] | None = None,
        include_retired: bool = False,
    ) -> builtins.list[Item]:
        """Items in their directive's order; retired ones only with ``include_retired`` (or
        when asked for by id)."""
        query = select(ItemRow)
        if not include_retired and ids is None:
            query = query.where(col(ItemRow.retired_at).is_(None))
        if directive_id is not None:
            query = query.where(ItemRow.directive_id == directive_id)
        if kind is not None:
            query = query.where(ItemRow.kind == str(kind))
        if state is not None:
            query = query.where(ItemRow.approval_state == str(state))
        if ids is not None:
            query = query.where(col(ItemRow.id).in_(list(ids)))
        rows = self.session.exec(
            query.order_by(col(ItemRow.directive_id), col(ItemRow.position), col(ItemRow.id))
        ).all()
        return [item_from_row(r) for r in rows]

    def approved(self) -> builtins.list[Item]:
        return self.list(kind=ItemKind.PROPAGANDA, state=ApprovalState.APPROVED)

    def delete(self, item_id: int) -> None:
        """Remove a draft for good (its synthesised segments go with it)."""
        row = self._row(item_id)
        # not left to ON DELETE CASCADE: SQLite enforces it only with foreign keys on
        self.session.execute(delete(SegmentRow).where(col(SegmentRow.item_id) == item_id))
        self.session.delete(row)
        self.session.flush()

    def make_room(self, directive_id: int | None, position: int, count: int = 1) -> None:
        """Move a directive's items at ``position`` and after down by ``count`` places."""
        rows = self.session.exec(
            select(ItemRow)
            .where(ItemRow.directive_id == directive_id)
            .where(col(ItemRow.position) >= position)
        ).all()
        for row in rows:
            row.position += count
            self.session.add(row)
        self.session.flush()


def _item_values(item: Item) -> dict[str, Any]:
    """An item's row values besides those named alike (title, number, text, dates…)."""
    return {
        "kind": item.kind.value,
        "priority": item.priority.value,
        "duration_ms": _ms(item.duration),
        "estimated_ms": _ms(item.estimated_duration),
        "approval_state": item.approval.state.value,
        "approved_by": item.approval.by,
        "approved_at": item.approval.at,
        "returned_note": item.approval.note,
        "basis": [b.to_json() for b in item.basis],
        "slogans": list(item.slogans),
        "observances": [observance_to_json(o) for o in item.observances],
        "dayparts": sorted(d.value for d in item.dayparts),
        "min_gap_minutes": None
        if item.min_gap is None
        else round(item.min_gap.total_seconds() / 60),
        "stations": sorted(item.stations),
    }


def item_to_row(item: Item) -> ItemRow:
    return to_row(ItemRow, item, **_item_values(item))


def fill_item_row(row: ItemRow, item: Item) -> None:
    fill_row(row, item, **_item_values(item))


def item_from_row(r: ItemRow) -> Item:
    return from_row(
        Item,
        r,
        kind=ItemKind(r.kind),
        priority=Priority(r.priority),
        duration=_td(r.duration_ms),
        estimated_duration=_td(r.estimated_ms),
        approval=Approval(
            ApprovalState(r.approval_state), r.approved_by, aware(r.approved_at), r.returned_note
        ),
        basis=tuple(DocumentRef.from_json(b) for b in r.basis or ()),
        slogans=tuple(r.slogans or ()),
        observances=tuple(observance_from_json(o) for o in r.observances or ()),
        dayparts=frozenset(Daypart(d) for d in r.dayparts or ()),
        min_gap=None if r.min_gap_minutes is None else timedelta(minutes=r.min_gap_minutes),
        stations=frozenset(r.stations or ()),
    )
