"""moves in the transcript; the dialogue's state in one place

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('turns') as batch:
        batch.add_column(sa.Column('move', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True))
        batch.add_column(sa.Column('misconception', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch.add_column(sa.Column('rung', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('criterion', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))
    # Stage, hint rung and attempts were copies of what the JSON state holds.
    with op.batch_alter_table('dialogues') as batch:
        batch.drop_column('stage')
        batch.drop_column('hint_rung')
        batch.drop_column('attempts')


def downgrade() -> None:
    with op.batch_alter_table('dialogues') as batch:
        batch.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('hint_rung', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default='answering'))
    with op.batch_alter_table('turns') as batch:
        batch.drop_column('verdict')
        batch.drop_column('criterion')
        batch.drop_column('rung')
        batch.drop_column('misconception')
        batch.drop_column('move')
