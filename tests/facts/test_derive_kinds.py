"""Deriving only the kinds a rule set reads gives exactly those facts of the full derivation."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiator.analysis import analyse
from negotiator.api import check_rules
from negotiator.case.load import load_case
from negotiator.facts import derive_facts
from negotiator.ruleset.loader import load_rules

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_kinds_a_check_reads_are_derived_as_in_full(path: Path) -> None:
    analysis = analyse(load_case(path))
    reads = check_rules(load_rules()).reads
    every = derive_facts(analysis)
    some = derive_facts(analysis, reads)
    assert [f for f in every if f.kind in reads] == [f for f in some if f.kind in reads]
    assert {f.kind for f in some} < {f.kind for f in every}  # some families are skipped
    assert all(f in every for f in some)


def test_no_kinds_derives_nothing_and_every_kind_derives_everything() -> None:
    analysis = analyse(load_case(EXAMPLES[0]))
    every = derive_facts(analysis)
    assert derive_facts(analysis, ()) == []
    assert derive_facts(analysis, {f.kind for f in every}) == every
