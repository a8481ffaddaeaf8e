"""The figures a report carries beside its findings, as plain data for templates and JSON.

Each analysis object contributes its own part through ``to_figures()``; money stays Decimal
here and becomes a decimal string only in JSON.
"""

from __future__ import annotations

from typing import Any

from . import CaseAnalysis
from .keep import keep_agreement

__all__ = ["figures"]


def figures(a: CaseAnalysis) -> dict[str, Any]:
    return {
        "budget": a.budget.to_figures(),
        "plan": a.plan.to_figures(),
        "loans": [la.to_figures() for la in a.loans],
        "agreement": a.agreement.to_figures() if a.agreement is not None else None,
        # a signed agreement's payment calendar (None unless both sides signed)
        "keep_agreement": _keep(a),
    }


def _keep(a: CaseAnalysis) -> dict[str, Any] | None:
    keep = keep_agreement(a.case, a.agreement)
    return keep.to_figures() if keep is not None else None
