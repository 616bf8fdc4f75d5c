"""the outbox finds a card's renders by an index (outbox.card_of), not by reading every
row's JSON payload: at ten years of history a decision or a vote no longer scans it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 19:45:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | Sequence[str] | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable): SQLite does it without copying the table.
    op.add_column('outbox', sa.Column('card_of', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("UPDATE outbox SET card_of = CAST(json_extract(payload, '$.submission_id')"
                   " AS INTEGER) WHERE kind = 'slack.card'")
    else:
        op.execute("UPDATE outbox SET card_of = CAST(payload ->> 'submission_id' AS integer)"
                   " WHERE kind = 'slack.card'")
    op.create_index('ix_outbox_card', 'outbox', ['card_of', 'status'])


def downgrade() -> None:
    op.drop_index('ix_outbox_card', table_name='outbox')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('card_of')
