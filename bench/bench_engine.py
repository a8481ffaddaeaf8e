"""Engine evaluation of a typical case: durable-rules against the plain-Python oracle.

Both evaluators get the very same prepared facts (``EngineFacts``) of the same corpus cases, in
the same run, alternately, so the ratio is not skewed by the machine's mood.  Before timing,
the two are checked to agree on every case.

    python bench/bench_engine.py [N_CASES] [ROUNDS] [--no-tune] [--breakdown]
    # default 2000 cases, 5 rounds; --breakdown also times each step of an evaluation

The process raises glibc's allocation thresholds first (``tune_allocator``), as the batch
workers do; ``--no-tune`` keeps glibc's defaults, under which the engine's per-session memory
is returned to the system and faulted in again for every case when nothing else allocates in
between (docs/performance.md).
"""

from __future__ import annotations

import statistics
import sys
import time

from common import both, corpus_cases, machine, per_call, print_table

from negotiator.analysis import analyse
from negotiator.case.load import load_case
from negotiator.engine import EngineFacts, prepare_facts
from negotiator.engine.durable import DurableEvaluator, tune_allocator
from negotiator.engine.oracle import OracleEvaluator
from negotiator.facts import derive_facts
from negotiator.ruleset.loader import load_rules


def breakdown(durable: DurableEvaluator, prepared: list[EngineFacts]) -> None:
    """Time each step of one evaluation, as ``DurableEvaluator.evaluate`` performs them.

    This reaches into the evaluator's internals (a benchmark may): the same calls, in the same
    order, each between two reads of ``perf_counter`` (reading the thread CPU clock is a system
    call on some virtual machines and would distort steps this short).
    """
    import durable_rules_engine as dre

    from negotiator.engine.durable import _SENTINEL

    handle = durable._handle
    clock = time.perf_counter_ns
    names = [
        "build and encode the batch",
        "sentinel assert (creates the session)",
        "drain the sentinel",
        "assert_facts (parse and match)",
        "drain the activations",
        "delete_state",
        "sort",
    ]
    steps: list[list[float]] = [[] for _ in names]
    for k, facts in enumerate(prepared * 3):
        sid = f"b{k}"
        t = [clock()]
        payload = durable._batch(sid, facts)
        t.append(clock())
        _rc, state = dre.assert_fact(handle, _SENTINEL % sid)
        t.append(clock())
        fired: set[tuple[str, str]] = set()
        durable._drain(state, fired)
        t.append(clock())
        _rc, state = dre.assert_facts(handle, payload)
        t.append(clock())
        durable._drain(state, fired)
        t.append(clock())
        dre.delete_state(handle, sid)
        t.append(clock())
        sorted(fired)
        t.append(clock())
        for i in range(len(names)):
            steps[i].append((t[i + 1] - t[i]) / 1000)
    total = sum(statistics.median(x) for x in steps)
    rows = [
        [name, f"{statistics.median(x):,.1f}", f"{statistics.median(x) / total:.0%}"]
        for name, x in zip(names, steps, strict=True)
    ]
    print("\nsteps of one evaluation (median µs):")
    print_table([*rows, ["sum", f"{total:,.1f}", ""]], header=("step", "µs", "share"))


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 2000
    rounds = int(args[1]) if len(args) > 1 else 5
    rules = load_rules()
    tuned = "--no-tune" not in argv and tune_allocator(len(rules.rules) + 1)
    prepared = [prepare_facts(derive_facts(analyse(load_case(c))), rules) for c in corpus_cases(n)]
    durable = DurableEvaluator(rules)
    oracle = OracleEvaluator(rules)
    for facts in prepared:
        if durable.evaluate(facts) != oracle.evaluate(facts):
            print("MISMATCH between durable-rules and the oracle", file=sys.stderr)
            return 1
    facts_per_case = statistics.fmean(len(f.records) for f in prepared)
    fields_per_fact = statistics.fmean(len(r) for f in prepared for r in f.records)
    activations = statistics.fmean(len(oracle.evaluate(f)) for f in prepared)
    print(f"machine: {machine()}")
    print(f"allocator thresholds raised (tune_allocator): {'yes' if tuned else 'no'}")
    print(
        f"{n} cases, {len(rules.rules)} rules; per case {facts_per_case:.1f} facts "
        f"({fields_per_fact:.1f} fields each), {activations:.1f} activations"
    )
    per_call(durable.evaluate, prepared[:200], rounds=1)  # warm-up
    per_call(oracle.evaluate, prepared[:200], rounds=1)
    d_wall: list[float] = []
    d_cpu: list[float] = []
    o_wall: list[float] = []
    o_cpu: list[float] = []
    for _ in range(rounds):  # alternate, so both see the same machine
        w, c = per_call(durable.evaluate, prepared, rounds=1)
        d_wall += w
        d_cpu += c
        w, c = per_call(oracle.evaluate, prepared, rounds=1)
        o_wall += w
        o_cpu += c
    d = both("durable-rules", (d_wall, d_cpu))
    o = both("oracle", (o_wall, o_cpu))
    print_table([d[0].row(), o[0].row(), d[1].row(), o[1].row()])
    print(
        f"ratio durable/oracle (median): {d[0].median / o[0].median:.2f}x wall, "
        f"{d[1].median / o[1].median:.2f}x CPU"
    )
    print(f"durable throughput: {1e6 / d[0].mean:,.0f} cases/s per core")
    if "--breakdown" in argv:
        breakdown(durable, prepared)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
