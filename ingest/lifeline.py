"""Helper processes that live and stop with the process that started them.

A pool process must not outlive the run (a SIGKILL, an OOM kill): it would keep its
memory and its database connections. On Linux the kernel kills it when its parent dies
(PR_SET_PDEATHSIG); elsewhere, and for a parent that died before that was set, a thread
watches the parent's pid. Ctrl-C reaches every process of the terminal's foreground group:
pool processes ignore it and leave stopping to the run, which shuts the pool down.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 0.5


def follow_parent(parent: int) -> None:
    """End this process with SIGKILL as soon as process `parent` (its parent) is gone."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the kernel could be told
        os.kill(os.getpid(), signal.SIGKILL)
    threading.Thread(target=_watch, args=(parent,), name="lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os.kill(os.getpid(), signal.SIGKILL)


def ignore_interrupts() -> None:
    """Ignore Ctrl-C (SIGINT) from now on, and drop one that arrived while it was blocked
    (see `spawning`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def spawning() -> Iterator[None]:
    """Start processes in this block: they begin with SIGINT blocked (the mask survives
    fork and exec), so that a Ctrl-C before their `ignore_interrupts` cannot stop them
    with a traceback. This thread gets a SIGINT of the block when it ends."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
