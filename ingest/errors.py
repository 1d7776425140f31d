"""Errors of the ingestion side; each URL's failure is stored with its type name."""

from __future__ import annotations


class IngestError(Exception):
    """Base class for ingestion errors."""


class ConfigError(IngestError):
    """The settings or a sources file are invalid."""


class FetchError(IngestError):
    """A URL could not be fetched."""


class BlockedURL(FetchError):
    """The URL is not allowed: bad scheme, private address or robots.txt."""


class UnknownHost(FetchError):
    """The URL's host name does not resolve."""


class HTTPStatusError(FetchError):
    """The server answered with an error status after all retries."""

    def __init__(self, message: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class TooLarge(FetchError):
    """The body exceeded the size cap."""


class UnsupportedContent(FetchError):
    """The response is not HTML or XML."""


class FeedError(IngestError):
    """A feed or sitemap could not be parsed."""


class ExtractionError(IngestError):
    """No article text could be extracted from the page."""


class UnknownSource(IngestError):
    """No source has the given name."""


class RunLocked(IngestError):
    """Another run is active on the same database."""


class MissingExtra(IngestError):
    """A feature needs an optional extra that is not installed."""


class StageError(IngestError):
    """An unexpected error of one page in a stage (a bug, or input the stage did not
    foresee), kept as the original error's type name and message: it crosses process
    boundaries where the original might not pickle, and fails that page alone."""

    def __init__(self, message: str, error_type: str) -> None:
        super().__init__(message, error_type)
        self.error_type = error_type

    def __str__(self) -> str:
        return str(self.args[0])

    @classmethod
    def wrap(cls, stage: str, error: Exception) -> IngestError:
        """`error` itself when it is an IngestError, else a StageError that names it."""
        if isinstance(error, IngestError):
            return error
        return cls(f"{stage}: {error}", type(error).__name__)
