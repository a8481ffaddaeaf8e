"""A steady workload to profile: run it under a sampling profiler and read where time goes.

    python bench/profile_loop.py WHAT [SECONDS] [N_CASES]
    # WHAT: engine | advise | check | letter; default 20 s over 300 corpus cases

    # native and Python frames together (py-spy: pip install py-spy), then summarised:
    py-spy record --native -r 500 -f raw -o /tmp/engine.raw -- python bench/profile_loop.py engine
    python bench/spy_summary.py /tmp/engine.raw DurableEvaluator.evaluate

    # Python frames only, as a call tree (pyinstrument: pip install pyinstrument):
    python bench/profile_loop.py advise 10 --pyinstrument

The cases are prepared before the loop starts (for ``engine``: their facts), so the profile
shows only the step named.  ``letter`` renders one ``negotiation_request`` letter (text, to the
case's first lender) from an earlier evaluation, as a caller that has already advised does.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from common import corpus_cases

from negotiator.analysis import analyse
from negotiator.api import advise, check, evaluate
from negotiator.case.load import load_case
from negotiator.documents.letters import render_letter
from negotiator.engine import prepare_facts
from negotiator.engine.durable import DurableEvaluator, tune_allocator
from negotiator.facts import derive_facts
from negotiator.ruleset.loader import load_rules


def workload(what: str, n: int) -> tuple[Callable[[Any], Any], list[Any]]:
    cases = [load_case(c) for c in corpus_cases(n)]
    if what == "engine":
        rules = load_rules()
        tune_allocator(len(rules.rules) + 1)
        engine = DurableEvaluator(rules)
        return engine.evaluate, [prepare_facts(derive_facts(analyse(c)), rules) for c in cases]
    if what == "advise":
        return advise, cases
    if what == "check":
        return check, cases
    if what == "letter":
        pairs = [(c, evaluate(c)) for c in cases]

        def letter(pair: tuple[Any, Any]) -> object:
            case, ev = pair
            return render_letter("negotiation_request", case, evaluation=ev, loan=case.loans[0].id)

        return letter, pairs
    raise SystemExit(f"unknown workload {what!r}: engine, advise, check or letter")


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    if not args:
        print(__doc__)
        return 2
    seconds = float(args[1]) if len(args) > 1 else 20.0
    fn, items = workload(args[0], int(args[2]) if len(args) > 2 else 300)
    profiler = None
    if "--pyinstrument" in argv:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
    calls = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for item in items:
            fn(item)
        calls += len(items)
    elapsed = time.perf_counter() - start
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{args[0]}: {calls:,} calls in {elapsed:.1f} s, {elapsed / calls * 1e6:,.0f} µs a call")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
