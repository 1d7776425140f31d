"""Browse the SQLite store in Datasette, read-only, with the schema docs and canned queries.

Table, view and column descriptions come from docs/schema.md, so the browser says what the
reference says. Needs Datasette (`pip install 'newsfacts[datasette]'`).
"""

from __future__ import annotations

import importlib.util
import json
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from db.companies import COMPANY_CTE
from ingest.errors import MissingExtra

SCHEMA_DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
# Datasette plugins of `serve`: `lower()` folds every script, as in db/companies.py.
PLUGINS_DIR = Path(__file__).resolve().parent / "datasette_plugins"
CANNED_QUERIES: dict[str, dict[str, str]] = {
    "company_facts": {
        "title": "Facts of a company",
        "description": "Every fact about a company, brand or group and everything below it.",
        "sql": f"""WITH {COMPANY_CTE}
SELECT * FROM v_facts WHERE subject_id IN (SELECT entity_id FROM family)
ORDER BY subject, metric, period_start, value""",
    },
    "company_timeline": {
        "title": "A company's timeline",
        "description": "Claims about a company and its brands, in period order.",
        "sql": f"""WITH {COMPANY_CTE}
SELECT * FROM v_company_timeline WHERE entity_id IN (SELECT entity_id FROM family)""",
    },
    "conflicting_claims": {
        "title": "Conflicting claims",
        "description": "Values that articles report differently for the same subject, "
        "metric and period.",
        "sql": """SELECT * FROM v_claims WHERE conflict = 1
ORDER BY subject, metric, period_start, value_min""",
    },
}


def schema_descriptions(markdown: str) -> dict[str, dict[str, Any]]:
    """Per table or view in docs/schema.md: its description and its columns' meanings."""
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


def datasette_metadata(database: str, schema_doc: Path = SCHEMA_DOC) -> dict[str, Any]:
    """Datasette metadata: descriptions from the schema docs, full-text search, queries."""
    tables: dict[str, Any] = {}
    if schema_doc.exists():
        for name, described in schema_descriptions(schema_doc.read_text("utf-8")).items():
            tables[name] = {
                "description": described["description"],
                "columns": described["columns"],
            }
    tables.setdefault("articles", {}).update(fts_table="articles_fts", fts_pk="id")
    tables.setdefault("articles_fts", {})["hidden"] = True
    return {
        "title": "newsfacts",
        "description": "Companies, plants, figures and facts from automotive news. "
        "Start with the v_ views; the schema reference is docs/schema.md.",
        "databases": {database: {"tables": tables, "queries": CANNED_QUERIES}},
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
