"""The hostile-input classes of bench/attacks.py through the real ``negotiator`` binary.

Every input is written to a file and run as ``negotiator advise FILE --json`` (and, for every
fourth input, ``negotiator letter negotiation_request FILE --format docx -o OUT``) in a child
process with a time limit and a memory watch (peak RSS from ``wait4``).  Prints, per class, the
inputs tried and the outcomes: doc-err / ok / internal / hang / memory / signal / traceback.

    python bench/bench_attacks.py [PER_CLASS] [SECONDS] [SEED]
    # default: 40 inputs per class, 30 s limit, seed 1
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from attacks import ATTACKS

MEMORY_LIMIT_KB = 2_000_000
OUTCOMES = ("doc-err", "ok", "internal", "hang", "memory", "signal", "traceback")


def _binary() -> list[str]:
    found = shutil.which("negotiator", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "negotiator.cli"]


def run_one(argv: list[str], seconds: float) -> tuple[str, float, int]:
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = started + seconds
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            _pid, status, usage = os.wait4(proc.pid, 0)
            return "hang", time.monotonic() - started, usage.ru_maxrss
        time.sleep(0.01)
    err = proc.stderr.read() if proc.stderr else b""
    elapsed = time.monotonic() - started
    rss = usage.ru_maxrss
    if os.WIFSIGNALED(status):
        return "signal", elapsed, rss
    code = os.WEXITSTATUS(status)
    if b"Traceback" in err:
        outcome = "traceback"
    elif code == 70:
        outcome = "internal"
    elif code == 2 and err.count(b"\n") <= 1:
        outcome = "doc-err"
    elif code in (0, 1):
        outcome = "ok"
    else:
        outcome = "internal"
    if rss > MEMORY_LIMIT_KB:
        outcome = "memory"
    return outcome, elapsed, rss


def main() -> None:
    per_class = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30.0
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(seed)
    binary = _binary()
    work = Path(tempfile.mkdtemp(prefix="attacks-"))
    print(
        f"{per_class} inputs per class, {seconds:g} s limit, seed {seed}, {sys.version.split()[0]}"
    )
    print(f"| class | runs | {' | '.join(OUTCOMES)} | slowest s | peak RSS MB |")
    print("|---|---|" + "---|" * (len(OUTCOMES) + 2))
    try:
        for name, attack in ATTACKS.items():
            counts = dict.fromkeys(OUTCOMES, 0)
            slowest = peak = 0.0
            runs = 0
            for i, (label, data) in enumerate(attack(rng, per_class)):
                path = work / f"{label}.case"
                path.write_bytes(data)
                commands = [[*binary, "advise", str(path), "--json"]]
                if i % 4 == 0:
                    commands.append(
                        [
                            *binary,
                            "letter",
                            "negotiation_request",
                            str(path),
                            "--format",
                            "docx",
                            "-o",
                            str(work / "out.docx"),
                        ]
                    )
                for argv in commands:
                    outcome, elapsed, rss = run_one(argv, seconds)
                    counts[outcome] += 1
                    runs += 1
                    slowest = max(slowest, elapsed)
                    peak = max(peak, rss / 1024)
                path.unlink()
            cells = " | ".join(str(counts[o]) for o in OUTCOMES)
            print(f"| {name} | {runs} | {cells} | {slowest:.2f} | {peak:.0f} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
