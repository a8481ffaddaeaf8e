"""Rendering one letter: ``render_letter("negotiation_request", case)`` as text.

Two figures are timed on the same cases:

* the whole ``render_letter(kind, case)``, which evaluates the case itself (the letter needs
  the analysis and the findings);
* rendering the letter from an existing evaluation, ``render_letter(kind, case,
  evaluation=ev)`` with ``ev = evaluate(case)`` made beforehand: what rendering the document
  costs a caller who has already advised (an app showing the report, then the letters);
* the same for a single letter: ``loan=`` the case's first loan, so the document holds the
  letter to one lender (a per-lender kind otherwise writes one letter per owed loan, about
  2.7 for the corpus).

``negotiator.api.evaluate`` is timed alone too, so the two can be checked against each other.
Other kinds and formats can be chosen.

    python bench/bench_letter.py [N_CASES] [ROUNDS] [KIND] [FORMAT]
    # default: 300 cases, 3 rounds, negotiation_request, text
"""

from __future__ import annotations

import sys
from typing import Any

from common import both, corpus_cases, machine, per_call, print_table

from negotiator.api import evaluate
from negotiator.case.load import load_case
from negotiator.documents.kinds import FORMATS, LETTER_KINDS
from negotiator.documents.letters import render_letter
from negotiator.errors import InputError


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 300
    rounds = int(argv[2]) if len(argv) > 2 else 3
    kind = argv[3] if len(argv) > 3 else "negotiation_request"
    fmt = argv[4] if len(argv) > 4 else "text"
    if kind not in LETTER_KINDS:
        print(f"unknown kind {kind!r}; one of {', '.join(LETTER_KINDS)}", file=sys.stderr)
        return 2
    if fmt not in FORMATS:
        print(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    cases = []
    evaluated = []
    single: list[tuple[Any, Any, str]] = []
    refused = 0
    for c in corpus_cases(n):
        case = load_case(c)
        try:
            whole = render_letter(kind, case, fmt=fmt)  # also the warm-up
        except InputError:
            refused += 1  # e.g. a payment instruction the letters refuse to restate
            continue
        ev = evaluate(case)
        if render_letter(kind, case, fmt=fmt, evaluation=ev) != whole:
            print("rendering from the evaluation gave another letter", file=sys.stderr)
            return 1
        cases.append(case)
        evaluated.append((case, ev))
        try:
            render_letter(kind, case, fmt=fmt, evaluation=ev, loan=case.loans[0].id)
            single.append((case, ev, case.loans[0].id))
        except InputError:
            pass  # this kind takes no loan, or the first loan is not one it writes to
    print(f"machine: {machine()}")
    print(f"{kind} as {fmt}: {len(cases)} cases ({refused} refused by the letter's safety rules)")

    def letter(case: Any) -> object:
        return render_letter(kind, case, fmt=fmt)

    def from_evaluation(pair: Any) -> object:
        case, ev = pair
        return render_letter(kind, case, fmt=fmt, evaluation=ev)

    rows = both(f"render_letter({kind}, case)", per_call(letter, cases, rounds))
    rows += both(
        "… from an evaluation (evaluation=ev)", per_call(from_evaluation, evaluated, rounds)
    )
    rows += both("evaluate(case) alone", per_call(evaluate, cases, rounds))

    def one_letter(triple: Any) -> object:
        case, ev, loan = triple
        return render_letter(kind, case, fmt=fmt, evaluation=ev, loan=loan)

    if single:
        rows += both(
            f"… one letter (loan=, {len(single)} cases), from an evaluation",
            per_call(one_letter, single, rounds),
        )
    print_table([s.row() for s in rows])
    share = rows[0].median - rows[4].median
    print(
        f"whole letter minus evaluate (wall medians): {share:,.1f} µs; "
        f"from an evaluation: {rows[2].median:,.1f} µs median, {rows[2].p99:,.1f} µs p99"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
