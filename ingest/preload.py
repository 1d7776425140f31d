"""What every analysis process needs, loaded once in the pool's fork server before it forks
them: the CPU stages' imports, language identification's tables, the knowledge base and
the spaCy pipelines of the four languages (default models). The processes share it
(copy-on-write); spawned one by one, each loaded it all again, 8-10 s of CPU apiece.

Nothing here may stop the fork server: a failure leaves `analyzer` None and each process
builds its own pipelines, as it does for models other than the default ones.
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import sys

from nlp.analysis import Analyzer

LANGUAGES = ("nl", "fr", "de", "en")

analyzer: Analyzer | None = None


def _load() -> Analyzer | None:
    try:
        import ingest.stages  # noqa: F401  (trafilatura, htmldate, the store's records)
        from nlp.langid import identify

        identify("Dit is een korte Nederlandse tekst over auto's en de fabriek.", "nl")
        built = Analyzer()
        for lang in LANGUAGES:
            built.pipeline(lang)
        return built
    except Exception:  # the processes then load what they need themselves
        logging.getLogger(__name__).exception("preloading the analysis stages failed")
        return None


def _leave_at_once() -> None:
    """The fork server leaves without the interpreter's teardown, which with the pipelines
    loaded takes most of a second."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


analyzer = _load()
# What is loaded lives as long as the processes: the garbage collector of each process
# would walk it again and again, and by touching it copy pages it shares with the server.
# Frozen, it is left alone (garbage collection while analysing 329 pages: 0.47 -> 0.36 s).
gc.freeze()
atexit.register(_leave_at_once)
