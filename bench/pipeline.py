"""Speed and memory of `newsfacts run` end to end, against the ceiling of the same work.

For each corpus size (default 1,000 and 5,000 articles) a generated site is served on
127.0.0.1 through RSS feeds of 100 items; `newsfacts run` ingests it into a fresh SQLite
database in a subprocess while the RSS of its whole process tree is sampled. Then the
ceiling: trafilatura, langdetect and the same spaCy pipelines called directly on the same
HTML in as many processes as there are cores, with no fetching and no database. The ceiling
is measured three ways:

- "plain": trafilatura, one langdetect call per page, the spaCy pipelines (the bare stages);
- "same": the same with the pipeline's own language identification (langdetect on the
  page, and on each paragraph whose function words do not plainly match its language);
- "stages": the pipeline's own CPU stage function (`process_page`: extraction, fingerprint,
  language spans, NLP and facts), so that what remains is what fetching, storing and
  handing pages between processes cost.

The machine's speed drifts between runs of a few minutes (other tenants, clock), so
`--rounds N` measures newsfacts and each ceiling N times, alternating, and prints the median
fraction with its range.

    .venv/bin/python bench/pipeline.py [--articles 1000 5000] [--ceiling plain same stages]
        [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from statistics import median

import psutil
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import CorpusSite
from bench.process_tree import TreeSampler

CORES = os.cpu_count() or 1
CHUNK = 20
from ingest.stages import STAGES  # noqa: E402


@dataclass
class RunFigures:
    """What one `newsfacts run` did and cost."""

    stored: int
    seconds: float
    peak_rss: int
    peak_processes: int
    stage_seconds: dict[str, float]
    cpu_seconds: dict[int, float]
    rss_samples: list[tuple[float, int]] = field(default_factory=list)


def run_newsfacts(site: CorpusSite, workdir: Path) -> RunFigures:
    """Run `newsfacts run` over every feed of `site` into a fresh SQLite file."""
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    exe = Path(sys.executable).parent / "newsfacts"
    env = {
        **os.environ,
        "NEWSFACTS_PER_HOST_DELAY": "0",
        "NEWSFACTS_PER_HOST_CONCURRENCY": "16",
        "NEWSFACTS_CONCURRENCY": "16",
    }
    subprocess.run(
        [exe, "db", "upgrade", "--db", db_url],
        check=True,
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    feeds = [arg for url in site.feed_urls for arg in ("--feed", url)]
    command = [exe, "run", *feeds, "--db", db_url, "--allow-private-addresses", "--quiet"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=workdir, env=env, stderr=subprocess.PIPE, text=True)
    with TreeSampler(process.pid, interval=0.2) as sampler:
        _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"newsfacts run exited {process.returncode}:\n{stderr}")
    engine = create_engine(db_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM articles")).scalar_one()
        stage_json = connection.execute(
            text("SELECT stage_seconds FROM runs WHERE command = 'run' ORDER BY id DESC")
        ).scalar()
    engine.dispose()
    stages = json.loads(stage_json) if isinstance(stage_json, str) else (stage_json or {})
    cpu = {0: sampler.root_cpu, **sampler.cpu}  # the run's own process under 0
    return RunFigures(
        stored, seconds, sampler.peak_tree, sampler.peak_count, stages, cpu, sampler.samples
    )


# -- the ceiling: the same work called directly, one process per core ---------------------

_analyzer = None


def _load_pipelines() -> None:
    """Pool initializer: build the spaCy pipelines once per process."""
    global _analyzer
    from nlp.analysis import Analyzer

    _analyzer = Analyzer()
    for lang in ("nl", "fr", "de", "en"):
        _analyzer.pipeline(lang)


def _ceiling_chunk(pages: list[tuple[str, str]], mode: str) -> tuple[float, Counter[str]]:
    """The ceiling's work on a chunk of (url, html) pages (see the module docstring for the
    modes); seconds and languages."""
    import trafilatura
    from langdetect import DetectorFactory, detect_langs

    from ingest.http import FetchResult
    from ingest.stages import process_page
    from nlp.langid import identify

    DetectorFactory.seed = 0
    assert _analyzer is not None
    started = time.perf_counter()
    if mode == "stages":
        found: Counter[str] = Counter()
        for url, html in pages:
            result = FetchResult(
                url,
                url,
                200,
                {"content-type": "text/html; charset=utf-8"},
                html.encode("utf-8"),
                "utf-8",
                html,
                "text/html",
            )
            analysis = process_page(url, result, _analyzer).analysis
            found[analysis.language if analysis else "und"] += 1
        return time.perf_counter() - started, found
    by_lang: dict[str, list[str]] = {}
    for url, html in pages:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_tables=True, include_comments=False
        )
        text_ = document.text or ""  # type: ignore[union-attr]
        lang = identify(text_).lang if mode == "same" else detect_langs(text_)[0].lang
        by_lang.setdefault(lang if lang in ("nl", "fr", "de", "en") else "en", []).append(text_)
    for lang, texts in by_lang.items():
        for _doc in _analyzer.pipeline(lang).pipe(texts):
            pass
    return time.perf_counter() - started, Counter({k: len(v) for k, v in by_lang.items()})


@dataclass
class CeilingFigures:
    """Throughput of the bare stages on `CORES` processes."""

    articles: int
    seconds: float  # wall time including process start and pipeline loading
    busy_seconds: float  # summed processing time over all processes, loading excluded
    cpu_seconds: float  # CPU time of the pool processes, loading included
    languages: Counter[str]
    mode: str


def measure_ceiling(site: CorpusSite, mode: str = "plain") -> CeilingFigures:
    """Run the bare stages over every article of `site` in one process per core."""
    pages = [(site.url(i), site.article(i).html) for i in range(site.total)]
    chunks = [pages[i : i + CHUNK] for i in range(0, len(pages), CHUNK)]
    context = multiprocessing.get_context("spawn")
    languages: Counter[str] = Counter()
    busy = 0.0
    started = time.perf_counter()
    with context.Pool(CORES, initializer=_load_pipelines) as pool:
        work = partial(_ceiling_chunk, mode=mode)
        for seconds, counts in pool.imap_unordered(work, chunks):
            busy += seconds
            languages.update(counts)
        wall = time.perf_counter() - started
        cpu = 0.0
        for child in psutil.Process().children():
            times = child.cpu_times()
            cpu += times.user + times.system
    return CeilingFigures(len(pages), wall, busy, cpu, languages, mode)


def report(size: int, site: CorpusSite, ours: RunFigures, ceilings: list[CeilingFigures]) -> None:
    """Print the figures of one corpus size."""
    words = [site.article(i).words for i in range(size)]
    langs = Counter(site.article(i).lang for i in range(size))
    rate = ours.stored / ours.seconds
    total_stage = sum(ours.stage_seconds.values()) or 1.0
    shares = ", ".join(
        f"{stage} {ours.stage_seconds.get(stage, 0.0) / total_stage:.0%}" for stage in STAGES
    )
    others = sum(v for pid, v in ours.cpu_seconds.items() if pid)
    half = [rss for t, rss in ours.rss_samples if t >= ours.seconds / 2]
    print(
        f"== {size} articles ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}; "
        f"{min(words)}-{max(words)} words, mean {sum(words) / len(words):.0f})"
    )
    print(f"newsfacts run: {ours.stored} stored in {ours.seconds:.1f} s = {rate:.1f} articles/s")
    print(f"  stage shares: {shares}")
    print(
        "  stage seconds: "
        + ", ".join(f"{stage} {ours.stage_seconds.get(stage, 0.0):.1f}" for stage in STAGES)
    )
    quarters = [
        max(
            (rss for t, rss in ours.rss_samples if q <= 4 * t / ours.seconds < q + 1),
            default=0,
        )
        for q in range(4)
    ]
    print(
        f"  peak RSS {ours.peak_rss / 2**20:.0f} MB over {ours.peak_processes} processes; "
        f"second half mean {sum(half) / max(len(half), 1) / 2**20:.0f} MB; peak per quarter "
        + " / ".join(f"{rss / 2**20:.0f}" for rss in quarters)
        + " MB"
    )
    print(
        f"  CPU seconds: run process {ours.cpu_seconds.get(0, 0.0):.1f}, "
        f"pool processes {others:.1f}"
    )
    ours_cpu = sum(ours.cpu_seconds.values())
    print(
        f"  CPU per article {ours_cpu / ours.stored * 1000:.1f} ms "
        f"({ours_cpu / ours.seconds:.2f} cores busy)"
    )
    for ceiling in ceilings:
        report_ceiling(rate, ours_cpu / ours.stored, ceiling)


def report_rounds(rates: list[float], fractions: dict[str, list[float]]) -> None:
    """Print the median and range of throughput and fractions over several rounds."""
    print(
        f"-- over {len(rates)} rounds: newsfacts run median {median(rates):.1f} articles/s "
        f"({min(rates):.1f}-{max(rates):.1f})"
    )
    for mode, values in fractions.items():
        print(
            f"   fraction of ceiling ({mode}): median {median(values):.2f} "
            f"({min(values):.2f}-{max(values):.2f}; rounds: "
            + ", ".join(f"{value:.2f}" for value in values)
            + ")"
        )


def report_ceiling(rate: float, ours_cpu_per_article: float, ceiling: CeilingFigures) -> None:
    """Print one ceiling and our throughput as a fraction of it."""
    cold = ceiling.articles / ceiling.seconds
    warm = ceiling.articles / (ceiling.busy_seconds / CORES)
    print(
        f"ceiling ({CORES} processes, {ceiling.mode}): {cold:.1f} articles/s "
        f"in {ceiling.seconds:.1f} s including start-up; {warm:.1f} articles/s warm"
    )
    print(
        f"  CPU per article {ceiling.cpu_seconds / ceiling.articles * 1000:.1f} ms "
        f"({ceiling.cpu_seconds / ceiling.seconds:.2f} cores busy)"
    )
    print(
        f"fraction of ceiling: {rate / cold:.2f} (of the warm ceiling: {rate / warm:.2f}; "
        f"CPU per article, ceiling / ours: "
        f"{ceiling.cpu_seconds / ceiling.articles / ours_cpu_per_article:.2f})"
    )


def main() -> None:
    """Measure `newsfacts run` end to end and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--no-ceiling", action="store_true", help="measure newsfacts only")
    parser.add_argument(
        "--ceiling",
        choices=("plain", "same", "stages"),
        nargs="+",
        default=["plain", "same", "stages"],
        help="ceilings to measure, one run each: the bare stages with one langdetect call "
        "per page (plain), the same with the pipeline's language identification (same), "
        "the pipeline's own stage function without fetching and storing (stages)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure newsfacts and each ceiling this many times, alternating, and print the "
        "median fraction of each ceiling",
    )
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    print(f"{CORES} cores; load average at start {os.getloadavg()[0]:.2f}")
    for size in args.articles:
        with CorpusSite(size) as site:
            site.prerender()
            rates: list[float] = []
            fractions: dict[str, list[float]] = {}
            for round_number in range(1, args.rounds + 1):
                if args.rounds > 1:
                    print(f"-- round {round_number} of {args.rounds}")
                with tempfile.TemporaryDirectory() as workdir:
                    ours = run_newsfacts(site, Path(workdir))
                ceilings = (
                    []
                    if args.no_ceiling
                    else [measure_ceiling(site, mode) for mode in args.ceiling]
                )
                report(size, site, ours, ceilings)
                rates.append(ours.stored / ours.seconds)
                for ceiling in ceilings:
                    fractions.setdefault(ceiling.mode, []).append(
                        rates[-1] / (ceiling.articles / ceiling.seconds)
                    )
            if args.rounds > 1:
                report_rounds(rates, fractions)
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
