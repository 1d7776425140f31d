"""Processes that end with their parent: the kernel's parent-death signal on Linux, and a
watchdog thread where that is not available."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tests.ingest.processes import alive, wait_for

ROOT = Path(__file__).resolve().parents[2]
# A parent that starts a child following it, prints the child's pid and waits to be killed.
PARENT = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid()), sys.argv[2]])
print(child.pid, flush=True)
time.sleep(120)
"""
CHILD = """
import sys, time
if sys.argv[2] == "watchdog":
    sys.platform = "other"  # as where prctl does not exist: only the watchdog is left
from ingest.lifeline import follow_parent
follow_parent(int(sys.argv[1]))
print("following", flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("how", ["prctl", "watchdog"])
def test_a_child_ends_when_its_parent_is_killed(how: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD, how], env=env, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    try:
        assert parent.stdout.readline().strip() == "following"  # the child shares the pipe
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        wait_for(lambda: not alive(child), 3, "the child to end with its parent")
    finally:
        parent.kill()
        if alive(child):
            child.kill()
