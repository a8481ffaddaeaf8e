"""Evaluators of a rule set over a case's facts.

Two evaluators implement the same contract (:class:`~negotiator.engine.base.Evaluator`):

* :mod:`negotiator.engine.durable` drives durable-rules (the only module that imports it);
* :mod:`negotiator.engine.oracle` is a plain-Python reading of the same rule data, used as the
  reference in tests and as the fallback where durable-rules cannot be built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Activation, EngineFacts, Evaluator, fnv1a32, prepare_facts

if TYPE_CHECKING:
    from ..ruleset.loader import RuleSet

__all__ = [
    "Activation",
    "EngineFacts",
    "Evaluator",
    "default_evaluator",
    "fnv1a32",
    "new_evaluator",
    "prepare_facts",
]


def default_evaluator(name: str = "durable") -> Evaluator:
    """The evaluator named ``durable`` (default) or ``oracle``."""
    if name == "oracle":
        from .oracle import OracleEvaluator

        return OracleEvaluator.shared()
    if name == "durable":
        from .durable import DurableEvaluator

        return DurableEvaluator.shared()
    raise ValueError(f"unknown evaluator {name!r}: use 'durable' or 'oracle'")


def new_evaluator(ruleset: RuleSet, name: str = "durable") -> Evaluator:
    """A new evaluator of kind ``name`` for ``ruleset`` (build it once and keep it: a
    durable-rules rule set is never fully freed)."""
    if name == "oracle":
        from .oracle import OracleEvaluator

        return OracleEvaluator(ruleset)
    if name == "durable":
        from .durable import DurableEvaluator

        return DurableEvaluator(ruleset)
    raise ValueError(f"unknown evaluator {name!r}: use 'durable' or 'oracle'")
