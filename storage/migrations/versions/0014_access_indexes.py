"""the indexes `export --since` reads by: when talks were created and changed, and when
their votes, notes and recusals were given (votes, versions, notes, decisions and recusals
by talk, the outbox by card and by due time, and the audit by talk were indexed already)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 00:40:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ('ix_submissions_created_at', 'submissions', 'created_at'),
    ('ix_submissions_updated_at', 'submissions', 'updated_at'),
    ('ix_votes_at', 'votes', 'at'),
    ('ix_notes_at', 'notes', 'at'),
    ('ix_recusals_at', 'recusals', 'at'),
]


def upgrade() -> None:
    # Plain CREATE INDEX: no table is copied (seconds on ten years of talks: bench/scale.py).
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
