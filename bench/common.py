"""Shared helpers of the benchmark scripts: timing statistics, the machine, the corpus."""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from corpus import SEED, cases  # noqa: E402

__all__ = [
    "Stats",
    "both",
    "corpus_cases",
    "corpus_lines",
    "machine",
    "per_call",
    "print_table",
    "timed",
]


class Stats:
    """Per-call times in microseconds."""

    def __init__(self, name: str, samples_us: Sequence[float]) -> None:
        self.name = name
        self.samples = sorted(samples_us)
        self.n = len(self.samples)
        self.median = statistics.median(self.samples)
        self.p99 = self.samples[min(self.n - 1, int(self.n * 0.99))]
        self.mean = statistics.fmean(self.samples)

    def row(self) -> list[str]:
        return [
            self.name,
            f"{self.median:,.1f}",
            f"{self.p99:,.1f}",
            f"{self.mean:,.1f}",
            f"{self.n:,}",
        ]


def per_call(
    fn: Callable[[Any], Any], args: Sequence[Any], rounds: int = 3
) -> tuple[list[float], list[float]]:
    """Time ``fn(a)`` for every ``a``, ``rounds`` times over: (wall, CPU) microseconds per call.

    Wall time is what a caller waits; the thread's CPU time leaves out the moments the process
    was not running, so on a busy shared machine it is the steadier figure.  The garbage
    collector stays on (applications run with it), but a collection is forced before each round
    so rounds start alike.
    """
    wall_clock = time.perf_counter_ns
    cpu_clock = time.thread_time_ns
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        gc.collect()
        for a in args:
            c0 = cpu_clock()
            t0 = wall_clock()
            fn(a)
            t1 = wall_clock()
            c1 = cpu_clock()
            wall.append((t1 - t0) / 1000)
            cpu.append((c1 - c0) / 1000)
    return wall, cpu


def both(name: str, samples: tuple[list[float], list[float]]) -> list[Stats]:
    """Stats rows for the wall and the CPU times of ``per_call``."""
    return [Stats(f"{name} (wall)", samples[0]), Stats(f"{name} (CPU)", samples[1])]


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def corpus_cases(n: int, seed: int = SEED) -> list[dict[str, Any]]:
    return list(cases(n, seed))


def corpus_lines(n: int, seed: int = SEED) -> list[str]:
    return [json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in cases(n, seed)]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    return (
        f"{cpu}, {cores} cores, {platform.system()} {platform.release()}, "
        f"CPython {platform.python_version()}"
    )


def print_table(
    rows: list[list[str]], header: Sequence[str] = ("", "median µs", "p99 µs", "mean µs", "n")
) -> None:
    table = [list(header), *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for j, r in enumerate(table):
        cells = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        print("  ".join(cells))
        if j == 0:
            print("  ".join("-" * w for w in widths))
