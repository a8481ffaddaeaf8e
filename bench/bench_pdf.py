"""Printing letters: every document kind of every example case as HTML, DOCX and PDF.

For each kind the letter is rendered from an existing evaluation (so the figures are what the
format costs, not the analysis), ROUNDS times; the table gives the median wall time per
document in each format, the PDF's pages and size, and the pages per letter (a per-lender kind
writes one letter per owed loan).  The first PDF of a process also pays for loading the fonts:
that cold figure is printed separately.

    python bench/bench_pdf.py [ROUNDS]      # default: 3
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import machine, print_table

from negotiator.api import evaluate
from negotiator.case.load import load_case
from negotiator.documents.kinds import LETTER_KINDS
from negotiator.documents.letters import render_letter
from negotiator.errors import InputError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _median_ms(fn: Any, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str]) -> int:
    import pypdf

    rounds = int(argv[1]) if len(argv) > 1 else 3
    examples = sorted(EXAMPLES.glob("*.toml"))
    cases = [load_case(p) for p in examples]
    evaluated = [(case, evaluate(case)) for case in cases]
    case, ev = evaluated[0]
    start = time.perf_counter()
    render_letter("hardship_statement", case, fmt="pdf", evaluation=ev)
    cold = (time.perf_counter() - start) * 1000
    print(f"machine: {machine()}")
    print(f"first PDF of the process (fonts loaded): {cold:,.0f} ms")
    rows = []
    totals: dict[str, list[float]] = {"html": [], "docx": [], "pdf": []}
    for kind in LETTER_KINDS:
        per_format: dict[str, list[float]] = {"html": [], "docx": [], "pdf": []}
        pages: list[int] = []
        per_letter: list[float] = []
        sizes: list[int] = []
        for case, ev in evaluated:
            try:
                html = render_letter(kind, case, fmt="html", evaluation=ev)
            except InputError:
                continue  # the kind is refused for this case
            for fmt in per_format:
                per_format[fmt].append(
                    _median_ms(
                        lambda kind=kind, fmt=fmt, case=case, ev=ev: render_letter(
                            kind, case, fmt=fmt, evaluation=ev
                        ),
                        rounds,
                    )
                )
            pdf = render_letter(kind, case, fmt="pdf", evaluation=ev)
            assert isinstance(pdf, bytes)
            count = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
            pages.append(count)
            per_letter.append(count / max(1, html.count("<article")))
            sizes.append(len(pdf))
        for fmt, values in per_format.items():
            totals[fmt].extend(values)
        rows.append(
            [
                kind,
                str(len(pages)),
                f"{statistics.median(per_format['html']):,.0f}",
                f"{statistics.median(per_format['docx']):,.0f}",
                f"{statistics.median(per_format['pdf']):,.0f}",
                f"{max(per_format['pdf']):,.0f}",
                f"{min(pages)}–{max(pages)}",
                f"{max(per_letter):.1f}",
                f"{statistics.median(sizes) / 1024:,.0f}",
            ]
        )
    header = ("kind", "cases", "html ms", "docx ms", "pdf ms", "pdf max ms", "pages")
    print_table(rows, (*header, "pages/letter max", "pdf kB"))
    print(
        "all kinds, median ms per document: "
        + ", ".join(f"{fmt} {statistics.median(v):,.0f}" for fmt, v in totals.items())
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
