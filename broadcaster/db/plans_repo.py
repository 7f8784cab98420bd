"""Weekly plans: drafts, published versions, and one station's part of a published plan."""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col, delete, select

from ..domain.errors import NotFoundError
from ..domain.messages import _
from ..domain.planning import WeeklyPlan
from .mapping import from_row
from .plans_json import plan_from_dict, plan_to_dict
from .repository import Repository
from .tables_plans import PlanRow, PlanStationRow

DRAFT = "draft"
PUBLISHED = "published"


@dataclass(frozen=True)
class PlanVersion:
    """What is stored about one plan of an office's week."""

    id: int
    office_code: str
    monday: date
    week: str
    status: str
    version: int | None
    created_at: datetime
    published_at: datetime | None
    published_by: str | None


def version_from_row(row: PlanRow) -> PlanVersion:
    """What the head row of a stored plan says about it (its data is read by _load)."""
    assert row.id is not None
    return from_row(PlanVersion, row, week=row.week_label)


class PlanRepository(Repository):
    # --- writing ------------------------------------------------------------------------------

    def save_draft(self, office: str, plan: WeeklyPlan, created_at: datetime) -> PlanVersion:
        """Store a plan as the office's draft for its week, replacing an earlier draft in place
        (the draft keeps its id on every database, so a page that names it still finds it)."""
        old = self.session.exec(
            select(PlanRow)
            .where(
                PlanRow.office_code == office,
                PlanRow.monday == plan.monday,
                PlanRow.status == DRAFT,
            )
            .order_by(col(PlanRow.id))
        ).all()
        for r in old:
            self.session.exec(delete(PlanStationRow).where(col(PlanStationRow.plan_id) == r.id))
        for r in old[1:]:
            self.session.delete(r)
        self.session.flush()
        data = plan_to_dict(plan)
        stations = data.pop("stations")
        assert isinstance(stations, list)
        text = json.dumps(data, ensure_ascii=False)
        row = old[0] if old else None
        if row is None:
            row = PlanRow(
                office_code=office,
                monday=plan.monday,
                week_label=plan.label,
                status=DRAFT,
                created_at=created_at,
                data=text,
            )
        row.week_label, row.created_at, row.data = plan.label, created_at, text
        self._store(row)
        assert row.id is not None
        for position, st in enumerate(stations):
            self.session.add(
                PlanStationRow(
                    plan_id=row.id,
                    station_code=str(st["code"]),
                    position=position,
                    data=json.dumps(st, ensure_ascii=False),
                )
            )
        self.session.flush()
        return version_from_row(row)

    def publish(self, office: str, monday: date, at: datetime, by: str) -> PlanVersion:
        """Freeze the office's draft of a week as its next version."""
        row = self._row(office, monday, DRAFT)
        if row is None:
            raise NotFoundError(
                _(
                    "no draft plan for office {office} in week {week}; "
                    "run 'broadcaster plan week --office {office} --week {week}' first",
                    office=office,
                    week=_week(monday),
                )
            )
        latest = self.latest_version(office, monday) or 0
        row.status = PUBLISHED
        row.version = latest + 1
        row.published_at = at
        row.published_by = by
        self._store(row)
        self._wake_watchers("plans")  # every API worker serves the new version at once
        return version_from_row(row)

    # --- reading ------------------------------------------------------------------------------

    def _row(self, office: str, monday: date, status: str) -> PlanRow | None:
        query = select(PlanRow).where(
            PlanRow.office_code == office, PlanRow.monday == monday, PlanRow.status == status
        )
        if status == PUBLISHED:
            query = query.order_by(col(PlanRow.version).desc())
        return self.session.exec(query.limit(1)).first()

    def _load(self, row: PlanRow, station_codes: builtins.list[str] | None = None) -> WeeklyPlan:
        data: dict[str, Any] = json.loads(row.data)
        query = select(PlanStationRow).where(PlanStationRow.plan_id == row.id)
        if station_codes is not None:
            query = query.where(col(PlanStationRow.station_code).in_(station_codes))
        rows = self.session.exec(query.order_by(col(PlanStationRow.position))).all()
        data["stations"] = [json.loads(r.data) for r in rows]
        return plan_from_dict(data)

    def by_id(self, plan_id: int) -> tuple[PlanVersion, WeeklyPlan] | None:
        """A stored plan (a draft or a published version) by its id."""
        row = self.session.get(PlanRow, plan_id)
        return (version_from_row(row), self._load(row)) if row is not None else None

    def head(self, office: str, monday: date) -> PlanVersion | None:
        """What the office works on in a week: its draft, else its newest published version."""
        row = self._row(office, monday, DRAFT) or self._row(office, monday, PUBLISHED)
        return version_from_row(row) if row is not None else None

    def latest_version(self, office: str, monday: date) -> int | None:
        row = self._row(office, monday, PUBLISHED)
        return row.version if row is not None else None

    def draft(self, office: str, monday: date) -> WeeklyPlan | None:
        row = self._row(office, monday, DRAFT)
        return self._load(row) if row is not None else None

    def published(self, office: str, monday: date, version: int | None = None) -> WeeklyPlan | None:
        """The office's published plan of a week (the newest version unless one is named)."""
        if version is None:
            row = self._row(office, monday, PUBLISHED)
        else:
            row = self.session.exec(
                select(PlanRow).where(
                    PlanRow.office_code == office,
                    PlanRow.monday == monday,
                    PlanRow.status == PUBLISHED,
                    PlanRow.version == version,
                )
            ).first()
        return self._load(row) if row is not None else None

    def versions(self, office: str, monday: date) -> builtins.list[PlanVersion]:
        rows = self.session.exec(
            select(PlanRow)
            .where(PlanRow.office_code == office, PlanRow.monday == monday)
            .order_by(col(PlanRow.version), col(PlanRow.id))
        ).all()
        return [version_from_row(r) for r in rows]

    def publication_mark(self) -> tuple[int, int | None]:
        """How many plans are published and the newest one's id: changes with every
        publication (the API's watcher compares it to know when to look again)."""
        count, newest = self.session.execute(
            sa_select(func.count(col(PlanRow.id)), func.max(col(PlanRow.id))).where(
                col(PlanRow.status) == PUBLISHED
            )
        ).one()
        return int(count), None if newest is None else int(newest)

    def published_id_for_station(self, station_code: str, monday: date) -> int | None:
        """The id of the newest published plan of a week that covers a station (cheap)."""
        found = self.session.exec(self._covering(select(PlanRow.id), station_code, monday)).first()
        return int(found) if found is not None else None

    def _covering(self, query: Any, station_code: str, monday: date) -> Any:
        return (
            query.join(PlanStationRow, col(PlanStationRow.plan_id) == col(PlanRow.id))
            .where(
                PlanStationRow.station_code == station_code,
                PlanRow.monday == monday,
                PlanRow.status == PUBLISHED,
            )
            .order_by(col(PlanRow.published_at).desc(), col(PlanRow.id).desc())
            .limit(1)
        )

    def published_for_station(
        self, station_code: str, monday: date
    ) -> tuple[PlanVersion, WeeklyPlan] | None:
        """The newest published plan of a week that covers a station (only its part loaded)."""
        row = self.session.exec(self._covering(select(PlanRow), station_code, monday)).first()
        if row is None:
            return None
        return version_from_row(row), self._load(row, [station_code])


def _week(monday: date) -> str:
    iso = monday.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"
