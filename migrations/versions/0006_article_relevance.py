"""article relevance

Revision: 0006_article_relevance
Parent: 0005_stage_seconds
Created: 2026-12-07 14:00:00.000000

`articles.relevance`: how much an article is about the vehicle industry (0-1, empty for
articles stored before it was scored), and `v_articles` re-created with it.
"""

import sqlalchemy as sa
from alembic import op

revision = '0006_article_relevance'
down_revision = '0005_stage_seconds'
branch_labels = None
depends_on = None

# The view as revision 0003 made it (restored on downgrade), and with the new column.
V_ARTICLES_0004 = """
CREATE VIEW v_articles AS
SELECT a.id AS article_id, a.title, a.site_name AS site, a.language, a.language_confidence,
       a.published_at, a.author, a.canonical_url AS url, LENGTH(a.text) AS n_chars,
       COALESCE(m.n_mentions, 0) AS n_mentions, COALESCE(m.n_entities, 0) AS n_entities,
       COALESCE(fi.n_figures, 0) AS n_figures, COALESCE(fa.n_facts, 0) AS n_facts,
       a.created_at, a.updated_at
FROM articles a
LEFT JOIN (
    SELECT article_id, COUNT(*) AS n_mentions, COUNT(DISTINCT entity_id) AS n_entities
    FROM mentions GROUP BY article_id
) m ON m.article_id = a.id
LEFT JOIN (SELECT article_id, COUNT(*) AS n_figures FROM figures GROUP BY article_id) fi
    ON fi.article_id = a.id
LEFT JOIN (SELECT article_id, COUNT(*) AS n_facts FROM facts GROUP BY article_id) fa
    ON fa.article_id = a.id
"""

V_ARTICLES = """
CREATE VIEW v_articles AS
SELECT a.id AS article_id, a.title, a.site_name AS site, a.language, a.language_confidence,
       a.relevance, a.published_at, a.author, a.canonical_url AS url, LENGTH(a.text) AS n_chars,
       COALESCE(m.n_mentions, 0) AS n_mentions, COALESCE(m.n_entities, 0) AS n_entities,
       COALESCE(fi.n_figures, 0) AS n_figures, COALESCE(fa.n_facts, 0) AS n_facts,
       a.created_at, a.updated_at
FROM articles a
LEFT JOIN (
    SELECT article_id, COUNT(*) AS n_mentions, COUNT(DISTINCT entity_id) AS n_entities
    FROM mentions GROUP BY article_id
) m ON m.article_id = a.id
LEFT JOIN (SELECT article_id, COUNT(*) AS n_figures FROM figures GROUP BY article_id) fi
    ON fi.article_id = a.id
LEFT JOIN (SELECT article_id, COUNT(*) AS n_facts FROM facts GROUP BY article_id) fa
    ON fa.article_id = a.id
"""


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_articles")
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('relevance', sa.Float(), nullable=True))
    op.execute(V_ARTICLES)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_articles")
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('relevance')
    op.execute(V_ARTICLES_0004)
