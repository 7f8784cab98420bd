"""What an office fixed by hand in a week's plan: pins and removals, per office and week."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import col, delete, select

from ..domain.planning.edits import AiringRef, EditKind, PlanEdit
from .mapping import required
from .repository import Repository
from .tables_plan_edits import PlanEditRow


def _where(office: str, monday: date, ref: AiringRef) -> list[Any]:
    return [
        PlanEditRow.office_code == office,
        PlanEditRow.monday == monday,
        PlanEditRow.station_code == ref.station_code,
        PlanEditRow.day == ref.day,
        PlanEditRow.session == ref.session,
        PlanEditRow.item_id == ref.item_id,
    ]


class PlanEditRepository(Repository):
    def listed(self, office: str, monday: date) -> list[PlanEdit]:
        """The office's edits of a week, in the order of the plan (station, day, session)."""
        rows = self.session.exec(
            select(PlanEditRow)
            .where(PlanEditRow.office_code == office, PlanEditRow.monday == monday)
            .order_by(
                col(PlanEditRow.station_code),
                col(PlanEditRow.day),
                col(PlanEditRow.session),
                col(PlanEditRow.item_id),
            )
        ).all()
        return [
            PlanEdit(
                AiringRef(r.station_code, r.day, r.session, r.item_id),
                EditKind(r.kind),
                r.by,
                required(r.at),
            )
            for r in rows
        ]

    def put(
        self, office: str, monday: date, ref: AiringRef, kind: EditKind, by: str, at: datetime
    ) -> None:
        """Pin or remove an airing (replacing what was fixed for it before)."""
        self.clear(office, monday, ref)
        self._store(
            PlanEditRow(
                office_code=office,
                monday=monday,
                station_code=ref.station_code,
                day=ref.day,
                session=ref.session,
                item_id=ref.item_id,
                kind=kind.value,
                by=by,
                at=at,
            )
        )

    def clear(self, office: str, monday: date, ref: AiringRef) -> bool:
        """Forget what was fixed for an airing; whether there was something."""
        found = self.session.exec(
            select(PlanEditRow.id).where(*_where(office, monday, ref))
        ).first()
        if found is None:
            return False
        self.session.exec(delete(PlanEditRow).where(col(PlanEditRow.id) == found))
        self.session.flush()
        return True
