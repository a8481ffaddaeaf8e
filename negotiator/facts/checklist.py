"""Checklist facts: one per preparation item, every case, done or with what is missing."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from ..analysis.checklist import CHECKLIST_ITEMS
from .schema import Fact, FactKind, choice, extra, flag, integer
from .wording import HARDSHIP, gap_texts, labels

__all__ = ["CHECKLIST", "KINDS", "derive"]

CHECKLIST = FactKind(
    name="checklist",
    doc="One preparation item (always all eight, in a fixed order).",
    fields={
        "item": choice("which preparation item", CHECKLIST_ITEMS),
        "done": flag("nothing is missing for this item"),
        "hardships": integer("hardships the borrower claims", required=True),
        "instalments": integer("payments that clear the debt after any lump sum (plan figures)"),
    },
    extras={
        "missing": extra("list", "what is missing, as stable keys (e.g. L2.penalty_rate)"),
        "missing_zh": extra("list", "what is missing, in Chinese"),
        "missing_en": extra("list", "what is missing, in English"),
        "missing_count": extra("int", "how many pieces are missing"),
        "affordable_monthly": extra("money", "the monthly amount the plan can offer"),
        "total_owed": extra("money", "what the lenders claim now, in total"),
        "hardships_zh": extra("list", "the hardships claimed (Chinese)"),
        "hardships_en": extra("list", "the hardships claimed (English)"),
    },
)

KINDS = (CHECKLIST,)


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    p = a.plan
    kinds = [h.kind.value for h in p.prospects.hardships]
    for i, entry in enumerate(p.checklist, start=1):
        yield Fact(
            kind="checklist",
            id=f"checklist-{i}",
            subject=entry.item,
            values={
                "item": entry.item,
                "done": entry.done,
                "hardships": len(p.prospects.hardships),
                "instalments": p.capacity.instalments_after_lump,
            },
            extras={
                "missing": [g.key for g in entry.gaps],
                "missing_zh": gap_texts(entry.gaps, "zh"),
                "missing_en": gap_texts(entry.gaps, "en"),
                "missing_count": len(entry.gaps),
                "affordable_monthly": p.capacity.affordable_monthly,
                "total_owed": p.situation.total_owed,
                "hardships_zh": labels(HARDSHIP, dict.fromkeys(kinds), "zh"),
                "hardships_en": labels(HARDSHIP, dict.fromkeys(kinds), "en"),
            },
        )
