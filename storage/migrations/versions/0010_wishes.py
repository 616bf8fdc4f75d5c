"""wishes: topics members ask for, their backings (one per member), and the talks that
answer them

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06 19:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010'
down_revision: str | Sequence[str] | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'wishes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('key', sa.String(length=320), nullable=False),
        sa.Column('by', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_by', sa.String(length=64), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wishes')),
        sa.UniqueConstraint('key', name=op.f('uq_wishes_key')),
    )
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wishes_status'), ['status'], unique=False)
    op.create_table(
        'wish_backings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('wish_id', sa.Integer(), nullable=False),
        sa.Column('member', sa.String(length=64), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('action_us', sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'],
                                name=op.f('fk_wish_backings_wish_id_wishes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_backings')),
        sa.UniqueConstraint('wish_id', 'member', name=op.f('uq_wish_backings_wish_id_member')),
    )
    with op.batch_alter_table('wish_backings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_backings_wish_id'), ['wish_id'],
                              unique=False)
    op.create_table(
        'wish_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('wish_id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('announced_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_wish_answers_submission_id_submissions')),
        sa.ForeignKeyConstraint(['wish_id'], ['wishes.id'],
                                name=op.f('fk_wish_answers_wish_id_wishes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_wish_answers')),
        sa.UniqueConstraint('wish_id', 'submission_id',
                            name=op.f('uq_wish_answers_wish_id_submission_id')),
    )
    with op.batch_alter_table('wish_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wish_answers_submission_id'), ['submission_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('wish_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_answers_submission_id'))
    op.drop_table('wish_answers')
    with op.batch_alter_table('wish_backings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wish_backings_wish_id'))
    op.drop_table('wish_backings')
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wishes_status'))
    op.drop_table('wishes')
