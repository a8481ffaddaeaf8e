"""Start-up: ``import negotiator``, ``negotiator --version`` and ``--help``, in fresh processes.

Every sample is a new interpreter, so nothing is cached in memory (the OS file cache is warm
after the first run, as it is for a real user).  The interpreter's own start-up is measured
too (``python -c pass``) and subtracted for the import figure.

    python bench/bench_startup.py [N]          # default 20 runs each
    python bench/bench_startup.py 5 --importtime   # also list the slowest imports
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time

from common import machine


def run(cmd: list[str], n: int) -> list[float]:
    out = []
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="")  # use the .pyc cache like a real install
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def importtime(module: str) -> list[tuple[int, str]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        rows.append((int(cumulative), name.rstrip()))
    return rows


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 20
    print(f"machine: {machine()}")
    py = sys.executable
    cli = shutil.which("negotiator", path=os.path.dirname(py)) or shutil.which("negotiator")
    run([py, "-c", "import negotiator"], 2)  # warm the file cache and the .pyc files
    bare = run([py, "-c", "pass"], n)
    imp = run([py, "-c", "import negotiator"], n)
    api = run([py, "-c", "import negotiator.api"], n)
    rows = [
        ("python -c pass", bare),
        ("python -c 'import negotiator'", imp),
        ("python -c 'import negotiator.api'", api),
    ]
    if cli:
        run([cli, "--version"], 2)
        rows.append(("negotiator --version", run([cli, "--version"], n)))
        rows.append(("negotiator --help", run([cli, "--help"], n)))
    for name, samples in rows:
        print(f"{name:36} median {statistics.median(samples):7.1f} ms   min {min(samples):7.1f} ms")
    print(
        f"import negotiator, interpreter start-up subtracted (medians): "
        f"{statistics.median(imp) - statistics.median(bare):.1f} ms"
    )
    if "--importtime" in argv:
        for module in ("negotiator", "negotiator.api"):
            rows_ = sorted(importtime(module), reverse=True)
            print(f"\nslowest imports under `import {module}` (cumulative µs):")
            for us, name in rows_[:15]:
                print(f"  {us:9,d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
