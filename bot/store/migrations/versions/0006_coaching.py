"""coaching: coach-client links, coaches' exercises, assignments with reminders, flags

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.store.types


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('coach_exercises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('coach_exercises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coach_exercises_coach_id'), ['coach_id'], unique=False)

    op.create_table('coach_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('invite_code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('invite_expires_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('reminders', sqlmodel.sql.sqltypes.AutoString(length=8), server_default='all', nullable=False),
    sa.Column('pause_after', sa.Integer(), server_default='3', nullable=False),
    sa.Column('next_session_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_session_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('brief_due_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('invite_code', name='uq_coach_links_invite_code')
    )
    with op.batch_alter_table('coach_links', schema=None) as batch_op:
        batch_op.create_index('ix_coach_links_brief_due', ['brief_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_coach_links_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coach_links_coach_id'), ['coach_id'], unique=False)
        batch_op.create_index('uq_coach_links_live_pair', ['coach_id', 'client_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL AND client_id IS NOT NULL'), postgresql_where=sa.text('ended_at IS NULL AND client_id IS NOT NULL'))

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('exercise_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('due_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('steps_done', sa.Integer(), nullable=False),
    sa.Column('assigned_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_reminder_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminders_sent', sa.Integer(), nullable=False),
    sa.Column('unanswered', sa.Integer(), nullable=False),
    sa.Column('paused_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notified_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exercise_id'], ['coach_exercises.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_id'], ['coach_links.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_coach_id'), ['coach_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_exercise_id'), ['exercise_id'], unique=False)
        batch_op.create_index('ix_assignments_link_state', ['link_id', 'state'], unique=False)
        batch_op.create_index('ix_assignments_next_reminder', ['next_reminder_at'], unique=False)
        batch_op.create_index('ix_assignments_unnotified', ['completed_at'], unique=False, sqlite_where=sa.text('completed_at IS NOT NULL AND notified_at IS NULL'), postgresql_where=sa.text('completed_at IS NOT NULL AND notified_at IS NULL'))

    op.create_table('assignment_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id', 'step', name='uq_assignment_steps_step'),
    sa.UniqueConstraint('dialogue_id', name='uq_assignment_steps_dialogue')
    )
    op.create_table('coach_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('once_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('raised_at', bot.store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seen_at', bot.store.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['link_id'], ['coach_links.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('link_id', 'kind', 'once_key', name='uq_coach_flags_once')
    )
    with op.batch_alter_table('coach_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coach_flags_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coach_flags_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coach_flags_coach_id'), ['coach_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('coach_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coach_flags_coach_id'))
        batch_op.drop_index(batch_op.f('ix_coach_flags_client_id'))
        batch_op.drop_index(batch_op.f('ix_coach_flags_assignment_id'))

    op.drop_table('coach_flags')
    op.drop_table('assignment_steps')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_unnotified', sqlite_where=sa.text('completed_at IS NOT NULL AND notified_at IS NULL'), postgresql_where=sa.text('completed_at IS NOT NULL AND notified_at IS NULL'))
        batch_op.drop_index('ix_assignments_next_reminder')
        batch_op.drop_index('ix_assignments_link_state')
        batch_op.drop_index(batch_op.f('ix_assignments_exercise_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_coach_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_client_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('coach_links', schema=None) as batch_op:
        batch_op.drop_index('uq_coach_links_live_pair', sqlite_where=sa.text('ended_at IS NULL AND client_id IS NOT NULL'), postgresql_where=sa.text('ended_at IS NULL AND client_id IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_coach_links_coach_id'))
        batch_op.drop_index(batch_op.f('ix_coach_links_client_id'))
        batch_op.drop_index('ix_coach_links_brief_due')

    op.drop_table('coach_links')
    with op.batch_alter_table('coach_exercises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coach_exercises_coach_id'))

    op.drop_table('coach_exercises')
