"""Facts from real general news: how many a run stores and a random sample to read.

Serves the pages of the AEB and trafilatura evaluation sets in ../shared/data (and with
`--fundus` the Fundus set's news pages too) on 127.0.0.1, ingests them with
`newsfacts fetch` into a fresh SQLite file, and prints how many pages were stored, how many
facts came out, and a random sample of the facts with their evidence sentences, for a
reader to judge field by field.

    .venv/bin/python bench/real_facts.py [--fundus] [--sample 30] [--seed 15] [--db FILE]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from evalsets import aeb_pages, fundus_pages, serve, trafilatura_pages

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).with_name("newsfacts")
FACT_COLUMNS = (
    "subject",
    "subject_kind",
    "metric",
    "value",
    "unit",
    "period_label",
    "location",
    "qualifier",
    "evidence",
    "article_url",
)


def ingest(urls: list[str], db_path: Path) -> None:
    """`newsfacts fetch` of every URL into `db_path`, with the politeness delay off."""
    env = {
        **os.environ,
        "NEWSFACTS_PER_HOST_DELAY": "0",
        "NEWSFACTS_PER_HOST_CONCURRENCY": "8",
        "NEWSFACTS_CONCURRENCY": "8",
    }
    command = [str(EXE), "fetch", *urls, "--db", f"sqlite:///{db_path}"]
    command += ["--allow-private-addresses", "--quiet"]
    subprocess.run(command, env=env, cwd=ROOT, check=False)


def main() -> None:
    """Ingest the general news pages and print their facts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=30, help="facts to print (default 30)")
    parser.add_argument("--seed", type=int, default=15, help="seed of the random sample")
    parser.add_argument("--db", type=Path, help="keep the database here (default: temporary)")
    parser.add_argument("--fundus", action="store_true", help="add the Fundus news pages")
    args = parser.parse_args()
    pages = aeb_pages() + trafilatura_pages() + (fundus_pages() if args.fundus else [])
    with tempfile.TemporaryDirectory() as folder:
        db_path = args.db or Path(folder) / "real.db"
        with serve(pages) as urls:
            ingest(list(urls.values()), db_path)
        with sqlite3.connect(db_path) as db:
            articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            rows = db.execute(f"SELECT {', '.join(FACT_COLUMNS)} FROM v_facts").fetchall()
            kinds = db.execute(
                "SELECT subject_kind, count(*) FROM v_facts GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
            by_kind = db.execute(
                "SELECT qualifier, count(*) FROM v_facts GROUP BY qualifier ORDER BY 2 DESC"
            ).fetchall()
    print(f"pages served: {len(pages)}, articles stored: {articles}, facts: {len(rows)}")
    print("facts by subject kind: " + ", ".join(f"{k} {n}" for k, n in kinds))
    print("facts by qualifier: " + ", ".join(f"{q} {n}" for q, n in by_kind))
    sample = random.Random(args.seed).sample(rows, min(args.sample, len(rows)))
    for number, row in enumerate(sample, start=1):
        fields = dict(zip(FACT_COLUMNS, row, strict=True))
        print(
            f"\n{number}. {fields['subject']} ({fields['subject_kind']}) | {fields['metric']} | "
            f"{fields['value']:g} {fields['unit']} | {fields['period_label']} | "
            f"{fields['location']} | {fields['qualifier']}"
        )
        print(f"   {' '.join(str(fields['evidence']).split())[:400]}")
        print(f"   {fields['article_url']}")


if __name__ == "__main__":
    main()
