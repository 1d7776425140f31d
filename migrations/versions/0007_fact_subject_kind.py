"""fact subject kind

Revision: 0007_fact_subject_kind
Parent: 0006_article_relevance
Created: 2026-12-07 16:00:00.000000

`facts.subject_kind`: whether a fact is about a company, a country or a market (as the
analysis judged it), and `v_facts` re-created so that its `subject_kind` falls back to it
where a fact has no subject entity.
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_fact_subject_kind'
down_revision = '0006_article_relevance'
branch_labels = None
depends_on = None

GROUPED_KINDS = "('company', 'brand', 'group', 'plant')"


def _v_facts(subject_kind: str) -> str:
    return f"""
CREATE VIEW v_facts AS
SELECT f.id AS fact_id, f.subject_entity_id AS subject_id,
       COALESCE(e.name, f.subject_text) AS subject, {subject_kind} AS subject_kind,
       g.id AS group_id, g.name AS group_name,
       f.metric, f.value, f.unit, f.period_start, f.period_end, f.period_label,
       f.location, f.qualifier, f.confidence, f.evidence,
       f.article_id, a.canonical_url AS article_url, a.title AS article_title,
       a.site_name AS site, a.language, a.published_at
FROM facts f
JOIN articles a ON a.id = f.article_id
LEFT JOIN entities e ON e.id = f.subject_entity_id
LEFT JOIN v_entity_lineage t
    ON t.entity_id = f.subject_entity_id AND t.is_top = 1 AND e.kind IN {GROUPED_KINDS}
LEFT JOIN entities g ON g.id = t.ancestor_id
"""


def upgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_facts")
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_kind', sa.String(length=16), nullable=True))
    op.execute(_v_facts("COALESCE(e.kind, f.subject_kind)"))


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS v_facts")
    with op.batch_alter_table('facts', schema=None) as batch_op:
        batch_op.drop_column('subject_kind')
    op.execute(_v_facts("e.kind"))
