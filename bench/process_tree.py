"""CPU and memory of a running process and all its descendants, sampled in a thread."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import psutil


class TreeSampler:
    """Samples process `pid` and its descendants every `interval` seconds while in use as
    a context manager: the last CPU seconds of each process (the root's under `root_cpu`,
    the others' in `cpu` by pid), the peak RSS of any one process, the peak summed RSS
    with how many processes made it, and (seconds since start, summed RSS) samples."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.root_cpu = 0.0
        self.cpu: dict[int, float] = {}
        self.commands: dict[int, str] = {}  # the command line of each process, by pid
        self.parents: dict[int, int] = {}  # the parent of each process, by pid
        self.peak_process = 0
        self.peak_tree = 0
        self.peak_count = 0
        self.samples: list[tuple[float, int]] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = time.perf_counter()

    def __enter__(self) -> TreeSampler:
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.is_set():
            if not self._sample():
                return
            self._done.wait(self.interval)

    def _sample(self) -> bool:
        """One sample; False once the root process is gone."""
        try:
            tree = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return False
        sizes = []
        for member in tree:
            try:
                with member.oneshot():
                    sizes.append(member.memory_info().rss)
                    times = member.cpu_times()
            except psutil.NoSuchProcess:
                continue
            if member.pid == self.root.pid:
                self.root_cpu = times.user + times.system
            else:
                self.cpu[member.pid] = times.user + times.system
                if member.pid not in self.commands:
                    self.commands[member.pid] = _command(member)
                    self.parents[member.pid] = member.ppid()
        self.samples.append((time.perf_counter() - self._started, sum(sizes)))
        if sum(sizes) > self.peak_tree:
            self.peak_tree, self.peak_count = sum(sizes), len(sizes)
        self.peak_process = max(self.peak_process, *sizes, 0)
        return True

    def child_cpu(self, word: str) -> float:
        """CPU seconds of the root's own children whose command line holds `word` (not of
        their children, which may share the command line of the process they forked from)."""
        return sum(
            cpu
            for pid, cpu in self.cpu.items()
            if self.parents.get(pid) == self.root.pid and word in self.commands.get(pid, "")
        )

    def process_cpu(self) -> list[float]:
        """CPU seconds of each process, the root first, then the others, most first."""
        return [self.root_cpu, *sorted(self.cpu.values(), reverse=True)]


def _command(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""
