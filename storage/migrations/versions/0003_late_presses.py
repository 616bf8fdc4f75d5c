"""late_presses: vote presses acknowledged before their vote committed, until applied

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 11:10:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('late_presses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user', sa.String(length=64), nullable=False),
    sa.Column('action_id', sa.String(length=255), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('action_ts', sa.String(length=40), nullable=False),
    sa.Column('retry_num', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_late_presses'))
    )
    with op.batch_alter_table('late_presses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_late_presses_received_at'), ['received_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('late_presses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_late_presses_received_at'))
    op.drop_table('late_presses')
