"""Facts: the flat, typed records the rules judge, projected from a case's analysis.

Each module here owns one family of fact kinds and a ``derive`` function that turns the
analysis into facts of those kinds.  This is the one place where domain values become engine
values (through :meth:`negotiator.facts.schema.FactKind.check`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

from ..analysis import CaseAnalysis
from . import agreement, case, checklist, contact, lawsuit, loan, scam, strategy
from .schema import Fact, FactKind

__all__ = ["KINDS", "Fact", "FactKind", "derive_facts"]

_MODULES = (case, loan, contact, agreement, checklist, strategy, scam, lawsuit)

KINDS: Mapping[str, FactKind] = {k.name: k for m in _MODULES for k in m.KINDS}

_Deriver = Callable[[CaseAnalysis], Iterable[Fact]]

#: Each family's deriver with the kinds it produces.
_DERIVERS: tuple[tuple[frozenset[str], _Deriver], ...] = tuple(
    (frozenset(k.name for k in m.KINDS), m.derive) for m in _MODULES
)


def derive_facts(analysis: CaseAnalysis, kinds: Collection[str] | None = None) -> list[Fact]:
    """Every fact of a case, in a stable order.

    With ``kinds`` (e.g. the kinds a rule set reads, ``RuleSet.reads``), only the families
    that produce one of those kinds are derived: an agreement check, whose rules read five
    kinds, skips the checklist, strategy, lawsuit and case facts.  A family is derived whole,
    so a few facts of kinds outside ``kinds`` may still be returned.
    """
    out: list[Fact] = []
    for produced, derive in _DERIVERS:
        if kinds is None or not produced.isdisjoint(kinds):
            out.extend(derive(analysis))
    return out
