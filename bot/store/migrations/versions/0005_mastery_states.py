"""mastery states (proficient, then mastered after a spaced check), attempts, fitted parameters

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.store.types


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mastery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), server_default='learning', nullable=False))
        batch_op.add_column(sa.Column('proficient_at', bot.store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checked_at', bot.store.types.UTCDateTime(timezone=True), nullable=True))
    # A skill "mastered" before this revision reached the gate but was never checked on a
    # later day: it is proficient until a review confirms it.
    op.execute(
        "UPDATE mastery SET status = 'proficient', proficient_at = mastered_at, "
        "mastered_at = NULL WHERE mastered_at IS NOT NULL"
    )

    op.create_table('attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('skill_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('exercise_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('credit', sa.Float(), nullable=False),
    sa.Column('created_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.create_index('ix_attempts_course_created', ['course_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempts_user_id'), ['user_id'], unique=False)

    op.create_table('fitted_skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('skill_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('prior', sa.Float(), nullable=False),
    sa.Column('learn', sa.Float(), nullable=False),
    sa.Column('slip', sa.Float(), nullable=False),
    sa.Column('guess', sa.Float(), nullable=False),
    sa.Column('learners', sa.Integer(), nullable=False),
    sa.Column('responses', sa.Integer(), nullable=False),
    sa.Column('fitted_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('course_id', 'skill_id', name='uq_fitted_skills_course_skill')
    )
    op.create_table('item_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('exercise_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('difficulty', sa.Float(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('mean_credit', sa.Float(), nullable=False),
    sa.Column('rated_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('course_id', 'exercise_id', name='uq_item_ratings_course_item')
    )
    op.create_table('fitted_memory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('reviews', sa.Integer(), nullable=False),
    sa.Column('cards', sa.Integer(), nullable=False),
    sa.Column('fitted_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('course_id', name='uq_fitted_memory_course')
    )
    op.create_table('fit_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('skills_fitted', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fit_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fit_runs_started_at'), ['started_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('fit_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fit_runs_started_at'))
    op.drop_table('fit_runs')
    op.drop_table('fitted_memory')
    op.drop_table('item_ratings')
    op.drop_table('fitted_skills')
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempts_user_id'))
        batch_op.drop_index('ix_attempts_course_created')
    op.drop_table('attempts')

    # Before this revision a skill at the gate was "mastered": proficient and mastered
    # skills both go back to that.
    op.execute(
        "UPDATE mastery SET mastered_at = COALESCE(mastered_at, proficient_at) "
        "WHERE status <> 'learning'"
    )
    with op.batch_alter_table('mastery', schema=None) as batch_op:
        batch_op.drop_column('checked_at')
        batch_op.drop_column('proficient_at')
        batch_op.drop_column('status')
