"""submission_versions: every confirmed text of a talk, and the one edit waiting for its
speaker's confirmation; each confirmed talk gets its version 1

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 15:20:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'submission_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('focus_area', sa.String(length=64), nullable=False),
        sa.Column('abstract', sa.Text(), nullable=False),
        sa.Column('results', sa.Text(), nullable=False),
        sa.Column('studio', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=320), nullable=False),
        sa.Column('channel', sa.String(length=8), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('statement', sa.Text(), nullable=True),
        sa.Column('request_message_id', sa.String(length=998), nullable=True),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_submission_versions_submission_id_submissions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_versions')),
        sa.UniqueConstraint('submission_id', 'n',
                            name=op.f('uq_submission_versions_submission_id_n')),
    )
    with op.batch_alter_table('submission_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_versions_submission_id'),
                              ['submission_id'], unique=False)
    # Every talk its speaker confirmed had one text, confirmed when the talk was; the wording
    # it was confirmed against was not recorded then (statement NULL says so).
    op.execute(sa.text(
        "INSERT INTO submission_versions (submission_id, n, title, focus_area, abstract, "
        "results, studio, created_at, created_by, channel, confirmed_at, statement) "
        "SELECT s.id, 1, s.title, s.focus_area, s.abstract, COALESCE(s.results, ''), "
        "COALESCE(s.studio, ''), s.created_at, "
        "COALESCE(sp.slack_user_id, sp.email, 'unknown'), s.source, "
        "COALESCE(s.confidentiality_confirmed_at, s.created_at), NULL "
        "FROM submissions s JOIN speakers sp ON sp.id = s.speaker_id "
        "WHERE s.confidentiality_confirmed = :yes"
    ).bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table('submission_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_versions_submission_id'))
    op.drop_table('submission_versions')
