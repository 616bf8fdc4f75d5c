"""the guidelines' concerns on a talk's confirmed text (submissions.guideline_concerns) and
the leaders' dismissals of them

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:40:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('submissions') as batch:
        batch.add_column(sa.Column('guideline_concerns', sa.JSON(), nullable=True))
    op.create_table(
        'guideline_dismissals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('by', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_guideline_dismissals_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_guideline_dismissals')),
        sa.UniqueConstraint('submission_id', 'rule', 'reason',
                            name=op.f('uq_guideline_dismissals_submission_id_rule_reason')),
    )
    with op.batch_alter_table('guideline_dismissals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_guideline_dismissals_submission_id'),
                              ['submission_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('guideline_dismissals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_guideline_dismissals_submission_id'))
    op.drop_table('guideline_dismissals')
    with op.batch_alter_table('submissions') as batch:
        batch.drop_column('guideline_concerns')
