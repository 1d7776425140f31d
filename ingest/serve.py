"""Browse the SQLite store in Datasette, read-only, with the schema docs and canned queries.

Table, view and column descriptions come from db/schema.md, so the browser says what the
reference says; the pages list the researcher's views and queries first and keep the
pipeline's bookkeeping tables out of sight. Needs Datasette (`pip install 'newsfacts[datasette]'`).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from markdown_it import MarkdownIt

from db.companies import COMPANY_CTE
from ingest.errors import MissingExtra

# Shipped in the `db` package (package data), so that installed copies describe it too.
SCHEMA_DOC = Path(__file__).resolve().parents[1] / "db" / "schema.md"
# Datasette plugins of `serve`: `lower()` folds every script, as in db/companies.py; whole
# numbers show without a decimal point.
PLUGINS_DIR = Path(__file__).resolve().parent / "datasette_plugins"
# Templates that extend Datasette's own with our styles: the column notes folded away.
TEMPLATES_DIR = Path(__file__).resolve().parent / "datasette_templates"
# The views to start with, in the order a researcher needs them; other documented views follow.
START_VIEWS = (
    "v_facts",
    "v_claims",
    "v_company_timeline",
    "v_entities",
    "v_articles",
    "v_mentions",
    "v_claim_facts",
    "v_entity_lineage",
)
# The pipeline's bookkeeping, hidden from the lists (still reachable under "hidden tables").
HIDDEN_TABLES = (
    "alembic_version",
    "pages",
    "run_locks",
    "runs",
    "simhash_bands",
    "url_outcomes",
    "articles_fts",
)
CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "company_facts": {
        "title": "Facts of a company",
        "description": "Every fact about a company, brand or group and everything below it: "
        "type a name such as Chery or Volkswagen Group and press Run SQL.",
        "hide_sql": True,
        "sql": f"""WITH {COMPANY_CTE}
SELECT * FROM v_facts WHERE subject_id IN (SELECT entity_id FROM family)
ORDER BY subject, metric, period_start, value""",
    },
    "company_timeline": {
        "title": "A company's timeline",
        "description": "Claims about a company and its brands, in period order: "
        "type a name such as Chery and press Run SQL.",
        "hide_sql": True,
        "sql": f"""WITH {COMPANY_CTE}
SELECT * FROM v_company_timeline WHERE entity_id IN (SELECT entity_id FROM family)""",
    },
    "conflicting_claims": {
        "title": "Conflicting claims",
        "description": "Values that articles report differently for the same subject, "
        "metric and period (an empty list means the articles agree).",
        "hide_sql": True,
        "sql": """SELECT * FROM v_claims WHERE conflict = 1
ORDER BY subject, metric, period_start, value_min""",
    },
}
# Where "write your own SQL" starts: a query that reads well on its own.
FIRST_SQL = "select subject, metric, value, unit, period_label, language from v_facts limit 20"
_MARKDOWN = MarkdownIt("commonmark")


def markdown_html(text: str) -> str:
    """One line of the schema docs' Markdown (`code`, links, emphasis) as HTML."""
    return str(_MARKDOWN.renderInline(text))


def plain_text(text: str) -> str:
    """One line of Markdown as plain text: no backticks, a link as its words."""
    return html.unescape(re.sub(r"<[^>]+>", "", markdown_html(text)))


def schema_descriptions(markdown: str) -> dict[str, dict[str, Any]]:
    """Per table or view in db/schema.md: its description and its columns' meanings,
    as the Markdown of the page."""
    described: dict[str, dict[str, Any]] = {}
    for section in re.split(r"^## ", markdown, flags=re.M)[1:]:
        heading, _, body = section.partition("\n")
        paragraphs = [p.strip() for p in body.strip().split("\n\n")]
        description = " ".join(paragraphs[0].split()) if paragraphs and paragraphs[0] else ""
        if description.startswith("|"):
            description = ""
        columns = dict(re.findall(r"^\| `([^`]+)` \| (.+?) \|\s*$", body, flags=re.M))
        described[heading.strip()] = {"description": description, "columns": columns}
    return described


def _description_html(description: str, columns: dict[str, str]) -> str:
    """The description, then the column notes folded away under one line."""
    parts = [f"<p>{markdown_html(description)}</p>"] if description else []
    if columns:
        notes = "".join(
            f"<dt>{html.escape(name)}</dt><dd>{markdown_html(meaning)}</dd>"
            for name, meaning in columns.items()
        )
        parts.append(
            f'<details class="column-notes"><summary>What the {len(columns)} columns mean'
            f"</summary><dl>{notes}</dl></details>"
        )
    return "".join(parts)


def _first_sentence(markdown: str) -> str:
    head, dot, _rest = markdown.partition(". ")
    return head + "." if dot else markdown


def _item(href: str, label: str, line_html: str) -> str:
    """One list line: the link, then what is behind it."""
    tail = f": {line_html}" if line_html else ""
    return f'<li><a href="{html.escape(href)}">{html.escape(label, quote=False)}</a>{tail}</li>'


def start_here_html(database: str, described: dict[str, dict[str, Any]]) -> str:
    """What opens the home page and the database page: the views to start with, one line
    each, in the researcher's order, then the canned queries with what each one does."""
    from datasette.utils import tilde_encode  # the extra is there: serve requires it first

    base = f"/{tilde_encode(database)}"
    documented = sorted(name for name in described if name.startswith("v_"))
    views = [*START_VIEWS, *(name for name in documented if name not in START_VIEWS)]
    view_items = [
        _item(
            f"{base}/{tilde_encode(name)}",
            name,
            markdown_html(_first_sentence((described.get(name) or {}).get("description", ""))),
        )
        for name in views
    ]
    query_items = [
        _item(
            f"{base}/{tilde_encode(name)}",
            query["title"],
            html.escape(query["description"], quote=False),
        )
        for name, query in CANNED_QUERIES.items()
    ]
    own_sql = f"{base}?{urlencode({'sql': FIRST_SQL})}"
    return (
        '<h2 id="start-views">Start with these views</h2>'
        f'<ul class="bullets start-views">{"".join(view_items)}</ul>'
        '<h2 id="ready-made-queries">Ready-made queries</h2>'
        f'<ul class="bullets canned-queries">{"".join(query_items)}</ul>'
        f'<p>Or write your own SQL, starting from <a href="{html.escape(own_sql)}">twenty rows '
        "of <code>v_facts</code></a>. The tables behind the views follow; the schema reference "
        "is db/schema.md.</p>"
    )


def datasette_metadata(database: str, schema_doc: Path = SCHEMA_DOC) -> dict[str, Any]:
    """Datasette metadata: the views and queries to start with, descriptions from the schema
    docs (HTML for the pages, plain text for the JSON and the column menus), hidden
    bookkeeping tables, full-text search and the canned queries."""
    described = schema_descriptions(schema_doc.read_text("utf-8")) if schema_doc.exists() else {}
    tables: dict[str, Any] = {}
    for name, notes in described.items():
        columns = notes["columns"]
        tables[name] = {
            "description": plain_text(notes["description"]),
            "description_html": _description_html(notes["description"], columns),
            "columns": {column: plain_text(note) for column, note in columns.items()},
        }
    for name in HIDDEN_TABLES:
        tables.setdefault(name, {})["hidden"] = True
    tables.setdefault("articles", {}).update(fts_table="articles_fts", fts_pk="id")
    start_here = start_here_html(database, described)
    about = "Companies, plants, figures and facts from automotive news."
    return {
        "title": "newsfacts",
        "description": about,
        "description_html": f"<p>{about}</p>{start_here}",
        "databases": {
            database: {
                "description_html": start_here,
                "tables": tables,
                "queries": CANNED_QUERIES,
            }
        },
    }


def require_datasette() -> None:
    """MissingExtra, saying how to install it, when Datasette is not installed."""
    if importlib.util.find_spec("datasette") is None:
        raise MissingExtra("serve needs Datasette: pip install 'newsfacts[datasette]'")


def datasette_command(path: Path, metadata_file: Path, host: str, port: int) -> list[str]:
    """The Datasette command line that serves `path` read-only: opened `mode=ro`, not
    immutable, so that it sees what a run writes meanwhile."""
    require_datasette()
    return [
        sys.executable, "-m", "datasette", "serve",
        str(path),
        "--metadata", str(metadata_file),
        "--plugins-dir", str(PLUGINS_DIR),
        "--template-dir", str(TEMPLATES_DIR),
        "--host", host,
        "--port", str(port),
        "--setting", "sql_time_limit_ms", "10000",
    ]  # fmt: skip


def serve(path: Path, host: str, port: int) -> int:
    """Run Datasette on the SQLite file until it is stopped; returns its exit code."""
    with tempfile.TemporaryDirectory(prefix="newsfacts-datasette-") as folder:
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(datasette_metadata(path.stem)), encoding="utf-8")
        process = subprocess.Popen(datasette_command(path, metadata_file, host, port))
        previous = signal.signal(signal.SIGTERM, lambda _signal, _frame: process.terminate())
        try:
            return process.wait()
        except KeyboardInterrupt:  # Ctrl-C reaches Datasette too; let it finish
            process.terminate()
            process.wait()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process.poll() is None:
                process.kill()
