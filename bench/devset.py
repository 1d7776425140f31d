"""Development-set scores of the NLP stage, in one process.

Runs `Analyzer.analyze` over the annotated excerpts of ../shared/devset (each with its
publication date, as `evaluate.py` does through `newsfacts analyze`) and scores the output
with that set's own `score.py`, loaded at run time. Prints the scores per language and
overall, and the CPU time per document.

    .venv/bin/python bench/devset.py [--errors] [--out PRED.jsonl] [--gold GOLD --texts DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from nlp.analysis import Analyzer

ROOT = Path(__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "devset"


def load_scorer(gold: Path) -> ModuleType:
    """The `score.py` that sits beside the gold file."""
    spec = importlib.util.spec_from_file_location("devset_score", gold.parent / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py beside {gold}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def published_date(record: dict[str, Any]) -> date | None:
    """The record's page date; a bare month counts from its first day, as evaluate.py does."""
    value = record.get("published") or ""
    if len(value) == 7:
        value += "-01"
    return date.fromisoformat(value) if value else None


def analyse(
    analyzer: Analyzer, gold: list[dict[str, Any]], texts: Path
) -> tuple[dict[str, dict[str, Any]], float]:
    """Predictions keyed by record id, and CPU seconds spent (after a warm-up document)."""
    first = gold[0]
    analyzer.analyze((texts / f"{first['id']}.txt").read_text("utf-8"))  # load pipelines
    for lang in sorted({record["lang"] for record in gold}):
        analyzer.pipeline(lang)
    predictions: dict[str, dict[str, Any]] = {}
    started = time.process_time()
    for record in gold:
        text = (texts / f"{record['id']}.txt").read_text("utf-8")
        analysis = analyzer.analyze(text, published=published_date(record))
        predictions[record["id"]] = analysis.as_json(record["id"])
    return predictions, time.process_time() - started


def report(scorer: ModuleType, gold: list[dict[str, Any]], predictions: dict[str, Any]) -> None:
    """Scores per language, then overall, in score.py's own format."""
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in gold:
        by_lang[record["lang"]].append(record)
    for lang, records in sorted(by_lang.items()):
        print(f"[{lang}] " + scorer.line(scorer.summary(records, predictions)))
    print("[all] " + scorer.line(scorer.summary(gold, predictions)))


def main() -> None:
    """Score the development set and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEVSET / "gold.jsonl")
    parser.add_argument("--texts", type=Path, default=DEVSET / "texts")
    parser.add_argument("--errors", action="store_true", help="list misses and wrong items")
    parser.add_argument("--out", type=Path, help="write the predictions as JSON Lines")
    args = parser.parse_args()
    if not args.gold.exists():
        raise SystemExit(f"no development set at {args.gold}")
    scorer = load_scorer(args.gold)
    gold = [json.loads(line) for line in args.gold.read_text("utf-8").splitlines() if line.strip()]
    predictions, seconds = analyse(Analyzer(), gold, args.texts)
    if args.out:
        lines = (json.dumps(predictions[r["id"]], ensure_ascii=False) for r in gold)
        args.out.write_text("\n".join(lines) + "\n", "utf-8")
    if args.errors:
        for record in gold:
            errors: list[tuple[str, list[str]]] = []
            scorer.score_item(record, predictions[record["id"]], scorer.Counter(), errors)
            print(f"== {record['id']}")
            for kind, items in errors:
                if items:
                    print(f"  {kind}: " + "; ".join(map(str, items)))
    report(scorer, gold, predictions)
    characters = sum(len((args.texts / f"{r['id']}.txt").read_text("utf-8")) for r in gold)
    print(
        f"cost: {1000 * seconds / len(gold):.1f} ms CPU per document "
        f"({len(gold)} documents, {characters / len(gold):.0f} characters on average)"
    )


if __name__ == "__main__":
    main()
