"""What every evaluator shares: the activation record, fact preparation and the hash check."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import attrs

from ..errors import EngineError
from ..facts.schema import Fact, FactCheckError, FactKind
from ..ruleset import RuleSet

__all__ = ["SENTINEL_KIND", "Activation", "EngineFacts", "Evaluator", "fnv1a32", "prepare_facts"]

#: The kind of the sentinel fact asserted before a case's facts (see durable.py).
SENTINEL_KIND = "__case__"
#: Largest number of facts one case may bring (well under the engine's per-session comfort zone).
MAX_FACTS = 2000

EngineFact = dict[str, int | bool | str]


@attrs.frozen(order=True)
class Activation:
    """Rule ``rule`` matched the fact with id ``fact``."""

    rule: str
    fact: str


#: Proof that a batch of facts went through :func:`prepare_facts` (see :class:`EngineFacts`).
_CHECKED = object()


@attrs.frozen
class EngineFacts:
    """A case's facts in engine form (checked), plus the originals by id.

    Only :func:`prepare_facts` makes these: evaluators refuse any other instance, so unchecked
    records (wrong types, too many properties, colliding ids) cannot reach the engine.
    """

    records: tuple[EngineFact, ...]
    by_id: dict[str, Fact]
    proof: object = attrs.field(default=None, repr=False)

    def require_checked(self) -> None:
        if self.proof is not _CHECKED:
            raise EngineError("facts must be prepared by negotiator.engine.prepare_facts")


class Evaluator(Protocol):
    name: str

    def evaluate(self, facts: EngineFacts) -> list[Activation]:
        """Every (rule, fact) match, sorted, without duplicates."""
        ...


def fnv1a32(text: str) -> int:
    """32-bit FNV-1a over UTF-8 bytes, as the engine computes it (bytes ≥ 0x80 sign-extended).

    The engine identifies property names, rule names, kinds and fact ids by this hash alone, so
    two different names with the same hash would be confused; tests assert there are none.

    >>> fnv1a32("kind")
    3641958979
    """
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        if b >= 128:
            b -= 256
        h = ((h ^ (b & 0xFFFFFFFF)) * 16777619) & 0xFFFFFFFF
    return h


def prepare_facts(facts: Iterable[Fact], kinds: dict[str, FactKind] | RuleSet) -> EngineFacts:
    """Check every fact against its kind and convert it to engine form.

    Raises :class:`FactCheckError` for an unknown kind, a field of the wrong type, a duplicate
    id, or an id whose hash collides with another id of the same case.
    """
    kind_map = kinds.kinds if isinstance(kinds, RuleSet) else kinds
    records: list[EngineFact] = []
    by_id: dict[str, Fact] = {}
    hashes: dict[int, str] = {fnv1a32("__s"): "__s"}
    for fact in facts:
        kind = kind_map.get(fact.kind)
        if kind is None:
            raise FactCheckError(f"unknown fact kind {fact.kind!r}")
        if not fact.id or not fact.id.isascii() or len(fact.id) > 64 or fact.id == "__s":
            raise FactCheckError(f"{fact.kind}: bad fact id {fact.id!r}")
        if fact.id in by_id:
            raise FactCheckError(f"duplicate fact id {fact.id!r}")
        h = fnv1a32(fact.id)
        if h in hashes:
            raise FactCheckError(f"fact ids {fact.id!r} and {hashes[h]!r} collide in the engine")
        hashes[h] = fact.id
        record: EngineFact = {"kind": fact.kind, "id": fact.id}
        record.update(kind.check(fact.values))
        records.append(record)
        by_id[fact.id] = fact
        if len(records) > MAX_FACTS:
            raise FactCheckError(f"a case may bring at most {MAX_FACTS} facts")
    return EngineFacts(records=tuple(records), by_id=by_id, proof=_CHECKED)


def sorted_unique(pairs: Iterable[tuple[str, str]]) -> list[Activation]:
    return sorted({Activation(r, f) for r, f in pairs})


def field_names(kinds: Sequence[FactKind]) -> set[str]:
    names = {"kind", "id", "sid"}
    for k in kinds:
        names.update(k.fields)
    return names
