"""Articles: description, categories, tags, where the date came from, and language evidence
(detected, declared, per-paragraph spans).

Revision: 0002_article_metadata
Parent: 0001_initial_schema
Created: 2026-11-22 00:10:10.999670
"""

import sqlalchemy as sa
from alembic import op

revision = '0002_article_metadata'
down_revision = '0001_initial_schema'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_source', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('description', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('categories', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('tags', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('language_detected', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('language_detected_confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('language_declared', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('language_spans', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('language_spans')
        batch_op.drop_column('language_declared')
        batch_op.drop_column('language_detected_confidence')
        batch_op.drop_column('language_detected')
        batch_op.drop_column('tags')
        batch_op.drop_column('categories')
        batch_op.drop_column('description')
        batch_op.drop_column('published_source')
