"""the session after the decision: the speaker's attendance, their slides and recording
links, and what the program announced (to send one update when it changes)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 16:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attendance', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('attendance_asked_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('attendance_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('slides_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('recording_url', sa.String(length=2000), nullable=True))
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_talks', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('program_sequence', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_column('program_sequence')
        batch_op.drop_column('program_talks')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('recording_url')
        batch_op.drop_column('slides_url')
        batch_op.drop_column('attendance_at')
        batch_op.drop_column('attendance_asked_at')
        batch_op.drop_column('attendance')
