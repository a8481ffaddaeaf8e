"""Facts: the flat, typed records the rules judge, projected from a case's analysis.

Each module here owns one family of fact kinds and a ``derive`` function that turns the
analysis into facts of those kinds.  This is the one place where domain values become engine
values (through :meth:`negotiator.facts.schema.FactKind.check`).

Facts come in two passes (docs/engine.md): :func:`derive_facts` projects the analysis for the
first evaluation; :func:`derive_complaints` builds the ``complaint`` facts from the findings of
that evaluation, for the second.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

from ..analysis import CaseAnalysis
from . import agreement, case, checklist, complaint, contact, lawsuit, loan, scam, strategy
from .complaint import Grounds
from .schema import Fact, FactKind

__all__ = [
    "COMPLAINT_KIND",
    "KINDS",
    "Fact",
    "FactKind",
    "Grounds",
    "derive_complaints",
    "derive_facts",
]

_MODULES = (case, loan, contact, agreement, checklist, strategy, scam, lawsuit)

KINDS: Mapping[str, FactKind] = {k.name: k for m in (*_MODULES, complaint) for k in m.KINDS}

#: The kind of the second pass's facts.
COMPLAINT_KIND = complaint.COMPLAINT.name

_Deriver = Callable[[CaseAnalysis], Iterable[Fact]]

#: Each family's deriver with the kinds it produces.
_DERIVERS: tuple[tuple[frozenset[str], _Deriver], ...] = tuple(
    (frozenset(k.name for k in m.KINDS), m.derive) for m in _MODULES
)


def derive_facts(analysis: CaseAnalysis, kinds: Collection[str] | None = None) -> list[Fact]:
    """Every fact of a case for the first evaluation, in a stable order.

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


def derive_complaints(analysis: CaseAnalysis, grounds: Iterable[Grounds]) -> list[Fact]:
    """The ``complaint`` facts, from the findings of the first evaluation that are grounds for
    a complaint; empty when there are none."""
    return list(complaint.derive(analysis, grounds))
