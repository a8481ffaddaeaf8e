"""Field-level precision and recall of `negotiator extract` over the project's corpus
(tests/extract_corpus: each NNN_name.txt with its expected reading NNN_name.toml).

    python bench/bench_extract.py [-v] [--heldout]

Prints precision, recall, the time per text and, with -v, every difference.  --heldout reads
tests/extract_heldout instead: texts written after the patterns were settled and never used
to tune them, so its figures say how the extractor does on phrasings it has not seen."""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

from negotiator.extract import extract_agreement, read_document
from negotiator.extract.score import flatten_expected, flatten_extraction, score

TESTS = Path(__file__).resolve().parent.parent / "tests"


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    corpus = TESTS / ("extract_heldout" if "--heldout" in argv else "extract_corpus")
    correct = extracted = expected = 0
    elapsed = 0.0
    files = sorted(corpus.glob("*.txt"))
    for path in files:
        want = flatten_expected(tomllib.loads(path.with_suffix(".toml").read_text("utf-8")))
        start = time.perf_counter()
        ex = extract_agreement(read_document(path.read_bytes()))
        elapsed += time.perf_counter() - start
        c, e, w, diffs = score(flatten_extraction(ex), want)
        correct, extracted, expected = correct + c, extracted + e, expected + w
        if verbose and diffs:
            print(path.name)
            for d in diffs:
                print("   ", d)
    precision = correct / extracted if extracted else 1.0
    recall = correct / expected if expected else 1.0
    print(
        f"texts: {len(files)}  fields expected: {expected}  extracted: {extracted}  "
        f"correct: {correct}"
    )
    print(f"precision: {precision:.1%}  recall: {recall:.1%}")
    print(f"time: {1000 * elapsed / max(1, len(files)):.1f} ms per text (read + extract)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
