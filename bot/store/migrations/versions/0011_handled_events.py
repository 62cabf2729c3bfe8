"""handled events: platform event ids recorded once across processes

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.store.types


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('handled_events',
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('seen_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'event_id')
    )
    with op.batch_alter_table('handled_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handled_events_seen_at'), ['seen_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('handled_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handled_events_seen_at'))
    op.drop_table('handled_events')
