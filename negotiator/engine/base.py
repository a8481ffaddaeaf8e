"""What every evaluator shares: the activation record, fact preparation and the hash check."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Literal, NamedTuple, Protocol, TypeAlias, get_args

import attrs

from ..errors import EngineError
from ..facts.schema import WORD, Fact, FactCheckError, FactKind
from ..ruleset.loader import RuleSet

__all__ = [
    "EVALUATORS",
    "SENTINEL_KIND",
    "Activation",
    "EngineFacts",
    "Evaluator",
    "EvaluatorName",
    "fields_read",
    "fnv1a32",
    "prepare_facts",
]

#: The kind of the sentinel fact asserted before a case's facts (see durable.py).
SENTINEL_KIND = "__case__"
#: Largest number of facts one case may bring (well under the engine's per-session comfort zone).
MAX_FACTS = 2000

EngineFact = dict[str, int | bool | str]


class Activation(NamedTuple):
    """Rule ``rule`` matched the fact with id ``fact``.

    A named tuple rather than an attrs class: an evaluation makes dozens of these, and tuples
    are built and sorted in C.
    """

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
    #: The rule set's :func:`fields_read` when the records hold only what its rules read
    #: (``prepare_facts`` given a rule set); ``None`` when they hold every field.
    reads: Mapping[str, frozenset[str]] | None = attrs.field(default=None, repr=False)

    def require_checked(self) -> None:
        if self.proof is not _CHECKED:
            raise EngineError("facts must be prepared by negotiator.engine.prepare_facts")


#: The two evaluators of the rules (they give identical findings; docs/engine.md).
EvaluatorName: TypeAlias = Literal["durable", "oracle"]
EVALUATORS: tuple[EvaluatorName, ...] = get_args(EvaluatorName)


class Evaluator(Protocol):
    name: str

    def evaluate(self, facts: EngineFacts) -> list[Activation]:
        """Every (rule, fact) match, sorted, without duplicates."""
        ...


@functools.lru_cache(maxsize=8192)
def fnv1a32(text: str) -> int:
    """32-bit FNV-1a over UTF-8 bytes, as the engine computes it (bytes ≥ 0x80 sign-extended).

    The engine identifies property names, rule names, kinds and fact ids by this hash alone, so
    two different names with the same hash would be confused; tests assert there are none.

    >>> fnv1a32("kind")
    3641958979

    Cached: the same ids (``loan-1``, ``contact-2-3``…) come back case after case.
    """
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        if b >= 128:
            b -= 256
        h = ((h ^ (b & 0xFFFFFFFF)) * 16777619) & 0xFFFFFFFF
    return h


def fields_read(ruleset: RuleSet) -> dict[str, frozenset[str]]:
    """For each kind some rule reads, the fields an evaluator must see: ``kind``, ``id`` and
    every field a rule about that kind tests.  Kinds that no rule reads are absent.

    Computed with the rule set (rule sets are immutable); the same mapping object is returned
    each time, so evaluators can tell facts pruned for their rule set by identity.
    """
    return ruleset.reads


def prepare_facts(facts: Iterable[Fact], kinds: dict[str, FactKind] | RuleSet) -> EngineFacts:
    """Check every fact against its kind and convert it to engine form.

    Raises :class:`FactCheckError` for an unknown kind, a field of the wrong type, a duplicate
    id, or an id whose hash collides with another id of the same case.

    Given a rule set, every value is still checked, but the records keep only what its rules
    can read (:func:`fields_read`): a fact of a kind no rule reads stays in ``by_id`` without a
    record, and a field no rule tests is left out.  Neither can change a match — a rule only
    ever tests its own kind's fields, ``exists``/``missing`` included — and the engine parses,
    matches and hands back less.  Given a plain mapping of kinds, records keep every field.
    """
    if isinstance(kinds, RuleSet):
        kind_map: Mapping[str, FactKind] = kinds.kinds
        reads: dict[str, frozenset[str]] | None = fields_read(kinds)
    else:
        kind_map, reads = kinds, None
    records: list[EngineFact] = []
    by_id: dict[str, Fact] = {}
    hashes: dict[int, str] = {fnv1a32("__s"): "__s"}
    for fact in facts:
        kind = kind_map.get(fact.kind)
        if kind is None:
            raise FactCheckError(f"unknown fact kind {fact.kind!r}")
        fact_id = fact.id
        if not WORD.match(fact_id) or fact_id == "__s":
            raise FactCheckError(f"{fact.kind}: bad fact id {fact_id!r}")
        if fact_id in by_id:
            raise FactCheckError(f"duplicate fact id {fact_id!r}")
        h = fnv1a32(fact_id)
        if h in hashes:
            raise FactCheckError(f"fact ids {fact_id!r} and {hashes[h]!r} collide in the engine")
        hashes[h] = fact_id
        by_id[fact_id] = fact
        if len(by_id) > MAX_FACTS:
            raise FactCheckError(f"a case may bring at most {MAX_FACTS} facts")
        if reads is None:
            record: EngineFact = {"kind": fact.kind, "id": fact_id}
            record.update(kind.check(fact.values))
        else:
            keep = reads.get(fact.kind)
            checked = kind.check(fact.values)
            if keep is None:
                continue
            record = {"kind": fact.kind, "id": fact_id}
            record.update({k: v for k, v in checked.items() if k in keep})
        records.append(record)
    return EngineFacts(records=tuple(records), by_id=by_id, proof=_CHECKED, reads=reads)

