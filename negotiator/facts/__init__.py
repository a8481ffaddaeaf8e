"""Facts: the flat, typed records the rules judge, projected from a case's analysis.

Each module here owns one family of fact kinds and a ``derive`` function that turns the
analysis into facts of those kinds.  This is the one place where domain values become engine
values (through :meth:`negotiator.facts.schema.FactKind.check`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ..analysis import CaseAnalysis
from . import agreement, case, checklist, contact, lawsuit, loan, scam, strategy
from .schema import Fact, FactKind

__all__ = ["KINDS", "Fact", "FactKind", "derive_facts"]

_MODULES = (case, loan, contact, agreement, checklist, strategy, scam, lawsuit)

KINDS: Mapping[str, FactKind] = {k.name: k for m in _MODULES for k in m.KINDS}

_DERIVERS: tuple[Callable[[CaseAnalysis], Iterable[Fact]], ...] = tuple(m.derive for m in _MODULES)


def derive_facts(analysis: CaseAnalysis) -> list[Fact]:
    """Every fact of a case, in a stable order."""
    out: list[Fact] = []
    for derive in _DERIVERS:
        out.extend(derive(analysis))
    return out
