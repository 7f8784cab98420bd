"""week board: airings an office pinned or removed by hand

Revision ID: 0012_plan_edits
Revises: 0011_console
Create Date: 2026-12-02 02:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012_plan_edits'
down_revision: str | Sequence[str] | None = '0011_console'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('weekly_plan_edit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('monday', sa.Date(), nullable=False),
    sa.Column('station_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('session', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office_code', 'monday', 'station_code', 'day', 'session', 'item_id', name='uq_plan_edit')
    )


def downgrade() -> None:
    op.drop_table('weekly_plan_edit')
