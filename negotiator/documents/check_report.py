"""Plain-text presentation of reports (the CLI's default output for ``negotiator check``).

The report groups the findings by severity (violations first), each with its citations; for
an agreement check it then lists what to ask the lender to add or change (the agreement
analysis' requests, worded in :data:`negotiator.analysis.counter.REQUEST_TEXTS`) and, when the
proposed
schedule does not fit the budget, the counter-proposal that does.  The words live here and in
``templates/report.txt.j2``; the figures come from ``Report.figures``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..findings import SEVERITY_ORDER, Report
from ..i18n import base_lang, to_traditional
from ..money import format_yuan
from .action_plan import cite_line
from .render import environment

__all__ = ["report_text"]

_TEXTS: dict[str, dict[str, Any]] = {
    "zh-Hans": {
        "title": {"advice": "协商还款分析报告", "check": "还款协议审查报告"},
        "source": "依据",
        "counts": (
            "违法或无效 {violation} 项 · 需要注意 {warning} 项 · 建议 {advice} 项 · 提示 {info} 项"
        ),
        "severity": {
            "violation": "违法或无效",
            "warning": "需要注意",
            "advice": "建议",
            "info": "提示",
        },
        "requests": "请要求对方补充或修改",
        "counter": "按您的预算可以提出的分期方案",
        "counter_intro": "应还总额{total}，分{months}期，每期不超过{largest}：",
        "counter_none": {
            "no_room": "按目前的预算，每月没有余钱可用于还款，无法提出可承受的分期方案。",
            "too_long": "按目前的预算，{max_months}期内还不清应还总额，需要进一步减免或重组债务。",
            "nothing_to_pay": "没有需要分期偿还的金额。",
        },
        "columns": ("期数", "还款日", "金额（元）"),
        "moved": "（{date}为休息日，已调整）",
        "calendar_note": "注：本工具的法定节假日数据只到{last}年。"
        "{next}年及以后的还款日只避开了周末，没有考虑当年的法定节假日和调休；"
        "遇到节假日，以双方书面确认的日期为准。",
        "disclaimer": (
            "本报告仅提供信息，不构成法律意见或法律代理；重要决定前请咨询律师或法律援助机构。"
        ),
    },
    "en": {
        "title": {"advice": "Repayment negotiation report", "check": "Repayment agreement check"},
        "source": "Source",
        "counts": "{violation} violations · {warning} warnings · {advice} advice · {info} notes",
        "severity": {
            "violation": "Violations",
            "warning": "Warnings",
            "advice": "Advice",
            "info": "Information",
        },
        "requests": "Ask the lender to add or change",
        "counter": "A schedule your budget allows",
        "counter_intro": "Total {total} in {months} instalments of at most {largest}:",
        "counter_none": {
            "no_room": "The budget leaves nothing to pay with each month: no affordable schedule "
            "can be proposed.",
            "too_long": "The budget cannot clear the total within {max_months} instalments: a "
            "further waiver or a restructuring is needed.",
            "nothing_to_pay": "Nothing remains to be paid in instalments.",
        },
        "columns": ("No.", "Due date", "Amount (CNY)"),
        "moved": " (moved from the rest day {date})",
        "calendar_note": "Note: negotiator's public-holiday data ends with {last}. Due dates from "
        "{next} on are only moved off weekends, not off that year's public holidays or swapped "
        "working days; where one falls on a holiday, the date both sides confirm in writing "
        "applies.",
        "disclaimer": "This report is information, not legal advice or representation; consult "
        "a lawyer or a legal-aid centre before important decisions.",
    },
}


def _requests(agreement: Mapping[str, Any] | None, lang: str) -> list[str]:
    if not agreement:
        return []
    return [str(r[lang]) for r in agreement.get("requests") or []]


def _counter(agreement: Mapping[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The counter-proposal, ready to print (only when the proposed schedule does not fit)."""
    if not agreement:
        return None
    counter = agreement.get("counter_proposal")
    if not counter:
        return None
    from .render import amount, local_date, text_table

    t = _TEXTS[lang]
    if not counter["possible"]:
        reason = t["counter_none"].get(counter["reason"] or "", "")
        return {
            "intro": reason.format(max_months=counter["max_months"]),
            "table": None,
            "note": None,
        }
    rows = []
    for r in counter["rows"]:
        moved = r.get("moved_from")
        note = t["moved"].format(date=local_date(moved, lang)) if moved else ""
        rows.append([r["number"], f"{local_date(r['due'], lang)}{note}", format_yuan(r["amount"])])
    intro = t["counter_intro"].format(
        total=amount(counter["total"], lang),
        months=counter["months"],
        largest=amount(counter["largest"], lang),
    )
    note = None
    if not counter.get("calendar_complete", True):
        last = int(counter["calendar_years"][1])
        note = t["calendar_note"].format(last=last, next=last + 1)
    return {
        "intro": intro,
        "table": text_table(rows, t["columns"], "llr", max_width=40),
        "note": note,
    }


def report_text(report: Report) -> str:
    lang = base_lang(report.lang)
    t = _TEXTS[lang]
    groups = []
    for severity in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__):
        found = [f for f in report.findings if f.severity == severity]
        if found:
            # each finding with its legal basis and its references on one line, worded as in
            # the plan (the seed articles are references, never 依据)
            items = [(f, cite_line(f, lang)) for f in found]
            groups.append({"label": t["severity"][severity], "findings": found, "entries": items})
    agreement = report.figures.get("agreement") if report.kind == "check" else None
    texts = {
        "title": t["title"][report.kind],
        "source": t["source"],
        "counts": t["counts"].format(**report.counts()),
        "requests": t["requests"],
        "counter": t["counter"],
        "disclaimer": t["disclaimer"],
    }
    out = (
        environment()
        .get_template("report.txt.j2")
        .render(
            report=report,
            groups=groups,
            texts=texts,
            requests=_requests(agreement, lang),
            counter=_counter(agreement, lang),
        )
    )
    return to_traditional(out) if report.lang == "zh-Hant" else out
