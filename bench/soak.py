"""Memory soak: evaluate many cases in one long-lived process and watch its resident memory.

Each child process evaluates its share of the ``N`` cases one by one through the batch's
per-record function (JSON line → validated case → advise → report JSON: the whole path an
application or a batch worker runs), cycling over a few thousand distinct generated cases of
which about 1 in 100 is deliberately invalid (an unknown field), so error paths are soaked too.
``--what engine`` soaks only the rules engine (one durable-rules session per case on prepared
facts), which is much faster per case and is where a native leak would show.

Every ``--every`` cases the child reports its resident set size (RSS, after a garbage
collection); growth is measured from the first report after the warm-up, when caches are full.
The parent reports a child that dies (a crash) and any unexpected exception: an error record
on a valid line, or anything but an InputError on an invalid one.

    python bench/soak.py 1000000                              # whole path, one process
    python bench/soak.py 1000000 --what engine                # the engine alone
    python bench/soak.py 400000 --processes 2 --every 50000   # two processes, 200k each

Exit status 0 only if no child crashed, nothing unexpected happened and every child's growth
stayed within ``--limit-mb`` (default 20).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(n: int, every: int, what: str, distinct: int, warmup: int, seed: int) -> int:
    sys.path.insert(0, str(HERE))
    from corpus import cases

    lines = []
    for i, case in enumerate(cases(distinct, seed)):
        if i % 100 == 37:
            case["borrower"]["shoe_size"] = 42  # invalid on purpose
        lines.append(json.dumps(case, ensure_ascii=False, separators=(",", ":")))
    bad = {i for i in range(distinct) if i % 100 == 37}
    unexpected = 0
    from negotiator.engine.durable import tune_allocator
    from negotiator.ruleset.loader import load_rules

    tune_allocator(len(load_rules().rules) + 1)  # as the batch workers do
    if what == "engine":
        from negotiator.analysis import analyse
        from negotiator.case.load import load_case
        from negotiator.engine import prepare_facts
        from negotiator.engine.durable import DurableEvaluator
        from negotiator.facts import derive_facts

        rules = load_rules()
        prepared = [
            prepare_facts(derive_facts(analyse(load_case(line))), rules)
            for i, line in enumerate(lines)
            if i not in bad
        ]
        engine = DurableEvaluator(rules)
        expected = [len(engine.evaluate(p)) for p in prepared]

        def step(i: int) -> bool:
            k = i % len(prepared)
            return len(engine.evaluate(prepared[k])) == expected[k]
    else:
        from negotiator.batch.local import _dumps, _evaluate

        def step(i: int) -> bool:
            k = i % distinct
            record, _status = _evaluate(i + 1, lines[k], "advise", "zh-Hans")
            _dumps(record)
            if k in bad:
                return bool(record.get("error", {}).get("type") == "InputError")
            return "report" in record

    baseline = None
    t0 = time.monotonic()
    stopped: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopped.append(signum)  # finish the case in hand, report, and leave

    signal.signal(signal.SIGTERM, stop)
    for i in range(n):
        try:
            ok = step(i)
        except Exception as exc:  # an evaluation must never raise
            ok = False
            print(f"exception at case {i + 1}: {type(exc).__name__}", flush=True)
        if not ok:
            unexpected += 1
        done = i + 1
        if done in (warmup, n) or done % every == 0 or stopped:
            gc.collect()
            rss = rss_mb()
            if baseline is None and done >= warmup:
                baseline = rss
            growth = rss - baseline if baseline is not None else 0.0
            rate = done / (time.monotonic() - t0)
            report = {
                "cases": done,
                "rss_mb": round(rss, 1),
                "growth_mb": round(growth, 1),
                "cases_per_s": round(rate),
                "unexpected": unexpected,
            }
            print(json.dumps(report), flush=True)
        if stopped:
            print(json.dumps({"stopped_by_signal": stopped[0], "cases": done}), flush=True)
            return 4
    return 0 if unexpected == 0 else 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="cases to evaluate in all")
    parser.add_argument("--what", choices=["advise", "engine"], default="advise")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--every", type=int, default=100_000, help="report RSS every … cases")
    parser.add_argument("--warmup", type=int, default=10_000, help="cases before the baseline")
    parser.add_argument("--distinct", type=int, default=3000, help="distinct cases cycled over")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit-mb", type=float, default=20.0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.n, args.every, args.what, args.distinct, args.warmup, args.seed)

    share = args.n // args.processes
    procs = []
    for p in range(args.processes):
        n = share + (args.n % args.processes if p == 0 else 0)
        cmd = [
            sys.executable,
            __file__,
            str(n),
            "--child",
            f"--what={args.what}",
            f"--every={args.every}",
            f"--warmup={min(args.warmup, n)}",
            f"--distinct={args.distinct}",
            f"--seed={args.seed + p}",
        ]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
    started = time.monotonic()
    failed = False
    for p, proc in enumerate(procs):
        last = None
        assert proc.stdout is not None
        for line in proc.stdout:
            print(f"[{p}] {line.rstrip()}", flush=True)
            if line.startswith('{"cases"'):
                last = json.loads(line)
        code = proc.wait()
        if code == 4:
            print(f"[{p}] stopped from outside (SIGTERM) after {last and last['cases']:,} cases")
            failed = True
        elif code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            crash = -code in (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGFPE)
            print(f"[{p}] {'CRASHED' if crash else 'killed'}: signal {name}")
            failed = True
        elif code not in (0, 3):
            print(f"[{p}] exit status {code}")
            failed = True
        elif last is None or last["unexpected"]:
            print(f"[{p}] unexpected results: {last and last['unexpected']}")
            failed = True
        elif last["growth_mb"] > args.limit_mb:
            print(f"[{p}] RSS grew {last['growth_mb']} MB (limit {args.limit_mb} MB)")
            failed = True
    minutes = (time.monotonic() - started) / 60
    print(
        f"soak {args.what}: {args.n:,} cases in {args.processes} process(es), {minutes:.1f} min: "
        + ("FAILED" if failed else "passed")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
