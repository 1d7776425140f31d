"""URL columns as text, keyed by hash

Revision: 0008_url_keys
Parent: 0007_fact_subject_kind
Created: 2026-12-09 10:00:00.000000

URLs of any length: `sources.url`, `url_outcomes.url`, `pages.url`, `pages.final_url`,
`articles.canonical_url` and `articles.url` become TEXT (they were VARCHAR(2048), which
PostgreSQL enforces). Uniqueness moves from the URL to its SHA-256 hex digest, which a
B-tree index can always hold: `sources.url_hash`, `pages.url_hash` (unique with
`body_hash`) and `articles.canonical_url_hash`, filled in for the rows stored already.

The views that read a URL column (`v_articles`, `v_mentions`, `v_facts`) are dropped while
the columns change (PostgreSQL does not change the type of a column a view reads) and
re-created as they were. A downgrade refuses while a stored URL is longer than 2,048
characters.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = '0008_url_keys'
down_revision = '0007_fact_subject_kind'
branch_labels = None
depends_on = None

OLD_LENGTH = 2048
HASH_LENGTH = 64
BATCH_ROWS = 2000

# (table, URL column kept unique before, hash column, other columns of the unique key)
KEYED = (
    ('sources', 'url', 'url_hash', ()),
    ('pages', 'url', 'url_hash', ('body_hash',)),
    ('articles', 'canonical_url', 'canonical_url_hash', ()),
)
# Every URL column, by table.
URL_COLUMNS = {
    'sources': ('url',),
    'url_outcomes': ('url',),
    'pages': ('url', 'final_url'),
    'articles': ('canonical_url', 'url'),
}

GROUPED_KINDS = "('company', 'brand', 'group', 'plant')"

# The views as revisions 0006 (v_articles), 0003 (v_mentions) and 0007 (v_facts) made them.
VIEWS = {
    'v_articles': """
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
""",
    'v_mentions': f"""
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
""",
    'v_facts': f"""
CREATE VIEW v_facts AS
SELECT f.id AS fact_id, f.subject_entity_id AS subject_id,
       COALESCE(e.name, f.subject_text) AS subject, COALESCE(e.kind, f.subject_kind) AS subject_kind,
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
""",
}


def _url_hash(url: str) -> str:
    """As db.urls.url_hash (kept here so that this migration never changes)."""
    return hashlib.sha256(url.encode('utf-8', 'surrogatepass')).hexdigest()


def _fill_hashes(table: str, url_column: str, hash_column: str) -> None:
    """Hash the URL of every stored row, a batch of rows at a time."""
    conn = op.get_bind()
    select = sa.text(
        f'SELECT id, {url_column} FROM {table} WHERE id > :after ORDER BY id LIMIT {BATCH_ROWS}'
    )
    update = sa.text(f'UPDATE {table} SET {hash_column} = :hash WHERE id = :id')
    after = 0
    while rows := conn.execute(select, {'after': after}).all():
        conn.execute(update, [{'id': row[0], 'hash': _url_hash(row[1])} for row in rows])
        after = rows[-1][0]


def _drop_views() -> None:
    for name in VIEWS:
        op.execute(f'DROP VIEW IF EXISTS {name}')


def _create_views() -> None:
    for sql in VIEWS.values():
        op.execute(sql)


def upgrade() -> None:
    _drop_views()
    for table, url_column, hash_column, _ in KEYED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(hash_column, sa.String(length=HASH_LENGTH), nullable=True))
        _fill_hashes(table, url_column, hash_column)
    keys = {table: (url_column, hash_column, rest) for table, url_column, hash_column, rest in KEYED}
    for table, columns in URL_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.String(length=OLD_LENGTH),
                    type_=sa.Text(),
                    existing_nullable=False,
                )
            if table in keys:
                url_column, hash_column, rest = keys[table]
                batch_op.alter_column(
                    hash_column, existing_type=sa.String(length=HASH_LENGTH), nullable=False
                )
                batch_op.drop_constraint(
                    f"uq_{table}_{'_'.join((url_column, *rest))}", type_='unique'
                )
                batch_op.create_unique_constraint(
                    f"uq_{table}_{'_'.join((hash_column, *rest))}", [hash_column, *rest]
                )
    _create_views()


def _refuse_long_urls() -> None:
    conn = op.get_bind()
    for table, columns in URL_COLUMNS.items():
        for column in columns:
            longest = conn.execute(sa.text(f'SELECT MAX(LENGTH({column})) FROM {table}')).scalar()
            if longest is not None and longest > OLD_LENGTH:
                raise RuntimeError(
                    f'{table}.{column} holds a URL of {longest} characters; the schema before '
                    f'revision {revision} holds at most {OLD_LENGTH}: delete those rows first'
                )


def downgrade() -> None:
    _refuse_long_urls()
    _drop_views()
    keys = {table: (url_column, hash_column, rest) for table, url_column, hash_column, rest in KEYED}
    for table, columns in URL_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(
                    column,
                    existing_type=sa.Text(),
                    type_=sa.String(length=OLD_LENGTH),
                    existing_nullable=False,
                )
            if table in keys:
                url_column, hash_column, rest = keys[table]
                batch_op.drop_constraint(
                    f"uq_{table}_{'_'.join((hash_column, *rest))}", type_='unique'
                )
                batch_op.create_unique_constraint(
                    f"uq_{table}_{'_'.join((url_column, *rest))}", [url_column, *rest]
                )
                batch_op.drop_column(hash_column)
    _create_views()
