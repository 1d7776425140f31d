"""Run time of the distributed path: `newsfacts enqueue`, then 1 and then 3 `newsfacts worker`
processes on the PostgreSQL queue, each time into a fresh database.

    .venv/bin/python bench/distributed.py [--articles 500] [--workers 1 3]
        [--admin postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import CorpusSite

NEWSFACTS = Path(sys.executable).parent / "newsfacts"


def run_once(site: CorpusSite, admin: str, workers: int) -> tuple[float, float, int]:
    """Seconds to enqueue, seconds until every article is stored, articles stored."""
    name = f"newsfacts_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    db_url = f"{base}/{name}"
    env = {**os.environ, "NEWSFACTS_PER_HOST_DELAY": "0", "NEWSFACTS_PER_HOST_CONCURRENCY": "16"}
    common = ["--db", db_url, "--allow-private-addresses"]
    processes: list[subprocess.Popen[bytes]] = []
    engine = create_engine(db_url)
    try:
        subprocess.run(
            [NEWSFACTS, "db", "upgrade", "--db", db_url],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        started = time.perf_counter()
        feeds = [arg for url in site.feed_urls for arg in ("--feed", url)]
        subprocess.run(
            [NEWSFACTS, "enqueue", *feeds, *common], check=True, env=env, stderr=subprocess.DEVNULL
        )
        enqueued = time.perf_counter() - started
        started = time.perf_counter()
        processes = [
            subprocess.Popen([NEWSFACTS, "worker", *common], env=env, stderr=subprocess.DEVNULL)
            for _ in range(workers)
        ]
        stored = 0
        while stored < site.total:
            time.sleep(0.25)
            with engine.connect() as connection:
                stored = connection.execute(text("SELECT count(*) FROM articles")).scalar_one()
            if any(process.poll() is not None for process in processes):
                raise SystemExit("a worker exited early")
        return enqueued, time.perf_counter() - started, stored
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(60)
        engine.dispose()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    """Time 1 and 3 workers on the PostgreSQL queue and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--admin", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}")
    with CorpusSite(args.articles) as site:
        for workers in args.workers:
            enqueued, seconds, stored = run_once(site, args.admin, workers)
            print(
                f"{workers} worker(s): enqueue {enqueued:.1f} s; {stored} articles stored in "
                f"{seconds:.1f} s (worker start included) = {stored / seconds:.1f} articles/s"
            )
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
