"""Curation as review committees run it: the cycle's slots, session time, join URL and
decide-by date; leaders' notes; recusals

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 15:10:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slots', sa.Integer(), server_default='3',
                                      nullable=False))
        batch_op.add_column(sa.Column('session_time', sa.String(length=5),
                                      server_default='17:00', nullable=False))
        batch_op.add_column(sa.Column('join_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('decide_by', sa.Date(), nullable=True))
    op.create_table(
        'notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('by', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('view_id', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_notes_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notes')),
        sa.UniqueConstraint('view_id', name=op.f('uq_notes_view_id')),
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_submission_id'), ['submission_id'],
                              unique=False)
    op.create_table(
        'recusals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('leader', sa.String(length=64), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('action_us', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_recusals_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recusals')),
        sa.UniqueConstraint('submission_id', 'leader',
                            name=op.f('uq_recusals_submission_id_leader')),
    )


def downgrade() -> None:
    op.drop_table('recusals')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_submission_id'))
    op.drop_table('notes')
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_column('decide_by')
        batch_op.drop_column('join_url')
        batch_op.drop_column('session_time')
        batch_op.drop_column('slots')
