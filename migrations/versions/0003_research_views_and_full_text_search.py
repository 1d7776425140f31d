"""research views and full-text search

Revision: 0003_research_views
Parent: 0002_article_metadata
Created: 2026-11-22 00:09:47.156340

Views for researchers (the same meaning on SQLite and PostgreSQL) and full-text search over
article titles and text: an FTS5 table kept in sync by triggers on SQLite, an expression GIN
index with a per-language text search configuration on PostgreSQL.
"""

from alembic import op

revision = '0003_research_views'
down_revision = '0002_article_metadata'
branch_labels = None
depends_on = None

# The key that makes two facts statements about the same thing.
CLAIM_KEY = (
    "f.subject_entity_id, f.metric, f.unit, f.qualifier, f.location, "
    "f.period_start, f.period_end, f.period_label"
)
ORDERED_KEY = CLAIM_KEY.replace("f.", "o.")
# Only these kinds belong to a group; a person or a place has none.
GROUPED_KINDS = "('company', 'brand', 'group', 'plant')"
NUMBERED_KEY = CLAIM_KEY.replace("f.", "n.")

V_ENTITY_LINEAGE = """
CREATE VIEW v_entity_lineage AS
WITH RECURSIVE lineage(entity_id, ancestor_id, depth) AS (
    SELECT id, id, 0 FROM entities
    UNION ALL
    SELECT l.entity_id, COALESCE(e.parent_id, e.operator_id), l.depth + 1
    FROM lineage l JOIN entities e ON e.id = l.ancestor_id
    WHERE COALESCE(e.parent_id, e.operator_id) IS NOT NULL AND l.depth < 16
)
SELECT l.entity_id, l.ancestor_id, l.depth,
       CASE WHEN a.parent_id IS NULL AND a.operator_id IS NULL THEN 1 ELSE 0 END AS is_top
FROM lineage l JOIN entities a ON a.id = l.ancestor_id
"""

V_ENTITIES = f"""
CREATE VIEW v_entities AS
SELECT e.id AS entity_id, e.name, e.kind, e.kb_id, e.key,
       e.parent_id, p.name AS parent, g.id AS group_id, g.name AS group_name,
       e.operator_id, o.name AS operator, e.country, e.city, e.wikidata_id,
       COALESCE(m.n_mentions, 0) AS n_mentions, COALESCE(m.n_articles, 0) AS n_articles,
       COALESCE(f.n_facts, 0) AS n_facts
FROM entities e
LEFT JOIN entities p ON p.id = e.parent_id
LEFT JOIN entities o ON o.id = e.operator_id
LEFT JOIN v_entity_lineage t
    ON t.entity_id = e.id AND t.is_top = 1 AND e.kind IN {GROUPED_KINDS}
LEFT JOIN entities g ON g.id = t.ancestor_id
LEFT JOIN (
    SELECT entity_id, COUNT(*) AS n_mentions, COUNT(DISTINCT article_id) AS n_articles
    FROM mentions GROUP BY entity_id
) m ON m.entity_id = e.id
LEFT JOIN (
    SELECT subject_entity_id, COUNT(*) AS n_facts FROM facts GROUP BY subject_entity_id
) f ON f.subject_entity_id = e.id
"""

V_ARTICLES = """
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

V_MENTIONS = f"""
CREATE VIEW v_mentions AS
SELECT m.id AS mention_id, m.article_id, m.entity_id, m.text, m.label,
       e.name AS entity, e.kind AS entity_kind, g.name AS group_name,
       m."start", m."end", a.language, a.published_at,
       a.title AS article_title, a.canonical_url AS article_url
FROM mentions m
JOIN articles a ON a.id = m.article_id
LEFT JOIN entities e ON e.id = m.entity_id
LEFT JOIN v_entity_lineage t
    ON t.entity_id = m.entity_id AND t.is_top = 1 AND e.kind IN {GROUPED_KINDS}
LEFT JOIN entities g ON g.id = t.ancestor_id
"""

V_FACTS = f"""
CREATE VIEW v_facts AS
SELECT f.id AS fact_id, f.subject_entity_id AS subject_id,
       COALESCE(e.name, f.subject_text) AS subject, e.kind AS subject_kind,
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

# Facts with the same key are sorted by value; a value more than 0.5 % above the previous one
# starts a new claim. A key with more than one claim is a conflict.
V_CLAIM_FACTS = f"""
CREATE VIEW v_claim_facts AS
WITH ordered AS (
    SELECT f.id AS fact_id, f.article_id, f.subject_entity_id, f.metric, f.unit, f.qualifier,
           f.location, f.period_start, f.period_end, f.period_label, f.value,
           LAG(f.value) OVER (PARTITION BY {CLAIM_KEY} ORDER BY f.value, f.id) AS previous_value
    FROM facts f
    WHERE f.subject_entity_id IS NOT NULL
), numbered AS (
    SELECT o.*,
           SUM(CASE WHEN o.previous_value IS NULL
                      OR ABS(o.value - o.previous_value) > 0.005 * (
                          CASE WHEN ABS(o.value) > ABS(o.previous_value)
                               THEN ABS(o.value) ELSE ABS(o.previous_value) END)
                    THEN 1 ELSE 0 END)
               OVER (PARTITION BY {ORDERED_KEY} ORDER BY o.value, o.fact_id
                     ROWS UNBOUNDED PRECEDING) AS value_no
    FROM ordered o
)
SELECT n.fact_id,
       MIN(n.fact_id) OVER (PARTITION BY {NUMBERED_KEY}, n.value_no) AS claim_id,
       n.article_id, n.subject_entity_id AS subject_id, n.metric, n.value, n.unit,
       n.qualifier, n.location, n.period_start, n.period_end, n.period_label,
       MAX(n.value_no) OVER (PARTITION BY {NUMBERED_KEY}) AS n_values,
       CASE WHEN MAX(n.value_no) OVER (PARTITION BY {NUMBERED_KEY}) > 1 THEN 1 ELSE 0 END
           AS conflict
FROM numbered n
"""

# Languages are listed in alphabetical order: PostgreSQL sorts inside the aggregate, SQLite
# concatenates the rows in the order of the sorted subquery.
LANGUAGE_LIST = {
    "postgresql": "string_agg(DISTINCT c.language, ',' ORDER BY c.language)",
    "sqlite": "group_concat(DISTINCT c.language)",
}

# Facts are grouped by claim alone (the other key columns are the same within a claim), over
# rows sorted by claim and language; the subject's names are joined to the grouped rows.
V_CLAIMS = f"""
CREATE VIEW v_claims AS
WITH claimed AS (
    SELECT cf.claim_id, cf.subject_id, cf.metric, cf.value, cf.unit, cf.qualifier,
           cf.period_label, cf.period_start, cf.period_end, cf.location, cf.article_id,
           cf.n_values, cf.conflict, a.language,
           COALESCE(a.published_at, a.created_at) AS seen_at
    FROM v_claim_facts cf JOIN articles a ON a.id = cf.article_id
    ORDER BY cf.claim_id, a.language
), claims AS (
    SELECT c.claim_id, MIN(c.subject_id) AS subject_id, MIN(c.metric) AS metric,
           MIN(c.value) AS value_min, MAX(c.value) AS value_max, MIN(c.unit) AS unit,
           MIN(c.qualifier) AS qualifier, MIN(c.period_label) AS period_label,
           MIN(c.period_start) AS period_start, MIN(c.period_end) AS period_end,
           MIN(c.location) AS location,
           COUNT(DISTINCT c.article_id) AS n_articles,
           COUNT(DISTINCT c.language) AS n_languages,
           {{languages}} AS languages,
           MIN(c.seen_at) AS first_seen, MAX(c.seen_at) AS last_seen,
           MAX(c.n_values) AS n_values, MAX(c.conflict) AS conflict
    FROM claimed c
    GROUP BY c.claim_id
)
SELECT c.claim_id, c.subject_id, e.name AS subject, e.kind AS subject_kind,
       g.name AS group_name, c.metric, c.value_min, c.value_max, c.unit, c.qualifier,
       c.period_label, c.period_start, c.period_end, c.location, c.n_articles,
       c.n_languages, c.languages, c.first_seen, c.last_seen, c.n_values, c.conflict
FROM claims c
JOIN entities e ON e.id = c.subject_id
LEFT JOIN v_entity_lineage t
    ON t.entity_id = c.subject_id AND t.is_top = 1 AND e.kind IN {GROUPED_KINDS}
LEFT JOIN entities g ON g.id = t.ancestor_id
"""

V_COMPANY_TIMELINE = """
CREATE VIEW v_company_timeline AS
SELECT c.subject_id AS entity_id, c.subject AS company, c.subject_kind AS kind, c.group_name,
       c.period_start, c.period_end, c.period_label, c.metric, c.value_min, c.value_max,
       c.unit, c.qualifier, c.location, c.n_articles, c.languages, c.first_seen, c.last_seen,
       c.conflict, c.claim_id
FROM v_claims c
WHERE c.subject_kind IN ('company', 'brand', 'group')
ORDER BY c.group_name, c.subject,
         CASE WHEN c.period_start IS NULL THEN 1 ELSE 0 END, c.period_start, c.period_end,
         c.metric, c.value_min
"""

VIEWS = (
    ("v_entity_lineage", V_ENTITY_LINEAGE),
    ("v_entities", V_ENTITIES),
    ("v_articles", V_ARTICLES),
    ("v_mentions", V_MENTIONS),
    ("v_facts", V_FACTS),
    ("v_claim_facts", V_CLAIM_FACTS),
    ("v_claims", V_CLAIMS),
    ("v_company_timeline", V_COMPANY_TIMELINE),
)

SQLITE_SEARCH = (
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')",
)

POSTGRESQL_SEARCH = (
    """CREATE FUNCTION newsfacts_search_config(language varchar) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE language
            WHEN 'nl' THEN 'dutch' WHEN 'fr' THEN 'french' WHEN 'de' THEN 'german'
            WHEN 'en' THEN 'english' ELSE 'simple' END::regconfig
    $$""",
    """CREATE INDEX ix_articles_search ON articles USING gin (
        to_tsvector(newsfacts_search_config(language), COALESCE(title, '') || ' ' || text))""",
)


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    for _name, sql in VIEWS:
        op.execute(sql.format(languages=LANGUAGE_LIST[dialect]))
    for sql in SQLITE_SEARCH if dialect == "sqlite" else POSTGRESQL_SEARCH:
        op.execute(sql)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute("DROP FUNCTION IF EXISTS newsfacts_search_config(varchar)")
    for name, _sql in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
