"""The records that flow between the stages of every driver (`run`, the workers,
`reprocess`): candidate URLs, fetched pages, processed pages, outcome rows and summaries."""

from __future__ import annotations

import gzip
import hashlib
import signal
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from db.models import OUTCOMES
from ingest.errors import StageError
from ingest.extract import ExtractedArticle
from ingest.http import FetchResult
from nlp.analysis import Analysis

# Outcomes with a counter column on `runs` (a `queued` URL is counted when its job ends).
COUNTED = tuple(outcome for outcome in OUTCOMES if outcome != "queued")
# Outcomes that end the handling of one URL (what a progress display counts).
FINAL = COUNTED
# Longest error message kept on an outcome row (a database error can quote a whole statement).
MAX_MESSAGE_CHARS = 2000

# The event that tells a progress display how many URLs the run will account for (FINAL
# events to come, those already sent included), once discovery is over; its second
# argument is that number, in digits, instead of a URL.
PLANNED = "planned"


def content_hash(data: bytes | str) -> str:
    """SHA-256 hex digest of bytes or UTF-8 text."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class Candidate:
    """A canonical article URL to ingest, the source it came from, and when the source
    says it last changed.

    `refetch` is set for URLs given explicitly (`newsfacts fetch`): fetched even when stored.
    """

    url: str
    source_id: int | None = None
    modified_at: datetime | None = None
    refetch: bool = False


class KnownArticle(NamedTuple):
    """An article already stored under a canonical URL."""

    id: int
    text_hash: str


Lookup = Callable[[str], KnownArticle | None]


@dataclass(frozen=True)
class PageRecord:
    """A fetched response as it is stored: raw HTML compressed, body hashed."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    encoding: str | None
    headers: dict[str, str]
    body_hash: str
    raw_html_gz: bytes

    @classmethod
    def from_result(cls, url: str, result: FetchResult) -> PageRecord:
        """Compress and hash a fetch result."""
        return cls(
            url=url,
            final_url=result.final_url,
            status=result.status,
            content_type=result.content_type,
            encoding=result.encoding,
            headers=result.headers,
            body_hash=content_hash(result.content),
            raw_html_gz=gzip.compress(result.content, compresslevel=4),
        )


@dataclass
class ProcessedPage:
    """A page after the CPU stages, ready to be stored.

    `analysis` is None when the article is stored already with the same text
    (`known` says which one); nothing is written for it then but its outcome.
    """

    url: str
    page: PageRecord
    key: str
    extracted: ExtractedArticle
    text_hash: str
    analysis: Analysis | None
    known: KnownArticle | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    source_id: int | None = None
    fingerprint: int | None = None  # simhash of the text, for near duplicates


@dataclass(frozen=True)
class OutcomeRow:
    """What happened to one URL: the `url_outcomes` row, before it has a run id."""

    url: str
    outcome: str
    error_type: str | None = None
    message: str | None = None
    article_id: int | None = None

    @classmethod
    def failure(cls, url: str, error: Exception) -> OutcomeRow:
        """A failed outcome carrying the error's type (the original one's, for a
        StageError) and its message, cut to MAX_MESSAGE_CHARS."""
        error_type = error.error_type if isinstance(error, StageError) else type(error).__name__
        message = str(error)
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[: MAX_MESSAGE_CHARS - 1] + "…"
        return cls(url, "failed", error_type, message)


StoreItem = ProcessedPage | OutcomeRow


@dataclass
class RunSummary:
    """What one run did, per outcome, and the failures with their messages."""

    run_id: int
    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, row: OutcomeRow) -> None:
        """Count one stored outcome."""
        self.outcomes[row.outcome] += 1
        if row.error_type is not None:
            self.errors.append((row.url, f"{row.error_type}: {row.message}"))

    @property
    def queued(self) -> int:
        return self.outcomes["queued"]

    @property
    def skipped(self) -> int:
        return self.outcomes["skipped"]

    @property
    def unchanged(self) -> int:
        return self.outcomes["unchanged"]

    @property
    def failed(self) -> list[tuple[str, str]]:
        """The failed URLs with their messages."""
        return self.errors


class RunInterrupted(KeyboardInterrupt):
    """A run ended by SIGINT or SIGTERM; it is recorded `interrupted` and `summary` counts
    what it stored before. A KeyboardInterrupt, so that code that only knows Ctrl-C stops
    as it did."""

    def __init__(self, signum: int, summary: RunSummary) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum
        self.summary = summary

    @property
    def exit_code(self) -> int:
        """The shell's code for a process ended by the signal: 130 for SIGINT, 143 for
        SIGTERM."""
        return 128 + self.signum
