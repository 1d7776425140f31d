"""stage seconds on runs

Revision: 0005_stage_seconds
Parent: 0004_scheduled_fetching
Created: 2026-11-22 00:08:21.174960
"""

import sqlalchemy as sa
from alembic import op

revision = '0005_stage_seconds'
down_revision = '0004_scheduled_fetching'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage_seconds', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_column('stage_seconds')
