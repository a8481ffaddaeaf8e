"""Rendering one letter: ``render_letter("negotiation_request", case)`` as text.

``render_letter`` evaluates the case itself (it needs the analysis and the findings), so the
figure includes one evaluation; ``negotiator.api.evaluate`` is timed on the same cases so the
share of the templates can be read off.  Other kinds and formats can be chosen.

    python bench/bench_letter.py [N_CASES] [ROUNDS] [KIND] [FORMAT]
    # default: 300 cases, 3 rounds, negotiation_request, text
"""

from __future__ import annotations

import sys

from common import both, corpus_cases, machine, per_call, print_table

from negotiator.api import evaluate
from negotiator.errors import InputError
from negotiator.letters import LETTER_KINDS, render_letter
from negotiator.load import load_case


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 300
    rounds = int(argv[2]) if len(argv) > 2 else 3
    kind = argv[3] if len(argv) > 3 else "negotiation_request"
    fmt = argv[4] if len(argv) > 4 else "text"
    if kind not in LETTER_KINDS:
        print(f"unknown kind {kind!r}; one of {', '.join(LETTER_KINDS)}", file=sys.stderr)
        return 2
    cases = []
    refused = 0
    for c in corpus_cases(n):
        case = load_case(c)
        try:
            render_letter(kind, case, fmt=fmt)  # also the warm-up
        except InputError:
            refused += 1  # e.g. a payment instruction the letters refuse to restate
            continue
        cases.append(case)
    print(f"machine: {machine()}")
    print(f"{kind} as {fmt}: {len(cases)} cases ({refused} refused by the letter's safety rules)")

    def letter(case: object) -> object:
        return render_letter(kind, case, fmt=fmt)  # type: ignore[arg-type]

    rows = both(f"render_letter({kind})", per_call(letter, cases, rounds))
    rows += both("evaluate(case) alone", per_call(evaluate, cases, rounds))
    print_table([s.row() for s in rows])
    share = rows[0].median - rows[2].median
    print(f"templates and context, by difference (wall median): {share:,.1f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
