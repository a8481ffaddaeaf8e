"""Batch throughput: ``negotiator batch`` on the corpus with 1, 2, … worker processes.

Each run evaluates the same generated file end to end, as the command does (read, evaluate,
write the output atomically), including the start of the worker pool.  One worker runs in the
calling process (no pool); more run in a ``forkserver`` pool.  The worker counts are run in
turn, ``--repeat`` times over, and the best time of each is kept (the machine this was written
on is shared; the best of several alternating runs is the figure least disturbed by others).
The outputs of all runs must be identical.

    python bench/bench_batch.py [N_CASES] [WORKERS...] [--repeat R]
    # default: 2000 cases, workers 1 2, 3 repeats
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

from common import machine
from corpus import write_jsonl

from negotiator.batch.local import run_batch


def differences(outputs: list[Path]) -> None:
    first = outputs[0].read_text(encoding="utf-8").splitlines()
    for other in outputs[1:]:
        lines = other.read_text(encoding="utf-8").splitlines()
        for n, (a, b) in enumerate(zip(first, lines, strict=True), 1):
            if a != b:
                x, y = json.loads(a), json.loads(b)
                keys = sorted(k for k in x.keys() | y.keys() if x.get(k) != y.get(k))
                print(f"  {other.name} line {n}: fields {keys}", file=sys.stderr)
                break


def main(argv: list[str]) -> int:
    repeat = 3
    args: list[str] = []
    rest = iter(argv[1:])
    for a in rest:
        if a == "--repeat":
            repeat = int(next(rest))
        else:
            args.append(a)
    n = int(args[0]) if args else 2000
    counts = [int(a) for a in args[1:]] or [1, 2]
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        write_jsonl(str(src), n)
        print(f"{n} cases, {src.stat().st_size / 1e6:.1f} MB of JSON lines, {repeat} repeats")
        best: dict[int, float] = {}
        digests = set()
        outputs: list[Path] = []
        for r in range(repeat):
            for workers in counts:
                out = Path(tmp) / f"out{workers}.jsonl"
                t0 = time.perf_counter()
                cpu0 = time.process_time()
                with open(src, "rb") as source:
                    summary = run_batch(source, out, workers=workers)
                seconds = time.perf_counter() - t0
                cpu = time.process_time() - cpu0
                best[workers] = min(best.get(workers, seconds), seconds)
                print(
                    f"  run {r + 1}, workers={workers}: {seconds:7.2f} s "
                    f"(this process: {cpu:5.2f} s CPU)",
                    flush=True,
                )
                if r == 0:
                    digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
                    outputs.append(out)
                    size = out.stat().st_size / n / 1000
                    print(f"    ({summary.errors} error records, {size:.0f} kB of report a case)")
            if r == 0 and len(digests) != 1:
                print("OUTPUTS DIFFER between worker counts:", file=sys.stderr)
                differences(outputs)
                return 1
        base = best[counts[0]]
        for workers in counts:
            rate = n / best[workers]
            print(
                f"workers={workers}: best {best[workers]:7.2f} s  {rate:8,.0f} cases/s  "
                f"speed-up {base / best[workers]:4.2f}x"
            )
        print("outputs identical across worker counts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
