"""negotiator — help a borrower in mainland China negotiate overdue online-loan repayment.

Typical use::

    from pathlib import Path

    import negotiator

    case = negotiator.load_case(Path("examples/short_term.toml"))
    report = negotiator.advise(case, lang="zh-Hans")
    for finding in report.findings:
        print(finding.code, finding.message)

    negotiator.check(case)                      # validate the proposed agreement
    negotiator.render_letter("negotiation_request", case)

Everything is information, not legal representation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    AmbiguousDateError,
    CalculationError,
    EngineError,
    InputError,
    NegotiatorError,
    RuleFileError,
)

__all__ = [
    "AmbiguousDateError",
    "BinaryFormat",
    "CalculationError",
    "Case",
    "CaseInput",
    "EngineError",
    "Evaluation",
    "EvaluatorName",
    "Finding",
    "Format",
    "InputError",
    "Lang",
    "LetterKind",
    "NegotiatorError",
    "Report",
    "RuleFileError",
    "TextFormat",
    "__version__",
    "advise",
    "check",
    "evaluate",
    "extract_agreement",
    "list_rules",
    "load_case",
    "render_letter",
    "show_rule",
]

__version__ = "0.1.0"


def _source_checkout_path(path: list[str]) -> list[str]:
    """``__path__`` for a package imported from a source checkout rather than its install.

    In the checkout, ``negotiator/`` sits beside ``rules/`` and ``templates/`` (installed as
    ``negotiator.rules`` and ``negotiator.templates``), and the compiled rules engine may exist
    only in the installed copy.  So a program run from the project root (where Python finds
    ``./negotiator`` first) uses the installed copy's modules when there is one, and the
    checkout's ``rules/`` and ``templates/`` otherwise.
    """
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    if os.path.isdir(os.path.join(here, "rules")) or not os.path.isfile(
        os.path.join(root, "rules", "strategy.toml")
    ):
        return path  # an installed copy, or not this project's checkout
    for entry in sys.path:
        candidate = os.path.join(os.path.abspath(entry or os.curdir), "negotiator")
        if candidate != here and os.path.isfile(os.path.join(candidate, "rules", "strategy.toml")):
            return [candidate, *path]
    return [*path, root]


__path__ = _source_checkout_path(__path__)

if TYPE_CHECKING:
    from .api import Evaluation, advise, check, evaluate
    from .case.load import load_case
    from .case.models import Case
    from .documents.letters import render_letter
    from .extract import extract_agreement
    from .findings import Finding, Report
    from .options import (
        BinaryFormat,
        CaseInput,
        EvaluatorName,
        Format,
        Lang,
        LetterKind,
        TextFormat,
    )
    from .ruleset.catalog import list_rules, show_rule

_LAZY = {
    "BinaryFormat": "options",
    "Case": "case.models",
    "CaseInput": "options",
    "Evaluation": "api",
    "EvaluatorName": "options",
    "Format": "options",
    "Lang": "options",
    "LetterKind": "options",
    "TextFormat": "options",
    "advise": "api",
    "check": "api",
    "evaluate": "api",
    "extract_agreement": "extract",
    "Finding": "findings",
    "Report": "findings",
    "render_letter": "documents.letters",
    "load_case": "case.load",
    "list_rules": "ruleset.catalog",
    "show_rule": "ruleset.catalog",
}


def __getattr__(name: str) -> Any:
    # Imports are lazy so that `import negotiator` stays fast for the CLI and for apps.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'negotiator' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
