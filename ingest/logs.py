"""Log lines for runs: plain text or JSON, with -v / -q controlling how much."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.runs import Progress

LOGGER = logging.getLogger("newsfacts")
QUIET_EVENTS = ("fetch", "discover", "planned")  # logged with -v only


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, message and the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
        }
        for key in ("event", "url", "run_id", "counts"):
            if getattr(record, key, None) is not None:
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(verbosity: int, json_logs: bool) -> None:
    """Send newsfacts logs to stderr: -q warnings only, default info, -v debug."""
    level = logging.WARNING if verbosity < 0 else logging.INFO if verbosity == 0 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_logs else logging.Formatter("%(message)s"))
    LOGGER.handlers[:] = [handler]
    LOGGER.setLevel(level)
    LOGGER.propagate = False


def log_events() -> Progress:
    """A progress callback writing one log line per event (fetch/discover only with -v)."""

    def log(event: str, url: str) -> None:
        level = (
            logging.DEBUG
            if event in QUIET_EVENTS
            else logging.WARNING
            if event == "failed"
            else logging.INFO
        )
        LOGGER.log(level, "%-9s %s", event, url, extra={"event": event, "url": url})

    return log
