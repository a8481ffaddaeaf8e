"""Summarise a py-spy ``--format raw`` profile (collapsed stacks): where the time goes.

    python bench/spy_summary.py PROFILE.raw [FRAME]

Only samples whose stack passes through a frame whose name contains ``FRAME`` count (default:
all).  Prints the functions that were running (leaf, "self" time) and the share of samples
under each of the best-known frames of the engine's native code and of negotiator's steps.
"""

from __future__ import annotations

import collections
import sys

WATCH = (
    "createStateNode",
    "deleteStateNode",
    "handleMessages",
    "serializeResult",
    "getNextResultInState",
    "malloc",
    "free",
    "DurableEvaluator._batch",
    "DurableEvaluator._drain",
    "_activation",
    "analyse",
    "derive_facts",
    "prepare_facts",
    "build_findings",
    "figures",
)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    within = argv[2] if len(argv) > 2 else ""
    leaf: collections.Counter[str] = collections.Counter()
    under: collections.Counter[str] = collections.Counter()
    total = 0
    with open(argv[1], encoding="utf-8") as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            frames = [fr.split(" (")[0] for fr in stack.split(";")]
            if within and not any(within in fr for fr in frames):
                continue
            n = int(count)
            total += n
            leaf[frames[-1]] += n
            for name in set(frames):
                under[name] += n
    if not total:
        print("no samples matched")
        return 1
    print(f"{total:,} samples" + (f" under {within}" if within else ""))
    print("\nrunning (self):")
    for name, n in leaf.most_common(15):
        print(f"  {n / total:6.1%}  {name}")
    print("\nunder (inclusive):")
    for name in WATCH:
        n = sum(v for k, v in under.items() if k == name or k.endswith("." + name))
        if n:
            print(f"  {n / total:6.1%}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
