"""Relevance scores on vehicle-industry news and on general news.

Scores the development excerpts of ../shared/devset (all about the vehicle industry) as
`newsfacts analyze` sees them (text only) and with their page URL, and the general news
pages of the article-extraction sets in ../shared/data (mostly about anything else) as a
run sees them (extracted, with title, URL, categories and tags). Prints the distribution of
each, how many fall on the wrong side of the threshold, the top-scoring general pages with
their titles and URLs so that a reader can check them, and the CPU cost of the score.

    .venv/bin/python bench/relevance.py [--top N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nlp.analysis
from bench.devset import DEVSET, published_date
from bench.evalsets import TRAFILATURA, aeb_pages, trafilatura_pages
from ingest.errors import IngestError
from ingest.extract import extract_article
from ingest.http import decode_body
from ingest.stages import page_context
from nlp.analysis import Analyzer
from nlp.entities import EntityMention
from nlp.relevance import RELEVANT, PageContext, relevance, relevance_evidence

BINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass
class Scored:
    """One document, its score and what went into it."""

    name: str
    lang: str
    score: float
    text: str
    entities: list[EntityMention]
    page: PageContext | None
    note: str = ""
    facts: tuple[int, int] = (0, 0)  # facts found, facts kept


class FactCounter:
    """Wraps the analyzer's off-topic fact filter to count what it keeps and drops."""

    def __init__(self) -> None:
        self.last = (0, 0)
        self.original = nlp.analysis.on_topic_facts
        nlp.analysis.on_topic_facts = self  # type: ignore[assignment]

    def __call__(self, facts: Any, entities: Any, score: float) -> Any:
        kept = self.original(facts, entities, score)
        self.last = (len(facts), len(kept))
        return kept


def distribution(label: str, scores: list[float]) -> None:
    """Counts per tenth of the scale, the median and how many reach the threshold."""
    tenths = [min(int(score * 10 + 1e-9), 9) for score in scores]
    counts = [tenths.count(tenth) for tenth in range(len(BINS))]
    above = sum(1 for s in scores if s >= RELEVANT)
    print(
        f"== {label}: {len(scores)} documents, median {statistics.median(scores):.2f}, "
        f"{above} at or above {RELEVANT}, {len(scores) - above} below"
    )
    print("   " + "  ".join(f"{low:.1f}:{n}" for low, n in zip(BINS, counts, strict=True)))


def signals_line(doc: Scored) -> str:
    """A document's relevance signals on one line."""
    lang = doc.lang if doc.lang in ("nl", "fr", "de", "en") else None
    evidence = relevance_evidence(doc.text, doc.entities, lang, doc.page)
    parts = " ".join(f"{name}={value:.2f}" for name, value in evidence.signals().items())
    return (
        f"{parts} (words={evidence.words} entities={evidence.entities} "
        f"mentions={evidence.mentions} cues={evidence.cues:g})"
    )


def devset(analyzer: Analyzer) -> tuple[list[Scored], list[Scored]]:
    """The excerpts scored on their text alone and with their page URL."""
    gold = [
        json.loads(line)
        for line in (DEVSET / "gold.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    alone, with_url = [], []
    for record in gold:
        text = (DEVSET / "texts" / f"{record['id']}.txt").read_text("utf-8")
        analysis = analyzer.analyze(text, published=published_date(record))
        alone.append(
            Scored(
                record["id"], analysis.language, analysis.relevance, text, analysis.entities, None
            )
        )
        page = PageContext(url=record.get("url"))
        score = relevance(text, analysis.entities, analysis.language, page)
        with_url.append(
            Scored(record["id"], analysis.language, score, text, analysis.entities, page)
        )
    return alone, with_url


def general(analyzer: Analyzer, counter: FactCounter) -> list[Scored]:
    """The pages of both extraction sets, extracted and analysed as a run does."""
    manifest = json.loads((TRAFILATURA / "MANIFEST.json").read_text("utf-8"))
    selection = {entry["file"]: entry.get("selection", "") for entry in manifest}
    scored = []
    for set_name, pages in (("aeb", aeb_pages()), ("trafilatura", trafilatura_pages())):
        for page in pages:
            html, _ = decode_body(page.html, None)
            try:
                extracted = extract_article(html, page.url)
            except IngestError:
                continue
            context = page_context(extracted, page.url)
            analysis = analyzer.analyze(
                extracted.text, declared=extracted.declared_lang, page=context
            )
            note = selection.get(page.key, "") if set_name == "trafilatura" else ""
            scored.append(
                Scored(
                    f"{set_name}:{page.key}",
                    analysis.language,
                    analysis.relevance,
                    extracted.text,
                    analysis.entities,
                    context,
                    note,
                    counter.last,
                )
            )
    return scored


def cost(documents: list[Scored], rounds: int = 20) -> float:
    """CPU microseconds per document for the score alone (entities already found)."""
    started = time.process_time()
    for _ in range(rounds):
        for doc in documents:
            relevance(doc.text, doc.entities, doc.lang, doc.page)
    return 1e6 * (time.process_time() - started) / (rounds * len(documents))


def main() -> None:
    """Print relevance scores and their cost."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=25, help="general pages to list")
    args = parser.parse_args()
    analyzer = Analyzer()
    counter = FactCounter()
    alone, with_url = devset(analyzer)
    distribution("development excerpts, text only", [d.score for d in alone])
    distribution("development excerpts, with page URL", [d.score for d in with_url])
    print("   lowest (text only):")
    for doc in sorted(alone, key=lambda d: d.score)[:5]:
        print(f"   {doc.score:.2f} {doc.name} [{doc.lang}] {signals_line(doc)}")
    pages = general(analyzer, counter)
    selected = [d for d in pages if "automotive" in d.note]
    others = [d for d in pages if "automotive" not in d.note]
    distribution("general news pages", [d.score for d in others])
    off = [d for d in pages if d.score < RELEVANT]
    found, kept = sum(d.facts[0] for d in off), sum(d.facts[1] for d in off)
    print(
        f"   facts of the {len(off)} off-topic pages: {found} found, {kept} kept (subject a "
        f"knowledge-base company), {found - kept} dropped"
    )
    distribution("pages picked for a vehicle URL (trafilatura set)", [d.score for d in selected])
    print(f"   top {args.top} general news pages:")
    for doc in sorted(others, key=lambda d: -d.score)[: args.top]:
        title = (doc.page.title if doc.page else None) or "(no title)"
        url = doc.page.url if doc.page else ""
        print(
            f"   {doc.score:.2f} [{doc.lang}] {title[:80]}\n        {url}\n"
            f"        {signals_line(doc)}"
        )
    print("   pages picked for a vehicle URL, lowest first:")
    for doc in sorted(selected, key=lambda d: d.score)[:8]:
        title = (doc.page.title if doc.page else None) or "(no title)"
        print(f"   {doc.score:.2f} [{doc.lang}] {title[:80]}\n        {signals_line(doc)}")
    for label, documents in (("development excerpts", alone), ("general pages", pages)):
        words = statistics.mean(len(d.text.split()) for d in documents)
        print(
            f"cost: {cost(documents):.0f} µs CPU per document for the score on the {label} "
            f"({len(documents)} documents, {words:.0f} words on average)"
        )


if __name__ == "__main__":
    main()
