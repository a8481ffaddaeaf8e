"""Plain-text presentation of reports (the CLI's default output)."""

from __future__ import annotations

from typing import Any

from .findings import SEVERITY_ORDER, Report
from .i18n import base_lang, to_traditional
from .render import environment

__all__ = ["report_text"]

_TEXTS: dict[str, dict[str, Any]] = {
    "zh-Hans": {
        "title": {"advice": "协商还款分析报告", "check": "还款协议审查报告"},
        "source": "依据",
        "severity": {"violation": "违法或无效", "warning": "需要注意", "advice": "建议", "info": "提示"},
        "disclaimer": "本报告仅提供信息，不构成法律意见或法律代理；重要决定前请咨询律师或法律援助机构。",
    },
    "en": {
        "title": {"advice": "Repayment negotiation report", "check": "Repayment agreement check"},
        "source": "Source",
        "severity": {"violation": "Violations", "warning": "Warnings", "advice": "Advice", "info": "Information"},
        "disclaimer": "This report is information, not legal advice or representation; consult a lawyer or a legal-aid centre before important decisions.",
    },
}


def report_text(report: Report) -> str:
    lang = base_lang(report.lang)
    t = _TEXTS[lang]
    groups = []
    for severity in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__):
        found = [f for f in report.findings if f.severity == severity]
        if found:
            groups.append({"label": t["severity"][severity], "findings": found})
    texts = {"title": t["title"][report.kind], "source": t["source"], "disclaimer": t["disclaimer"]}
    out = environment().get_template("report.txt.j2").render(report=report, groups=groups, texts=texts)
    return to_traditional(out) if report.lang == "zh-Hant" else out
