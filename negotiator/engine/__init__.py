"""Evaluators of a rule set over a case's facts.

Two evaluators implement the same contract (:class:`~negotiator.engine.base.Evaluator`):

* :mod:`negotiator.engine.durable` drives durable-rules (the only module that imports it);
* :mod:`negotiator.engine.oracle` is a plain-Python reading of the same rule data, used as the
  reference in tests and as the fallback where durable-rules cannot be built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (
    EVALUATORS,
    Activation,
    EngineFacts,
    Evaluator,
    EvaluatorName,
    fnv1a32,
    prepare_facts,
)

if TYPE_CHECKING:
    from ..ruleset.loader import RuleSet
    from .durable import DurableEvaluator
    from .oracle import OracleEvaluator

__all__ = [
    "EVALUATORS",
    "Activation",
    "EngineFacts",
    "Evaluator",
    "EvaluatorName",
    "default_evaluator",
    "fnv1a32",
    "new_evaluator",
    "prepare_facts",
]


def _evaluator_class(name: str) -> type[OracleEvaluator] | type[DurableEvaluator]:
    """The class of the evaluator called ``name``; durable-rules is imported only when asked for."""
    if name == "oracle":
        from .oracle import OracleEvaluator

        return OracleEvaluator
    if name == "durable":
        from .durable import DurableEvaluator

        return DurableEvaluator
    raise ValueError(f"unknown evaluator {name!r}: use one of {', '.join(EVALUATORS)}")


def default_evaluator(name: EvaluatorName = "durable") -> Evaluator:
    """The shared evaluator named ``durable`` (default) or ``oracle``, of the packaged rules."""
    return _evaluator_class(name).shared()


def new_evaluator(ruleset: RuleSet, name: EvaluatorName = "durable") -> Evaluator:
    """A new evaluator of kind ``name`` for ``ruleset`` (build it once and keep it: a
    durable-rules rule set is never fully freed)."""
    return _evaluator_class(name)(ruleset)
