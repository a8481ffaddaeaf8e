"""Letters and documents rendered from a case and its report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .findings import Report
from .models import Case

__all__ = ["LETTER_KINDS", "render_action_plan", "render_letter"]

LETTER_KINDS: tuple[str, ...] = ("action_plan",)


def render_action_plan(case: Case, report: Report) -> str:
    from .present import report_text

    return report_text(report)


def render_letter(
    kind: str,
    case: Case,
    *,
    lang: str = "zh-Hans",
    fmt: str = "text",
    as_of: dt.date | None = None,
    templates: Path | None = None,
) -> str | bytes:
    from .api import advise

    return render_action_plan(case, advise(case, lang=lang, as_of=as_of))
