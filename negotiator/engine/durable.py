"""The durable-rules evaluator — the only module in negotiator that imports durable-rules.

durable-rules 2.0.28 is fast at matching but crashes, hangs or answers wrongly outside a narrow
subset (see docs/engine.md).  This module keeps it inside that subset:

* Rules come only from a validated :class:`~negotiator.ruleset.RuleSet`: one fact per rule, a
  positive ``kind`` test first, alpha comparisons against literals of the field's own type,
  ``$ex``/``$nex`` only inside that kind test; no joins, no negation, no events, no timers, no
  arithmetic, no regular expressions.  Nothing else can be expressed in a rule file.
* Facts reach it only through :func:`~negotiator.engine.base.prepare_facts`: flat, typed (int
  fen, int ppm, bool, closed-set words), a case-unique ASCII id, no None, no float, no Decimal.
* It never uses the ``Host`` runtime: no background threads, no Python action callbacks inside
  the engine.  The ruleset is created through the C API and activations are drained by hand.
* Per case, under a lock: a sentinel fact is asserted and its activation drained first (so that
  deleting the session is safe), then all the case's facts in one batch, then the activations
  are drained whatever the batch's return code, and the session is always deleted.  Activations
  are collected in a set, so an ``$or`` that is true on several branches counts once.
* Any error the engine raises becomes :class:`~negotiator.errors.EngineError`.
"""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any, ClassVar

import durable_rules_engine as _dre

from ..errors import EngineError
from ..ruleset import All, Any_, Condition, RuleSet, Test, load_rules
from .base import SENTINEL_KIND, Activation, EngineFacts

__all__ = ["DurableEvaluator", "compile_rules"]

_SENTINEL_RULE = "__sentinel"
_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_names = itertools.count(1)


def _compile(cond: Condition) -> dict[str, Any]:
    if isinstance(cond, Test):
        if cond.op == "==":
            return {cond.field: cond.value}
        if cond.op == "exists":
            return {"$ex": {cond.field: 1}}
        if cond.op == "missing":
            return {"$nex": {cond.field: 1}}
        return {_OPS[cond.op]: {cond.field: cond.value}}
    if isinstance(cond, All):
        return {"$and": [_compile(c) for c in cond.items]}
    if isinstance(cond, Any_):
        return {"$or": [_compile(c) for c in cond.items]}
    raise TypeError(f"not a condition: {cond!r}")


def compile_rules(ruleset: RuleSet) -> dict[str, Any]:
    """The engine's JSON rule definition for a validated rule set (plus the sentinel rule)."""
    out: dict[str, Any] = {_SENTINEL_RULE: {"all": [{"m": {"kind": SENTINEL_KIND}}]}}
    for rule in ruleset.rules:
        out[rule.id] = {"all": [{"m": {"$and": [{"kind": rule.about}, _compile(rule.when)]}}]}
    return out


class DurableEvaluator:
    """Evaluates a rule set with durable-rules; one instance per process is enough."""

    name = "durable"
    _shared: ClassVar[DurableEvaluator | None] = None
    _shared_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        definition = json.dumps(compile_rules(ruleset), ensure_ascii=False, allow_nan=False)
        try:
            self._handle = _dre.create_ruleset(f"negotiator{next(_names)}", definition)
        except Exception as exc:  # the engine raises bare Exceptions
            raise EngineError(f"the rules engine refused the rule set: {exc}") from None

    @classmethod
    def shared(cls) -> DurableEvaluator:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls(load_rules())
            return cls._shared

    def _drain(self, state_handle: int, fired: set[tuple[str, str]]) -> None:
        result = _dre.start_action_for_state(self._handle, state_handle)
        messages = result[1] if result else None
        while messages:
            for rule, slots in json.loads(messages).items():
                for fact in slots.values():
                    fired.add((rule, fact["id"]))
            messages = _dre.complete_and_start_action(self._handle, state_handle)

    def evaluate(self, facts: EngineFacts) -> list[Activation]:
        facts.require_checked()
        fired: set[tuple[str, str]] = set()
        with self._lock:
            sid = f"s{next(self._sids)}"
            sentinel = {"sid": sid, "id": "__s", "kind": SENTINEL_KIND}
            batch = [dict(record, sid=sid) for record in facts.records]
            try:
                try:
                    _rc, state = _dre.assert_fact(self._handle, json.dumps(sentinel))
                    self._drain(state, fired)
                    if batch:
                        payload = json.dumps(batch, ensure_ascii=False, allow_nan=False)
                        rc, state = _dre.assert_facts(self._handle, payload)
                        self._drain(state, fired)
                        if rc == 2:
                            raise EngineError("the rules engine took two facts for one")
                finally:
                    _dre.delete_state(self._handle, sid)
            except EngineError:
                raise
            except Exception as exc:
                raise EngineError(f"the rules engine failed on a case: {exc}") from None
        return sorted(Activation(rule, fact) for rule, fact in fired if rule != _SENTINEL_RULE)
