"""The whole advise path, from a validated case to its report, and the agreement check.

Cases are loaded and validated before timing (``load_case``); what is timed is
``negotiator.advise(case)`` and ``negotiator.check(case)`` as an application calls them, with
the durable-rules evaluator.  A breakdown then times each stage of the pipeline on its own
(the same calls ``negotiator.api.evaluate`` makes), to show where the time goes.

    python bench/bench_advise.py [N_CASES] [ROUNDS] [--no-tune]   # default 1000 cases, 3 rounds

``--no-tune`` keeps glibc's default allocator settings, as a library caller that never calls
``tune_allocator`` has them.
"""

from __future__ import annotations

import sys
from typing import Any

from common import both, corpus_cases, corpus_lines, machine, per_call, print_table

from negotiator.analysis import analyse
from negotiator.analysis.figures import figures
from negotiator.api import advise, check, complaint_grounds, complaint_rules
from negotiator.case.load import load_case
from negotiator.engine import default_evaluator, new_evaluator, prepare_facts
from negotiator.engine.durable import tune_allocator
from negotiator.facts import derive_complaints, derive_facts
from negotiator.findings import build_findings
from negotiator.ruleset.loader import load_rules


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 1000
    rounds = int(args[1]) if len(args) > 1 else 3
    lines = corpus_lines(n)
    cases = [load_case(c) for c in corpus_cases(n)]
    rules = load_rules()
    # as the batch workers do (docs/performance.md); --no-tune: as a library caller gets it
    tuned = "--no-tune" not in argv and tune_allocator(len(rules.rules) + 1)
    engine = default_evaluator("durable")
    print(f"machine: {machine()}")
    print(f"{n} cases, {len(rules.rules)} rules, {rounds} rounds")
    print(f"allocator thresholds raised (tune_allocator): {'yes' if tuned else 'no'}")

    per_call(advise, cases[:100], rounds=1)  # warm-up: caches, templates, the engine
    rows = []
    advise_stats = both("advise(case)", per_call(advise, cases, rounds))
    check_stats = both("check(case)", per_call(check, cases, rounds))
    rows += [s.row() for s in advise_stats + check_stats]
    # A report's figures are computed when first read (analysis.figures.FigureParts); the JSON
    # reads them all, so the whole path of `--json` and of a batch line is timed too.
    rows += [
        s.row()
        for s in both("advise(case).to_json()", per_call(lambda c: advise(c).to_json(), cases, 1))
        + both("check(case).to_json()", per_call(lambda c: check(c).to_json(), cases, 1))
    ]
    rows += [s.row() for s in both("load_case(json line)", per_call(load_case, lines, 1))]
    reports = [advise(c) for c in cases[:200]]
    for r in reports:
        dict(r.figures)  # computed here, so the next row times the serialisation alone
    rows += [s.row() for s in both("report.to_json()", per_call(lambda r: r.to_json(), reports, 1))]
    print_table(rows)

    # Stage by stage (durable evaluator, zh-Hans).
    analyses = [analyse(c) for c in cases]
    derived = [derive_facts(a) for a in analyses]
    prepared = [prepare_facts(d, rules) for d in derived]
    activations = [engine.evaluate(p) for p in prepared]
    # the second pass (docs/engine.md, "Two passes"): complaint facts from the findings, the
    # complaint rules' own small evaluator; timed over the cases that run it
    first = [
        build_findings(rules, activations[i], prepared[i], "zh-Hans") for i in range(n)
    ]
    grounds = [complaint_grounds(rules, found) for found in first]
    second_rules = complaint_rules(rules)
    second_engine = new_evaluator(second_rules, "durable")

    def second_pass(i: int) -> Any:
        complaints = derive_complaints(analyses[i], grounds[i])
        if not complaints:
            return None
        facts = prepare_facts(complaints, second_rules)
        return build_findings(second_rules, second_engine.evaluate(facts), facts, "zh-Hans")

    running = [i for i in range(n) if derive_complaints(analyses[i], grounds[i])]
    print(f"\n{len(running)} of {n} cases run the second (complaint) pass")
    stages: list[tuple[str, Any, list[Any]]] = [
        ("analyse", analyse, cases),
        ("derive_facts", derive_facts, analyses),
        ("prepare_facts", lambda d: prepare_facts(d, rules), derived),
        ("engine.evaluate", engine.evaluate, prepared),
        (
            "build_findings",
            lambda i: build_findings(rules, activations[i], prepared[i], "zh-Hans"),
            list(range(n)),
        ),
        ("complaint pass, when run", second_pass, running),
        ("figures", figures, analyses),
    ]
    print("\nstages of advise (wall, median µs):")
    total = 0.0
    stage_rows = []
    for name, fn, args in stages:
        wall, cpu = both(name, per_call(fn, args, 1))
        total += wall.median
        stage_rows.append([name, f"{wall.median:,.1f}", f"{cpu.median:,.1f}"])
    print_table(stage_rows, header=("stage", "wall µs", "CPU µs"))
    print(f"sum of stage medians: {total:,.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
