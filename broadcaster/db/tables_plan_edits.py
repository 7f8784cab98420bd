"""Table for what an office fixed by hand in a week's plan (revision 0012): airings pinned and
airings removed, kept per office and week across drafts and versions, so that re-planning
keeps them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

PIN = "pin"
EXCLUDE = "exclude"


class PlanEditRow(SQLModel, table=True):
    __tablename__ = "weekly_plan_edit"
    __table_args__ = (
        UniqueConstraint(
            "office_code", "monday", "station_code", "day", "session", "item_id",
            name="uq_plan_edit",
        ),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    office_code: str = Field(max_length=64)
    monday: date
    station_code: str = Field(max_length=64)
    day: date
    session: str = Field(max_length=100)
    item_id: int
    kind: str = Field(max_length=10)  # pin | exclude
    by: str = Field(max_length=200)
    at: datetime
