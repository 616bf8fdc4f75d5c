"""votes.action_us and decisions.action_us: Slack's action_ts of the press, so a replayed or
late press older than the newest one recorded changes nothing

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:50:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_us', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_us', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('action_us')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_column('action_us')
