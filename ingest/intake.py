"""The intake step every driver shares: which sources to poll (with the validators of their
last poll), which of the entries found are new or changed, and what each poll taught about
its source (validators, next interval, failures).

`newsfacts run` and the queue (`enqueue`, the workers' periodic polling) both call it, so that
a source behaves the same whichever of them polls it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Source
from db.repository import stored_update_times, utcnow
from db.urls import url_hash
from ingest.discover import Discovery, PollTarget, discover
from ingest.errors import StageError
from ingest.http import Fetcher
from ingest.logs import LOGGER
from ingest.polling import due_targets, record_poll
from ingest.records import Candidate, OutcomeRow
from ingest.settings import Settings
from ingest.sourcefile import load_specs, sync_sources
from ingest.sources import canonical_url


def sync_sources_file(session: Session, settings: Settings) -> None:
    """Make the `sources` table follow the sources file, when there is one."""
    path = Path(settings.sources_file)
    if path.exists():
        sync_sources(session, load_specs(path))


def due_sources(session: Session, settings: Settings) -> list[PollTarget]:
    """The sources file synced into the table, then the enabled sources due for a poll."""
    sync_sources_file(session, settings)
    return due_targets(session, utcnow())


def targets(session: Session, sources: Iterable[tuple[str, str]]) -> list[PollTarget]:
    """Poll targets for (url, kind) pairs given on the command line; a URL that is a known
    source is polled as that source, with its validators, and its state is recorded."""
    wanted = [(canonical_url(url), kind) for url, kind in sources]
    hashes = [url_hash(url) for url, _ in wanted]
    rows = {
        row.url: row for row in session.scalars(select(Source).where(Source.url_hash.in_(hashes)))
    }
    found = []
    for url, kind in wanted:
        row = rows.get(url)
        found.append(
            PollTarget(url, row.kind, row.id, row.etag, row.last_modified, row.body_hash)
            if row is not None and row.kind == kind
            else PollTarget(url, kind)
        )
    return found


async def poll_source(fetcher: Fetcher, target: PollTarget) -> Discovery:
    """Poll one source; any error, foreseen or not, is the poll's error (recorded on the
    source and as its outcome), never the run's."""
    try:
        return await discover(fetcher, target)
    except Exception as exc:
        return Discovery(target, error=StageError.wrap("discover", exc))


def entry_candidates(discoveries: Iterable[Discovery]) -> list[Candidate]:
    """A candidate per entry the polls found, with its source and claimed change time."""
    return [
        Candidate(canonical_url(entry.url), found.target.source_id, entry.modified_at)
        for found in discoveries
        for entry in found.entries
    ]


def candidates_by_source(
    discoveries: Iterable[Discovery],
) -> list[tuple[Discovery, list[Candidate]]]:
    """`entry_candidates` of each poll, kept apart per poll."""
    return [(found, entry_candidates([found])) for found in discoveries]


def take_fresh(
    fresh: Sequence[Candidate],
    by_source: Sequence[tuple[Discovery, list[Candidate]]],
    settings: Settings,
) -> list[Candidate]:
    """The fresh candidates to ingest now; the others are left for a later run.

    URLs asked for explicitly are all taken. Of each poll's new or changed entries, the
    newest `max_urls_per_source` are (by the change time their source gives; undated ones
    keep their order, after the dated), and of those `max_urls_per_run` in all, taken from
    the polls in turn so that every source gets its share. Each poll's `left` counts what
    it leaves: its source is then due again at once, without validators, so that the next
    run reads its entries again and takes the next ones.
    """
    standing = {candidate.url: candidate for candidate in fresh}
    taken = [candidate for candidate in fresh if candidate.refetch]
    claimed = {candidate.url for candidate in taken}
    queues: list[tuple[Discovery, list[Candidate]]] = []
    for found, candidates in by_source:
        mine = []
        for candidate in candidates:
            if candidate.url in standing and candidate.url not in claimed:
                claimed.add(candidate.url)
                mine.append(standing[candidate.url])
        mine.sort(key=_newest_first)
        found.left = max(0, len(mine) - settings.max_urls_per_source)
        queues.append((found, mine[: settings.max_urls_per_source]))
    budget = settings.max_urls_per_run
    longest = max((len(mine) for _, mine in queues), default=0)
    for rank in range(longest):
        for found, mine in queues:
            if rank >= len(mine):
                continue
            if budget > 0:
                taken.append(mine[rank])
                budget -= 1
            else:
                found.left += 1
    taken.extend(candidate for candidate in fresh if candidate.url not in claimed)
    for found, _ in queues:
        if found.left:
            LOGGER.info(
                "%d new URLs of %s left for the next run (max_urls_per_source %d, "
                "max_urls_per_run %d)",
                found.left,
                found.target.url,
                settings.max_urls_per_source,
                settings.max_urls_per_run,
                extra={"event": "left", "url": found.target.url},
            )
    return taken


def _newest_first(candidate: Candidate) -> tuple[bool, float]:
    modified = candidate.modified_at
    return (modified is None, -_utc(modified).timestamp() if modified else 0.0)


def poll_failures(discoveries: Iterable[Discovery]) -> list[OutcomeRow]:
    """A failed outcome per source that could not be polled and per child sitemap that
    could not be read."""
    rows = []
    for found in discoveries:
        if found.error is not None:
            rows.append(OutcomeRow.failure(found.target.url, found.error))
        rows.extend(OutcomeRow.failure(url, error) for url, error in found.failures)
    return rows


def split_fresh(
    session: Session, candidates: Sequence[Candidate]
) -> tuple[list[Candidate], list[Candidate]]:
    """(fresh, unchanged): candidates not stored yet, or stored before their source says
    they changed, or asked for again explicitly; and the others. The first candidate of a
    URL stands for all of them."""
    unique: dict[str, Candidate] = {}
    for candidate in candidates:
        unique.setdefault(candidate.url, candidate)
    stored = stored_update_times(session, list(unique))
    fresh: list[Candidate] = []
    unchanged: list[Candidate] = []
    for candidate in unique.values():
        updated_at = stored.get(candidate.url)
        changed = candidate.refetch or (
            updated_at is not None
            and candidate.modified_at is not None
            and candidate.modified_at > _utc(updated_at)
        )
        (fresh if updated_at is None or changed else unchanged).append(candidate)
    return fresh, unchanged


def record_polls(
    session: Session,
    discoveries: Iterable[Discovery],
    fresh: Iterable[Candidate],
    settings: Settings,
) -> None:
    """What each poll learned about its source: validators, next interval (shorter when
    it found something new), failures. Written once the fresh articles are safe (stored,
    or queued), so that a crash leaves the source due with its old validators. A source
    that left entries for later (`take_fresh`) is due again at once, without validators."""
    per_source = Counter(candidate.source_id for candidate in fresh)
    for found in discoveries:
        record_poll(session, found, per_source[found.target.source_id], settings)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
