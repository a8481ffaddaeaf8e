"""The action plan's section for a signed agreement: the payment calendar and what to do if a
payment slips.

It prints the report's ``keep_agreement`` figures (:mod:`negotiator.analysis.keep`) in the
words of ``templates/action_plan/keep.toml``; nothing is computed here.  The advice cites the
seed articles it comes from (as 参考, never as legal 依据):

* pay on time, set a reminder — 003 §6.1; keep every record — 000 §三.技巧;
* tell the lender before, not after, a payment is missed — 003 §7.2 and 001 §六;
* redo the budget when a new difficulty arises — 003 §7.1.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from ..money import format_yuan
from .render import cn_date, en_date

__all__ = ["SOURCES", "keep_seeds", "keep_texts", "keep_view"]

#: The seed sections the section's advice comes from: (seed, section) per advice key.
SOURCES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "intro": (("003", "6.1"),),
    "slip_contact": (("003", "7.2"), ("001", "六")),
    "slip_partial": (("000", "三.技巧"),),
    "slip_new_plan": (("003", "7.1"),),
}


def keep_seeds() -> tuple[str, ...]:
    """The seed articles the section cites (listed with the plan's references)."""
    return tuple(sorted({seed for refs in SOURCES.values() for seed, _ in refs}))


@cache
def keep_texts() -> Mapping[str, Mapping[str, Any]]:
    raw = (resources.files("negotiator.templates") / "action_plan" / "keep.toml").read_text(
        encoding="utf-8"
    )
    return tomllib.loads(raw)


def _amount(value: Decimal | None, lang: str) -> str:
    if value is None:
        return "—"
    return f"CNY {format_yuan(value)}" if lang == "en" else f"{format_yuan(value)}元"


def _day(value: dt.date | None, lang: str) -> str:
    if value is None:
        return "—"
    return en_date(value) if lang == "en" else cn_date(value)


def _refs(key: str, lang: str) -> str:
    t = keep_texts()[lang]
    marks = " ".join(f"[{seed} §{section}]" for seed, section in SOURCES.get(key, ()))
    return f"{t['refs']}: {marks}"  # as the plan's own reference lines


def keep_view(figures: Mapping[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """What the plan prints for a signed agreement (``None`` when there is none)."""
    if not figures:
        return None
    t = keep_texts()[lang]
    rows = []
    for r in figures.get("instalments", []):
        hint = t["no_hint"]
        if r.get("rest_day"):
            what = (
                r.get("holiday_en" if lang == "en" else "holiday_zh")
                or t["weekdays"][int(r["weekday"])]
            )
            # a year the holiday calendar lacks is marked for weekends only (calendar_note)
            hint = t["rest_hint"].format(what=what, pay_by=_day(r.get("pay_by"), lang))
        rows.append(
            [
                t["number"].format(n=r["number"]),
                _day(r.get("due"), lang),
                _amount(r.get("amount"), lang),
                hint,
            ]
        )
    whom = t["whom_private" if figures.get("private") else "whom_official"]
    slip = [
        {"text": t["slip_contact"].format(whom=whom), "refs": _refs("slip_contact", lang)},
        {
            "text": (
                t["slip_cure"].format(days=figures["cure_days"])
                if figures.get("cure_days")
                else t["slip_no_cure"]
            ),
            "refs": "",
        },
        {"text": t["slip_partial"], "refs": _refs("slip_partial", lang)},
    ]
    if figures.get("clawback"):
        waived = figures.get("waived") or Decimal(0)
        slip.append({"text": t["slip_clawback"].format(waived=_amount(waived, lang)), "refs": ""})
    slip.append({"text": t["slip_new_plan"], "refs": _refs("slip_new_plan", lang)})
    years = figures.get("calendar_years") or []
    note = (
        t["calendar_note"].format(years=f"{years[0]}–{years[1]}")
        if not figures.get("calendar_complete") and len(years) == 2
        else ""
    )
    return {
        "heading": t["heading"],
        "intro": t["intro"].format(
            lender=figures.get("lender_name") or "",
            loan=figures.get("loan") or "",
            count=len(rows),
            total=_amount(figures.get("total"), lang),
        ),
        "intro_refs": _refs("intro", lang),
        "columns": list(t["columns"]),
        "rows": rows,
        "no_instalments": t["no_instalments"] if not rows else "",
        "calendar_note": note,
        "slip_heading": t["slip_heading"],
        "slip": slip,
    }
