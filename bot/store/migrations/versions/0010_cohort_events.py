"""cohort events: what the cohort automations sent (posts, nudges, flags, congratulations, digests)

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.store.types


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cohort_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'kind', 'key', name='uq_cohort_events_key')
    )
    with op.batch_alter_table('cohort_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_events_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cohort_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_events_user_id'))

    op.drop_table('cohort_events')
