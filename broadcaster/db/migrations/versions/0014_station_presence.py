"""station board: the history of each station's heartbeats, as stretches of presence

Revision ID: 0014_station_presence
Revises: 0013_airing_indexes
Create Date: 2026-12-02 03:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014_station_presence'
down_revision: str | Sequence[str] | None = '0013_airing_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('station_presence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('beats', sa.Integer(), nullable=False),
    sa.Column('agent_version', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
    sa.Column('fallback_day', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_station_presence_station_last', 'station_presence', ['station_code', 'last_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_station_presence_station_last', table_name='station_presence')
    op.drop_table('station_presence')
