"""CPU and memory of a whole `newsfacts run` on real pages, next to newspaper4k's parser.

The 329 pages of the AEB and trafilatura evaluation sets (bench/evalsets.py, read from
../shared/data at run time) are served on 127.0.0.1 together with a URL list naming them
all. `newsfacts run` reads that list (a `urls` source) into a fresh, migrated SQLite file
with the politeness delay, robots.txt and the address guard off, as a subprocess. Measured:

- CPU of the run's whole process tree (its own process, the analysis processes and anything
  else it starts), from `resource.getrusage(RUSAGE_CHILDREN)` after it is reaped, per page
  stored; and the peak RSS of any one process (`ru_maxrss`, which covers reaped
  descendants) and of the run's process tree, sampled with psutil;
- pages stored, and the run's own stage clock (`runs.stage_seconds`);
- what start-up costs, apart: the CPU of the pool's fork server (loading the pipelines
  once) and of a second run that finds nothing new; the rest, per page, is what each
  further page of a longer run costs;
- newspaper4k's parse-only CPU per page on the same HTML in the same bench run: a
  subprocess of a separate environment (newspaper4k is not a dependency) builds each
  Article from the HTML, parses it (no NLP, no images) and times the loop with
  `time.process_time()`.

    .venv/bin/python -m pip install newspaper4k  # into a throwaway venv, e.g. /tmp/np4k
    PYTHONPATH=$PWD .venv/bin/python bench/real_run.py --np4k-python /tmp/np4k/bin/python \
        [--rounds N] [--profile DIR]

`--profile DIR` writes a cProfile file per process of the run into DIR (the analysis
processes included) and prints the top functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from statistics import median

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from evalsets import Page, aeb_pages, trafilatura_pages  # noqa: E402
from process_tree import TreeSampler  # noqa: E402

from ingest.stages import STAGES  # noqa: E402

NP4K_SCRIPT = textwrap.dedent(
    """
    import json, pathlib, sys, time, warnings
    warnings.filterwarnings("ignore")
    from newspaper import Article, Config
    config = Config()
    config.fetch_images = False
    paths = sorted(pathlib.Path(sys.argv[1]).glob("*.html"))
    pages = [(path.name, path.read_bytes().decode("utf-8", "replace")) for path in paths]
    with_text = failed = 0
    start = time.process_time()
    for name, html in pages:
        article = Article("http://127.0.0.1/" + name, config=config)
        try:
            article.download(input_html=html)
            article.parse()
        except Exception:
            failed += 1
            continue
        with_text += bool(article.text)
    cpu = time.process_time() - start
    print(json.dumps({"cpu": cpu, "pages": len(pages), "with_text": with_text, "failed": failed}))
    """
)

PROFILE_HOOK = textwrap.dedent(
    """
    import atexit, cProfile, os
    _profile = cProfile.Profile()
    _profile.enable()

    def _dump():
        _profile.disable()
        _profile.dump_stats(os.path.join(os.environ["NF_PROFILE_DIR"], f"{os.getpid()}.prof"))

    atexit.register(_dump)
    _exit = os._exit

    def _profiled_exit(code):
        _dump()
        _exit(code)

    os._exit = _profiled_exit
    """
)


@dataclass
class RunFigures:
    """What one `newsfacts run` did and cost."""

    stored: int
    seconds: float
    cpu_seconds: float
    peak_process_rss: int
    peak_tree_rss: int
    peak_processes: int
    stage_seconds: dict[str, float]
    outcomes: str
    process_cpu: list[float]  # last sampled CPU seconds of each process, the run's first
    server_cpu: float  # of those, the pool's fork server (loading the pipelines)


def pages_of_sets() -> list[Page]:
    """The AEB and trafilatura evaluation pages."""
    return aeb_pages() + trafilatura_pages()


class Site:
    """The pages and a URL list naming them, served on 127.0.0.1."""

    def __init__(self, pages: list[Page]) -> None:
        bodies = {f"/{index}.html": page.html for index, page in enumerate(pages)}
        self.paths = list(bodies)
        bodies["/urls.txt"] = "\n".join(self.paths).encode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                body = bodies.get(self.path.split("?", 1)[0])
                self.send_response(200 if body is not None else 404)
                kind = "text/plain" if self.path.endswith(".txt") else "text/html"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        self.base = f"http://{host!s}:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _children_cpu() -> tuple[float, int]:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def run_newsfacts(site: Site, workdir: Path, profile: Path | None = None) -> RunFigures:
    """One `newsfacts run` over the site's URL list into a fresh SQLite file."""
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    sources = workdir / "sources.toml"
    sources.write_text(f'[[source]]\nurl = "{site.base}/urls.txt"\nkind = "urls"\n')
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NEWSFACTS_CONFIG": str(workdir / "none.toml"),
        "NEWSFACTS_PER_HOST_DELAY": "0",
        "NEWSFACTS_RESPECT_ROBOTS": "false",
        "NEWSFACTS_PER_HOST_CONCURRENCY": "16",
        "NEWSFACTS_CONCURRENCY": "16",
        "NEWSFACTS_MAX_RETRIES": "0",
    }
    python = [sys.executable]
    if profile is not None:
        hook = workdir / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(PROFILE_HOOK)
        env["PYTHONPATH"] = f"{hook}{os.pathsep}{ROOT}"
        env["NF_PROFILE_DIR"] = str(profile)
    if not (workdir / "bench.db").exists():
        subprocess.run(
            [*python, "-m", "ingest", "db", "upgrade", "--db", db_url],
            check=True, cwd=workdir, env={**env, "NF_PROFILE_DIR": str(workdir)},
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
    command = [
        *python, "-m", "ingest", "run", "--db", db_url, "--sources-file", str(sources),
        "--allow-private-addresses", "--quiet",
    ]  # fmt: skip
    cpu_before, _ = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=workdir, env=env, stderr=subprocess.PIPE, text=True)
    with TreeSampler(process.pid) as sampler:
        _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    cpu_after, maxrss = _children_cpu()
    if process.returncode not in (0, 2):
        raise SystemExit(f"newsfacts run exited {process.returncode}:\n{stderr}")
    engine = create_engine(db_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM articles")).scalar_one()
        row = connection.execute(
            text(
                "SELECT stage_seconds, n_new, n_updated, n_unchanged, n_duplicate, n_skipped,"
                " n_failed FROM runs WHERE command = 'run' ORDER BY id DESC"
            )
        ).first()
    engine.dispose()
    stages = row[0] if row else None
    stages = json.loads(stages) if isinstance(stages, str) else (stages or {})
    names = ("new", "updated", "unchanged", "duplicate", "skipped", "failed")
    outcomes = ", ".join(
        f"{name} {n}" for name, n in zip(names, row[1:] if row else (), strict=False)
    )
    return RunFigures(
        stored,
        seconds,
        cpu_after - cpu_before,
        max(maxrss, sampler.peak_process),
        sampler.peak_tree,
        sampler.peak_count,
        stages,
        outcomes,
        sampler.process_cpu(),
        sampler.child_cpu("forkserver"),
    )


def run_np4k(python: str, pages: list[Page], workdir: Path) -> dict[str, float]:
    """newspaper4k's parse-only CPU seconds over the pages, pages, pages with text, failures."""
    for index, page in enumerate(pages):
        (workdir / f"{index}.html").write_bytes(page.html)
    script = workdir / "np4k_parse.py"
    script.write_text(NP4K_SCRIPT)
    done = subprocess.run([python, str(script), str(workdir)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"newspaper4k script failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def print_profile(directory: Path, top: int = 30) -> None:
    """The top functions of all profiled processes together."""
    import pstats

    files = sorted(str(path) for path in directory.glob("*.prof"))
    if not files:
        print("no profiles written")
        return
    stats = pstats.Stats(*files)
    stats.strip_dirs()
    print(f"== profile of {len(files)} processes, by own time")
    stats.sort_stats("tottime").print_stats(top)
    print("== by cumulative time")
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    """Measure `newsfacts run` and newspaper4k on the same pages and print both."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--np4k-python", default="/tmp/np4k/bin/python",
                        help="a Python with newspaper4k installed; '' to skip it")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write cProfile files here and summarise")
    args = parser.parse_args()
    pages = pages_of_sets()
    print(f"{len(pages)} pages; {os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}")
    site = Site(pages)
    ours_ms: list[float] = []
    theirs_ms: list[float] = []
    try:
        for round_number in range(1, args.rounds + 1):
            if args.rounds > 1:
                print(f"-- round {round_number} of {args.rounds}")
            with tempfile.TemporaryDirectory() as workdir:
                if args.profile:
                    args.profile.mkdir(parents=True, exist_ok=True)
                run = run_newsfacts(site, Path(workdir), args.profile)
                again = run_newsfacts(site, Path(workdir))
            per_page = run.cpu_seconds / max(run.stored, 1) * 1000
            ours_ms.append(per_page)
            stage_ms = ", ".join(
                f"{stage} {run.stage_seconds.get(stage, 0.0) / max(run.stored, 1) * 1000:.0f}"
                for stage in STAGES
            )
            print(
                f"newsfacts run: {run.stored}/{len(pages)} stored "
                f"({run.stored / len(pages):.1%}) in {run.seconds:.1f} s; outcomes {run.outcomes}"
            )
            print(f"  stage clock ms/page: {stage_ms}")
            print(
                f"  CPU {run.cpu_seconds:.1f} s = {per_page:.0f} ms per stored page; "
                f"peak RSS {run.peak_process_rss / 2**20:.0f} MB in one process, "
                f"{run.peak_tree_rss / 2**20:.0f} MB over {run.peak_processes} processes"
            )
            print(
                "  CPU seconds sampled per process (the run's first): "
                + ", ".join(f"{seconds:.1f}" for seconds in run.process_cpu)
            )
            print(
                f"  a second run (nothing new): CPU {again.cpu_seconds:.1f} s, "
                f"at most {again.peak_processes} processes, outcomes {again.outcomes}"
            )
            start_up = run.server_cpu + again.cpu_seconds
            print(
                f"  start-up: the pool's server loading {run.server_cpu:.1f} s, a run that "
                f"finds nothing {again.cpu_seconds:.1f} s; the rest "
                f"{(run.cpu_seconds - start_up) / max(run.stored, 1) * 1000:.0f} ms per page"
            )
            if args.np4k_python:
                with tempfile.TemporaryDirectory() as workdir:
                    np4k = run_np4k(args.np4k_python, pages, Path(workdir))
                theirs_ms.append(np4k["cpu"] / np4k["pages"] * 1000)
                print(
                    f"newspaper4k parse only: {np4k['cpu']:.1f} s = {theirs_ms[-1]:.0f} ms per "
                    f"page ({np4k['with_text']:.0f}/{np4k['pages']:.0f} with text, "
                    f"{np4k['failed']:.0f} failed)"
                )
                print(
                    f"CPU per page: newsfacts run {per_page:.0f} ms, newspaper4k parse "
                    f"{theirs_ms[-1]:.0f} ms (ratio {per_page / theirs_ms[-1]:.2f})"
                )
    finally:
        site.close()
    if args.rounds > 1:
        line = f"-- median over {args.rounds} rounds: newsfacts run {median(ours_ms):.0f} ms/page"
        if theirs_ms:
            line += f", newspaper4k parse {median(theirs_ms):.0f} ms/page"
        print(line)
    if args.profile:
        print_profile(args.profile)


if __name__ == "__main__":
    main()
