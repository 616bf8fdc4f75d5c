"""audit_events index on (actor, action, at) for the per-sender email answer cap

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 10:05:00

"""
from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_audit_actor_action_at', 'audit_events', ['actor', 'action', 'at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_actor_action_at', table_name='audit_events')
