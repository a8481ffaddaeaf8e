"""Field-level precision and recall of `negotiator extract` over the project's texts.

    python bench/bench_extract.py [-v] [--corpus | --heldout | --heldout-new | --all]

Each set is a folder of NNN_name.txt texts with their expected readings NNN_name.toml:

* ``--corpus`` (the default): tests/extract_corpus, the development corpus the patterns were
  built on (earlier held-out sets join it once they have been measured);
* ``--heldout``: tests/extract_heldout, the older held-out set — its misses were listed in
  docs/extraction.md and have since been read, so it no longer measures unseen wording;
* ``--heldout-new``: tests/extract_heldout_13, the newest held-out set, written with its
  expected readings before the extractor was first run on it and not used to tune the patterns;
* ``--all``: each of the three in turn.

Prints, per set, precision, recall and the time per text and, with -v, every difference."""

from __future__ import annotations

import sys
import time
import tomllib
from pathlib import Path

from negotiator.extract import extract_agreement, read_document
from negotiator.extract.score import flatten_expected, flatten_extraction, score

TESTS = Path(__file__).resolve().parent.parent / "tests"
SETS = {
    "--corpus": ("development corpus", "extract_corpus"),
    "--heldout": ("held-out, older set", "extract_heldout"),
    "--heldout-new": ("held-out, newest set", "extract_heldout_13"),
}


def measure(folder: Path, verbose: bool) -> tuple[int, int, int, int, float]:
    """(texts, correct, extracted, expected, seconds) over one folder."""
    correct = extracted = expected = 0
    elapsed = 0.0
    files = sorted(folder.glob("*.txt"))
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
    return len(files), correct, extracted, expected, elapsed


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    chosen = [flag for flag in SETS if flag in argv]
    if "--all" in argv:
        chosen = list(SETS)
    for flag in chosen or ["--corpus"]:
        title, folder = SETS[flag]
        texts, correct, extracted, expected, elapsed = measure(TESTS / folder, verbose)
        precision = correct / extracted if extracted else 1.0
        recall = correct / expected if expected else 1.0
        print(f"{title} ({folder}): texts: {texts}  fields expected: {expected}  ", end="")
        print(f"extracted: {extracted}  correct: {correct}")
        print(f"    precision: {precision:.1%}  recall: {recall:.1%}  ", end="")
        print(f"time: {1000 * elapsed / max(1, texts):.1f} ms per text (read + extract)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
