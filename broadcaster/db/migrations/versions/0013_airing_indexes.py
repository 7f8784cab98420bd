"""airings: drop two indexes the (station, event id) constraint already gives

Every airing batch updated six indexes; ``station_code`` alone is the constraint's first
column, and ``event_id`` alone is never searched (an event id is a station's own).

Revision ID: 0013_airing_indexes
Revises: 0012_plan_edits
Create Date: 2026-12-02 02:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_airing_indexes"
down_revision: str | Sequence[str] | None = "0012_plan_edits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("airing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_airing_event_id"))
        batch_op.drop_index(batch_op.f("ix_airing_station_code"))


def downgrade() -> None:
    with op.batch_alter_table("airing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_airing_station_code"), ["station_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_airing_event_id"), ["event_id"], unique=False)
