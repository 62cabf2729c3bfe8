"""cohorts: a course run in a channel, its members (after consent) and its staff

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.store.types


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index('ix_attempts_user_course', ['user_id', 'course_id'], unique=False)

    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('creator_id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('workspace_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('course_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('starts_on', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('pace', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('nudge_after_days', sa.Integer(), server_default='5', nullable=False),
    sa.Column('certificates', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('leaderboard', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['creator_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohorts_creator_id'), ['creator_id'], unique=False)
        batch_op.create_index('ix_cohorts_place', ['platform', 'workspace_id', 'channel_id'], unique=False)
        batch_op.create_index('ix_cohorts_state', ['state'], unique=False)

    op.create_table('cohort_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('consent_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('left_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('leaderboard_opt_out', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'user_id', name='uq_cohort_members_pair')
    )
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_members_cohort_left', ['cohort_id', 'left_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_members_user_id'), ['user_id'], unique=False)

    op.create_table('cohort_staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('added_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cohort_id', 'user_id', name='uq_cohort_staff_pair')
    )
    with op.batch_alter_table('cohort_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_staff_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cohort_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_staff_user_id'))

    op.drop_table('cohort_staff')
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_members_user_id'))
        batch_op.drop_index('ix_cohort_members_cohort_left')

    op.drop_table('cohort_members')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index('ix_cohorts_state')
        batch_op.drop_index('ix_cohorts_place')
        batch_op.drop_index(batch_op.f('ix_cohorts_creator_id'))

    op.drop_table('cohorts')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_attempts_user_course')
