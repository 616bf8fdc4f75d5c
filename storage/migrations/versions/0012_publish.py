"""the speaker's consent to the public archive: submissions.publish (true | false | null)
and when it was given or withdrawn

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 23:20:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | Sequence[str] | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('submissions') as batch:
        batch.add_column(sa.Column('publish', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('publish_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('submissions') as batch:
        batch.drop_column('publish_at')
        batch.drop_column('publish')
