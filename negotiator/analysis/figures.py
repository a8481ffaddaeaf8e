"""The figures a report carries beside its findings, as plain data for templates and JSON.

Each analysis object contributes its own part through ``to_figures()``; money stays Decimal
here and becomes a decimal string only in JSON.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from . import CaseAnalysis
from .keep import keep_agreement

__all__ = ["FigureParts", "figures"]


def figures(a: CaseAnalysis) -> dict[str, Any]:
    return {name: part(a) for name, part in _PARTS.items()}


class FigureParts(Mapping[str, Any]):
    """The figures of :func:`figures`, each part computed when it is first read.

    A report carries these: an agreement check's text reads only the ``agreement`` part, and a
    caller who reads only the findings pays for none, while ``Report.to_json()`` reads every
    part and gets exactly what :func:`figures` gives.  Each part is computed at most once (the
    analysis is immutable; a lock keeps two threads from computing the same part twice).
    """

    __slots__ = ("_analysis", "_done", "_lock")

    def __init__(self, analysis: CaseAnalysis) -> None:
        self._analysis = analysis
        self._done: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __getitem__(self, name: str) -> Any:
        try:
            return self._done[name]
        except KeyError:
            part = _PARTS[name]  # KeyError for a name that is not a part, as a dict raises
        with self._lock:
            if name not in self._done:
                self._done[name] = part(self._analysis)
            return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_PARTS)

    def __len__(self) -> int:
        return len(_PARTS)

    def __contains__(self, name: object) -> bool:
        return name in _PARTS

    def __repr__(self) -> str:
        return f"FigureParts({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))  # a copy or a pickle holds the figures, not the analysis


def _keep(a: CaseAnalysis) -> dict[str, Any] | None:
    keep = keep_agreement(a.case, a.agreement)
    return keep.to_figures() if keep is not None else None


_PARTS: dict[str, Callable[[CaseAnalysis], Any]] = {
    "budget": lambda a: a.budget.to_figures(),
    "plan": lambda a: a.plan.to_figures(),
    "loans": lambda a: [la.to_figures() for la in a.loans],
    "agreement": lambda a: a.agreement.to_figures() if a.agreement is not None else None,
    # a signed agreement's payment calendar (None unless both sides signed)
    "keep_agreement": _keep,
}
