"""sub-projects: a pain point shared across studios with its own channel, the talks it
starts from and the members interested in it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 19:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | Sequence[str] | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'subprojects',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('channel_id', sa.String(length=32), nullable=True),
        sa.Column('channel_name', sa.String(length=80), nullable=False),
        sa.Column('statement', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('repo_url', sa.String(length=500), nullable=True),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('theme_key', sa.String(length=64), nullable=False),
        sa.Column('theme_name', sa.String(length=200), nullable=False),
        sa.Column('view_id', sa.String(length=64), nullable=False),
        sa.Column('last_interest_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subprojects')),
        sa.UniqueConstraint('theme_key', name=op.f('uq_subprojects_theme_key')),
        sa.UniqueConstraint('view_id', name=op.f('uq_subprojects_view_id')),
    )
    with op.batch_alter_table('subprojects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subprojects_status'), ['status'], unique=False)
    op.create_table(
        'subproject_talks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subproject_id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['subproject_id'], ['subprojects.id'],
                                name=op.f('fk_subproject_talks_subproject_id_subprojects')),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_subproject_talks_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subproject_talks')),
        sa.UniqueConstraint('subproject_id', 'submission_id',
                            name=op.f('uq_subproject_talks_subproject_id_submission_id')),
    )
    with op.batch_alter_table('subproject_talks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subproject_talks_subproject_id'),
                              ['subproject_id'], unique=False)
    op.create_table(
        'subproject_interest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('subproject_id', sa.Integer(), nullable=False),
        sa.Column('user', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['subproject_id'], ['subprojects.id'],
                                name=op.f('fk_subproject_interest_subproject_id_subprojects')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subproject_interest')),
        sa.UniqueConstraint('subproject_id', 'user',
                            name=op.f('uq_subproject_interest_subproject_id_user')),
    )
    with op.batch_alter_table('subproject_interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subproject_interest_subproject_id'),
                              ['subproject_id'], unique=False)


def downgrade() -> None:
    op.drop_table('subproject_interest')
    op.drop_table('subproject_talks')
    op.drop_table('subprojects')
