"""The plain-Python evaluator: the reference reading of the rule data.

It follows the engine's semantics exactly where they differ from Python's: a test on a field
the fact does not carry is false (whatever the operator).  The rule schema only admits
literals of the field's own type, so no cross-type comparison can arise.

:func:`holds` is the reading written out once, as a walk over the condition tree.  The
evaluator compiles each rule's condition once, when it is built, into a tree of small
predicates that do the same (:func:`compile_condition`; the tests check the two agree), and
groups the rules by the kind they read, so evaluating a case costs one predicate call per
(fact, rule about that fact's kind) and no interpretation.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, ClassVar

from ..ruleset.loader import All, Any_, Condition, RuleSet, Test, load_rules
from .base import Activation, EngineFact, EngineFacts

__all__ = ["OracleEvaluator", "Predicate", "compile_condition", "holds"]

_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

#: A compiled condition: whether it holds for one engine fact.
Predicate = Callable[[EngineFact], bool]
_ABSENT = object()


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


def _test(field: str, op: str, value: Any) -> Predicate:
    if op == "exists":
        return lambda fact: field in fact
    if op == "missing":
        return lambda fact: field not in fact
    compare = _OPS[op]

    def test(fact: EngineFact) -> bool:
        seen = fact.get(field, _ABSENT)
        return seen is not _ABSENT and bool(compare(seen, value))

    return test


def compile_condition(cond: Condition) -> Predicate:
    """``cond`` as a predicate that answers as :func:`holds` does."""
    if isinstance(cond, Test):
        return _test(cond.field, cond.op, cond.value)
    if isinstance(cond, All | Any_):
        parts = tuple(compile_condition(c) for c in cond.items)
        if len(parts) == 1:
            return parts[0]
        if isinstance(cond, All):

            def every(fact: EngineFact) -> bool:
                # A loop, not all(<generator>): this runs for every fact and rule.
                for part in parts:  # noqa: SIM110
                    if not part(fact):
                        return False
                return True

            return every

        def some(fact: EngineFact) -> bool:
            for part in parts:  # noqa: SIM110
                if part(fact):
                    return True
            return False

        return some
    raise TypeError(f"not a condition: {cond!r}")


class OracleEvaluator:
    name = "oracle"
    _shared: ClassVar[OracleEvaluator | None] = None

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._by_kind: dict[str, list[tuple[str, Predicate]]] = {}
        for rule in ruleset.rules:
            self._by_kind.setdefault(rule.about, []).append((rule.id, compile_condition(rule.when)))

    @classmethod
    def shared(cls) -> OracleEvaluator:
        if cls._shared is None:
            cls._shared = cls(load_rules())
        return cls._shared

    def evaluate(self, facts: EngineFacts) -> list[Activation]:
        facts.require_checked()
        out: set[tuple[str, str]] = set()
        by_kind = self._by_kind
        for record in facts.records:
            rules = by_kind.get(str(record["kind"]))
            if rules:
                fact_id = str(record["id"])
                for rule_id, predicate in rules:
                    if predicate(record):
                        out.add((rule_id, fact_id))
        return [Activation._make(pair) for pair in sorted(out)]
