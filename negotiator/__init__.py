"""negotiator — help a borrower in mainland China negotiate overdue online-loan repayment.

Typical use::

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
    "CalculationError",
    "EngineError",
    "Finding",
    "InputError",
    "NegotiatorError",
    "Report",
    "RuleFileError",
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

if TYPE_CHECKING:
    from .api import advise, check, evaluate
    from .extract import extract_agreement
    from .findings import Finding, Report
    from .letters import render_letter
    from .load import load_case
    from .rules_api import list_rules, show_rule

_LAZY = {
    "advise": "api",
    "check": "api",
    "evaluate": "api",
    "extract_agreement": "extract",
    "Finding": "findings",
    "Report": "findings",
    "render_letter": "letters",
    "load_case": "load",
    "list_rules": "rules_api",
    "show_rule": "rules_api",
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
