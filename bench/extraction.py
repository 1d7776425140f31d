"""Extraction quality of our fetch-and-extract path against trafilatura called directly.

Every page is served as-is by a local HTTP server, fetched with ingest.http.Fetcher (our
decoding) and extracted with ingest.extract; in the same run trafilatura.extract is called on
the same bytes with the settings of the AEB upstream runner (include_comments=False).

- AEB (Zyte article-extraction benchmark, 181 pages): precision, recall and F1 over word
  4-gram shingles, each page weighted equally, as the benchmark's evaluate.py defines them;
  accuracy = share of pages whose tokens equal the gold tokens.
- trafilatura evaluation subset (148 pages): segments that must appear (true positive when
  found) and must not appear (false positive when found); precision, recall, F1, accuracy.

Usage: .venv/bin/python bench/extraction.py
"""

from __future__ import annotations

import asyncio
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import trafilatura
from evalsets import Page, aeb_pages, serve, trafilatura_pages

from ingest.errors import IngestError
from ingest.extract import ExtractedArticle, extract_article
from ingest.http import Fetcher
from ingest.settings import load_settings

_TOKEN = re.compile(r"\w+")


@dataclass
class Output:
    """What one extractor produced for one page."""

    text: str
    extractor: str = ""
    published: str | None = None
    decoded_html: str = ""
    declared: str | None = None


# -- the AEB metric -----------------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Word n-grams of `text`; a text shorter than n words is one shingle."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over shingles, normalised to sum to 1 so every page weighs the same."""
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aeb_scores(counts: list[tuple[float, float, float]], exact: int) -> dict[str, float]:
    """Mean precision and recall over pages, F1 of the two means, and exact-match accuracy."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r), "accuracy": exact / len(counts)}


def segment_scores(pages: list[Page], outputs: list[Output]) -> dict[str, float]:
    """The trafilatura evaluation: found "with" segments are true positives, found
    "without" segments false positives (plain substring search)."""
    tp = fp = fn = tn = 0
    for page, output in zip(pages, outputs, strict=True):
        for segment in page.must_have:
            tp, fn = (tp + 1, fn) if segment in output.text else (tp, fn + 1)
        for segment in page.must_not_have:
            fp, tn = (fp + 1, tn) if segment in output.text else (fp, tn + 1)
    p, r = tp / (tp + fp), tp / (tp + fn)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r),
        "accuracy": (tp + tn) / (tp + tn + fp + fn),
    }


# -- the two extraction paths -------------------------------------------------------------


async def _fetch_all(urls: list[str]) -> list[tuple[str, str] | IngestError]:
    settings = load_settings(
        allow_private_addresses=True,
        per_host_delay=0.0,
        per_host_concurrency=8,
        max_retries=0,
        respect_robots=False,
    )
    async with Fetcher(settings) as fetcher:

        async def one(url: str) -> tuple[str, str] | IngestError:
            try:
                result = await fetcher.fetch(url)
            except IngestError as exc:
                return exc
            return result.text, result.final_url

        return list(await asyncio.gather(*(one(url) for url in urls)))


def ours(pages: list[Page]) -> list[Output]:
    """Serve, fetch and extract every page the way the pipeline does."""
    with serve(pages) as urls:
        fetched = asyncio.run(_fetch_all([urls[page.key] for page in pages]))
    outputs = []
    for page, result in zip(pages, fetched, strict=True):
        if isinstance(result, IngestError):
            outputs.append(Output("", f"fetch failed: {type(result).__name__}"))
            continue
        text, _final_url = result
        try:
            article: ExtractedArticle = extract_article(text, page.url)
        except IngestError as exc:
            outputs.append(Output("", type(exc).__name__))
            continue
        published = article.published_at.date().isoformat() if article.published_at else None
        outputs.append(
            Output(article.text, article.extractor, published, text, article.declared_lang)
        )
    return outputs


def plain_trafilatura(pages: list[Page]) -> list[Output]:
    """trafilatura.extract on the raw bytes, as the AEB upstream runner calls it."""
    return [Output(trafilatura.extract(page.html, include_comments=False) or "") for page in pages]


def _timed(run: Callable[[list[Page]], list[Output]], pages: list[Page]) -> list[Output]:
    start = time.perf_counter()
    outputs = run(pages)
    print(f"  ({run.__name__}: {time.perf_counter() - start:.1f} s)", file=sys.stderr)
    return outputs


def _line(name: str, scores: dict[str, float]) -> str:
    return (
        f"  {name:<34} precision {scores['precision']:.4f}  recall {scores['recall']:.4f}  "
        f"F1 {scores['f1']:.4f}  accuracy {scores['accuracy']:.4f}"
    )


def _aeb_scores(pages: list[Page], outputs: list[Output]) -> dict[str, float]:
    counts = [page_counts(p.gold_text, o.text) for p, o in zip(pages, outputs, strict=True)]
    exact = sum(
        _TOKEN.findall(p.gold_text) == _TOKEN.findall(o.text)
        for p, o in zip(pages, outputs, strict=True)
    )
    return aeb_scores(counts, exact)


def run_aeb() -> None:
    """Score extraction on the article-extraction benchmark pages."""
    pages = aeb_pages()
    mine, plain = _timed(ours, pages), _timed(plain_trafilatura, pages)
    print(f"AEB (Zyte article-extraction benchmark), {len(pages)} pages, 4-gram shingles")
    print(_line("newsfacts fetch + extract", _aeb_scores(pages, mine)))
    print(_line("trafilatura.extract (direct)", _aeb_scores(pages, plain)))
    _fallback_lines(pages, mine, plain, _aeb_scores)


def run_trafilatura_set() -> None:
    """Score extraction on trafilatura's evaluation pages."""
    pages = trafilatura_pages()
    mine, plain = _timed(ours, pages), _timed(plain_trafilatura, pages)
    print(f"trafilatura evaluation subset, {len(pages)} pages, with/without segments")
    print(_line("newsfacts fetch + extract", segment_scores(pages, mine)))
    print(_line("trafilatura.extract (direct)", segment_scores(pages, plain)))
    _fallback_lines(pages, mine, plain, segment_scores)
    dated = [(p, o) for p, o in zip(pages, mine, strict=True) if p.gold_date]
    found = [(p, o) for p, o in dated if o.published]
    right = sum(o.published == p.gold_date for p, o in found)
    print(
        f"  publication date: {len(dated)} pages with a gold date; found {len(found)}, "
        f"{right} equal to the gold date, {len(found) - right} different, "
        f"{len(dated) - len(found)} not found"
    )


def _fallback_lines(
    pages: list[Page],
    mine: list[Output],
    plain: list[Output],
    score: Callable[[list[Page], list[Output]], dict[str, float]],
) -> None:
    used = Counter(output.extractor for output in mine)
    print("  extractor used: " + ", ".join(f"{name} {n}" for name, n in sorted(used.items())))
    picked = [i for i, output in enumerate(mine) if not output.extractor.endswith("+precision")]
    if not picked:
        return
    subset = [pages[i] for i in picked]
    precision_only = [
        Output(
            trafilatura.extract(
                mine[i].decoded_html, url=pages[i].url, favor_precision=True, include_comments=False
            )
            or ""
        )
        for i in picked
    ]
    label = f"fallback pages ({len(picked)}),"
    print(_line(f"{label} ours", score(subset, [mine[i] for i in picked])))
    print(_line(f"{label} precision mode alone", score(subset, precision_only)))
    print(_line(f"{label} direct", score(subset, [plain[i] for i in picked])))


if __name__ == "__main__":
    run_aeb()
    print()
    run_trafilatura_set()
