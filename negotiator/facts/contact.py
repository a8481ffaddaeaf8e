"""Collection-contact facts (one per recorded contact)."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from .schema import Fact, FactKind

__all__ = ["KINDS", "derive"]

KINDS: tuple[FactKind, ...] = ()


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    return iter(())
