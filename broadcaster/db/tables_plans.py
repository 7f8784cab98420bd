"""Tables for weekly plans: one row per plan version, one row per station in it (issue 5).

A plan is kept as JSON (``plans_json.plan_to_dict``): the head row holds the week, status,
version, summary and explanations; each station's sessions sit in their own row so that a
station's playlist is read without loading a whole province.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class PlanRow(SQLModel, table=True):
    __tablename__ = "weekly_plan"

    id: int | None = Field(default=None, primary_key=True)
    office_code: str = Field(index=True, max_length=64)
    monday: date = Field(index=True)
    week_label: str = Field(max_length=10)  # 2026-W48
    status: str = Field(default="draft", max_length=10)  # draft | published
    version: int | None = None  # 1, 2, … once published
    created_at: datetime
    published_at: datetime | None = None
    published_by: str | None = Field(default=None, max_length=200)
    #: plan_to_dict() without the stations' sessions
    data: str = Field(sa_column=Column(Text, nullable=False))


class PlanStationRow(SQLModel, table=True):
    __tablename__ = "weekly_plan_station"
    __table_args__ = (UniqueConstraint("plan_id", "station_code", name="uq_plan_station"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="weekly_plan.id", index=True, ondelete="CASCADE")
    station_code: str = Field(index=True, max_length=64)
    position: int = 0
    #: one station of plan_to_dict()["stations"]
    data: str = Field(sa_column=Column(Text, nullable=False))
