"""`newsfacts worker` and `newsfacts enqueue`: the job queue on PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ingest.cli.common import (
    DbOption,
    PrivateOption,
    SourcesFileOption,
    check_urls,
    err,
    fail,
    open_for_writing,
    settings_for,
)
from ingest.errors import IngestError

if TYPE_CHECKING:
    from ingest.distributed import Cluster


def _cluster(
    db: str | None, allow_private: bool | None, sources_file: str | None = None
) -> Cluster:
    from ingest.distributed import Cluster  # procrastinate loads only for these commands

    settings = settings_for(
        database_url=db, allow_private_addresses=allow_private, sources_file=sources_file
    )
    try:
        return Cluster(settings, open_for_writing(settings))
    except IngestError as exc:
        fail(str(exc))


def worker(
    db: DbOption = None,
    allow_private_addresses: PrivateOption = None,
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", min=1, help="Jobs at once (default: worker_concurrency)."),
    ] = None,
) -> None:
    """Run jobs from the PostgreSQL queue until stopped (SIGINT or SIGTERM).

    Start one per core on every machine. Workers fetch, extract, analyse and store
    articles, poll the enabled sources (feeds, sitemaps, URL lists) on the `poll_cron`
    schedule, and re-queue the jobs of workers that died.
    """
    cluster = _cluster(db, allow_private_addresses)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    asyncio.run(cluster.run_worker(concurrency or cluster.settings.worker_concurrency))


def enqueue(
    feed: Annotated[
        list[str] | None, typer.Option("--feed", help="RSS or Atom feed URL (repeatable).")
    ] = None,
    sitemap: Annotated[
        list[str] | None,
        typer.Option(
            "--sitemap",
            help="Sitemap or sitemap index URL, or a site root or robots.txt URL to use the "
            "sitemaps robots.txt lists (repeatable).",
        ),
    ] = None,
    urls: Annotated[
        list[str] | None,
        typer.Option("--urls", help="URL of a plain-text list of article URLs (repeatable)."),
    ] = None,
    db: DbOption = None,
    allow_private_addresses: PrivateOption = None,
    sources_file: SourcesFileOption = None,
) -> None:
    """Discover articles now and queue a job per new or changed article for the workers.

    With --feed, --sitemap or --urls: those sources. Without: the due sources of the
    sources file, as `newsfacts run` polls them (validators, intervals, failures recorded).
    """
    check_urls([*(feed or []), *(sitemap or []), *(urls or [])])
    sources = [
        *((url, "feed") for url in feed or []),
        *((url, "sitemap") for url in sitemap or []),
        *((url, "urls") for url in urls or []),
    ]
    cluster = _cluster(db, allow_private_addresses, sources_file)
    if sources:
        summaries = asyncio.run(cluster.enqueue_sources(sources))
    elif Path(cluster.settings.sources_file).exists():
        summaries = asyncio.run(cluster.enqueue_due())
    else:
        fail(
            f"give at least one --feed, --sitemap or --urls, or list sources in "
            f"{cluster.settings.sources_file}"
        )
    failed = 0
    for summary in summaries:
        err.print(
            f"run {summary.run_id}: queued {summary.queued}, already queued "
            f"{summary.skipped}, already stored {summary.unchanged}",
            highlight=False,
        )
        for url, message in summary.failed:
            failed += 1
            err.print(f"  failed {url}: {message}", highlight=False)
    if failed:
        raise typer.Exit(2)
