"""The plain-Python evaluator: the reference reading of the rule data.

It follows the engine's semantics exactly where they differ from Python's: a test on a field
the fact does not carry is false (whatever the operator).  The rule schema only admits
literals of the field's own type, so no cross-type comparison can arise.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, ClassVar

from ..ruleset import All, Any_, Condition, RuleSet, Test, load_rules
from .base import Activation, EngineFact, EngineFacts

__all__ = ["OracleEvaluator", "holds"]

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def holds(cond: Condition, fact: EngineFact) -> bool:
    """Whether ``cond`` holds for one engine fact."""
    if isinstance(cond, Test):
        present = cond.field in fact
        if cond.op == "exists":
            return present
        if cond.op == "missing":
            return not present
        if not present:
            return False
        return bool(_OPS[cond.op](fact[cond.field], cond.value))
    if isinstance(cond, All):
        return all(holds(c, fact) for c in cond.items)
    if isinstance(cond, Any_):
        return any(holds(c, fact) for c in cond.items)
    raise TypeError(f"not a condition: {cond!r}")


class OracleEvaluator:
    name = "oracle"
    _shared: ClassVar[OracleEvaluator | None] = None

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._by_kind: dict[str, list[tuple[str, Condition]]] = {}
        for rule in ruleset.rules:
            self._by_kind.setdefault(rule.about, []).append((rule.id, rule.when))

    @classmethod
    def shared(cls) -> OracleEvaluator:
        if cls._shared is None:
            cls._shared = cls(load_rules())
        return cls._shared

    def evaluate(self, facts: EngineFacts) -> list[Activation]:
        facts.require_checked()
        out: set[Activation] = set()
        for record in facts.records:
            fact_id = str(record["id"])
            for rule_id, cond in self._by_kind.get(str(record["kind"]), ()):
                if holds(cond, record):
                    out.add(Activation(rule_id, fact_id))
        return sorted(out)
