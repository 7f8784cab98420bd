"""cluster devices: device state in the heartbeat, commands to a device

Revision ID: 0015_cluster_devices
Revises: 0014_station_presence
Create Date: 2026-12-02 05:09:51.551709
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0015_cluster_devices'
down_revision: str | Sequence[str] | None = '0014_station_presence'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('device_command',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('audio_hash', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('acked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('device_command', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_device_command_station_code'), ['station_code'], unique=False)

    with op.batch_alter_table('station_heartbeat', schema=None) as batch_op:
        batch_op.add_column(sa.Column('volume', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('relay_on', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('audio_ok', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('temperature_c', sa.Float(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('station_heartbeat', schema=None) as batch_op:
        batch_op.drop_column('temperature_c')
        batch_op.drop_column('audio_ok')
        batch_op.drop_column('relay_on')
        batch_op.drop_column('volume')

    with op.batch_alter_table('device_command', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_device_command_station_code'))

    op.drop_table('device_command')
