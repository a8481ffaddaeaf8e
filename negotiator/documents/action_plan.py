"""The borrower's personal action plan: one document from a case and its advice report.

Sections, in reading order: the situation in brief; the budget; the preparation checklist (done
or exactly what is missing); the methods recommended for this case, ranked, with their numbers
and the per-lender proposal table; what waiting costs; every other finding of the report (fees,
collection, agreement, scams, complaints) grouped by severity; the next steps in order; keeping
the plan afterwards; a plain statement that this is information, not legal representation.

The plan is rendered in plain text, Markdown or print-ready HTML (A4) from
``templates/action_plan/plan.{txt,md,html}.j2`` through the letter environments of
:mod:`negotiator.documents.render` (values are escaped for the format; printing ``None`` is an
error).
The words are written in Simplified Chinese and English (``templates/action_plan/texts.toml``,
:func:`texts`); Traditional Chinese is
the Simplified output converted with OpenCC.  The templates only print: every figure comes from
the report (findings and ``Report.figures``), formatted by filters.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from ..analysis.checklist import CHECKLIST_ITEMS
from ..basis.params import load_parameters
from ..case.models import Case
from ..errors import InputError
from ..findings import SEVERITY_ORDER, Finding, Report
from ..i18n import base_lang, to_traditional
from ..money import format_amount
from ..ruleset.loader import Citation, seed_sections
from .keep import keep_seeds, keep_view
from .render import cite, cn_date, en_date, letter_environment, percent

__all__ = ["FORMATS", "cite_line", "plan_context", "render_action_plan", "texts"]

FORMATS: Mapping[str, str] = {"text": "txt", "markdown": "md", "html": "html"}

#: Categories the plan shows in their own sections; every other category is shown generically.
OWN = frozenset(
    {"situation", "lawsuit", "preparation", "strategy", "consequence", "aftercare", "prevention"}
)


@cache
def texts() -> Mapping[str, Mapping[str, Any]]:
    """The plan's own wording per authored language (``templates/action_plan/texts.toml``)."""
    raw = (resources.files("negotiator.templates") / "action_plan" / "texts.toml").read_text(
        encoding="utf-8"
    )
    return tomllib.loads(raw)


def _amount(value: Decimal | None, lang: str) -> str:
    if value is None:
        return str(texts()[lang]["unknown"])
    return format_amount(value, lang)


def _cite_label(c: Citation, lang: str) -> str:
    if c.seed is not None:
        return f"[{c.seed} §{c.section}]"
    return cite(c, lang)


def cite_line(f: Finding, lang: str) -> str:
    """The legal basis, then the seed articles as mere references (never as 依据)."""
    return _cite_line_of(f.citations, lang)


def _finding_view(f: Finding, lang: str) -> dict[str, Any]:
    return {
        # every rule has a title in every language (a test holds it); never show the code
        "title": f.title or texts()[lang]["category"].get(f.category, ""),
        "code": f.code,
        "message": f.message,
        "severity": f.severity,
        "subject": f.subject,
        "status": f.status or "",
        "sources": [_cite_label(c, lang) for c in f.citations],
        "cite_line": cite_line(f, lang),
    }


def _of(findings: Iterable[Finding], *categories: str) -> list[Finding]:
    return [f for f in findings if f.category in categories]


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


#: Per-lender methods shown once: their per-lender figures go into the one proposal table.
PER_LENDER = (
    "STRATEGY_INSTALMENTS",
    "STRATEGY_WAIVER",
    "STRATEGY_BELOW_USUAL_MINIMUM",
    "STRATEGY_BEYOND_USUAL_TERM",
)
#: Figures of a grouped method's data that are amounts of money.
_MONEY_DATA = frozenset({"usual_minimum"})


def _cite_line_of(citations: Sequence[Citation], lang: str) -> str:
    """The legal basis, then the seed articles as mere references (never as 依据)."""
    t = texts()[lang]
    laws = list(dict.fromkeys(cite(c, lang) for c in citations if c.seed is None))
    seeds = list(dict.fromkeys(_cite_label(c, lang) for c in citations if c.seed is not None))
    sep = "; " if lang == "en" else "，"
    parts = []
    if laws:
        parts.append(f"{t['see_sources']}: {sep.join(laws)}")
    if seeds:
        parts.append(f"{t['see_refs']}: {' '.join(seeds)}")
    return "; ".join(parts) if lang == "en" else "；".join(parts)


def _grouped_view(code: str, found: Sequence[Finding], lang: str) -> dict[str, Any]:
    """One entry for a per-lender method: what it is and why, said once; the figures are in
    the proposal table (one row per lender)."""
    asks = texts()[lang]["asks"][code]
    list_sep = ", " if lang == "en" else "、"
    lenders = list_sep.join(
        dict.fromkeys(
            f"{f.data.get('lender_name', '')} ({f.subject})"
            if lang == "en"
            else f"{f.data.get('lender_name', '')}（{f.subject}）"
            for f in found
        )
    )

    def values(f: Finding) -> dict[str, Any]:
        out: dict[str, Any] = {"lenders": lenders}
        for k, v in f.data.items():
            if isinstance(v, list):
                v = list_sep.join(str(x) for x in v)
            elif k in _MONEY_DATA and v is not None:
                v = _amount(Decimal(str(v)), lang)
            out[k] = v
        return out

    sentences: list[str] = [str(asks["intro"]).format_map(values(found[0]))]
    seen: set[str] = set()
    for f in found:
        variant = f.rule.rsplit(".", 1)[-1] if f.rule.count(".") > 1 else "base"
        if variant in seen or variant not in asks:
            continue
        seen.add(variant)
        sentences.append(str(asks[variant]).format_map(values(f)))
    sep = " " if lang == "en" else ""
    return {
        "title": asks["title"],
        "code": code,
        "message": sep.join(sentences),
        "severity": found[0].severity,
        "subject": "case",
        "status": "",
        "sources": [],
        "cite_line": _cite_line_of([c for f in found for c in f.citations], lang),
    }


def _strategies(findings: Sequence[Finding], lang: str) -> list[dict[str, Any]]:
    chosen = _of(findings, "strategy")
    chosen.sort(key=lambda f: (f.rank, _int(f.data.get("cost_rank")), f.subject, f.rule))
    groups: dict[str, list[Finding]] = {}
    order: list[Finding | str] = []
    for f in chosen:
        if f.code in PER_LENDER:
            if f.code not in groups:
                groups[f.code] = []
                order.append(f.code)
            groups[f.code].append(f)
        else:
            order.append(f)
    return [
        _grouped_view(item, groups[item], lang)
        if isinstance(item, str)
        else _finding_view(item, lang)
        for item in order
    ]


def _checklist(findings: Sequence[Finding], lang: str) -> list[dict[str, Any]]:
    order = {item: i for i, item in enumerate(CHECKLIST_ITEMS)}
    prep = _of(findings, "preparation")
    prep.sort(key=lambda f: (order.get(f.subject, len(order)), f.code))
    out = []
    for f in prep:
        view = _finding_view(f, lang)
        view["done"] = f.status == "done"
        view["mark"] = texts()[lang]["status_mark"]["done" if f.status == "done" else "missing"]
        view["status_text"] = texts()[lang]["done" if f.status == "done" else "missing"]
        out.append(view)
    return out


def _others(findings: Sequence[Finding], lang: str) -> list[dict[str, Any]]:
    t = texts()[lang]
    groups = []
    for severity in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__):
        found = [f for f in findings if f.category not in OWN and f.severity == severity]
        if found:
            items = []
            for f in found:
                view = _finding_view(f, lang)
                view["category"] = t["category"].get(f.category, f.category)
                items.append(view)
            groups.append({"label": t["severity"][severity], "findings": items})
    return groups


def _budget_rows(budget: Mapping[str, Any], lang: str) -> list[dict[str, str]]:
    t = texts()[lang]
    rows = []
    for key, label in t["budget_rows"].items():
        value = budget.get(key)
        if (key == "savings" and not budget.get("savings_known", True)) or (
            key == "other_debt_payments" and not budget.get("other_debts_known", True)
        ):
            value = None
        if key == "safety_margin":
            text = percent(Decimal(str(value)), 0) if value is not None else t["unknown"]
        else:
            text = _amount(value, lang)
        if key == "emergency_reserve":
            label = label.format(months=_months(_int(budget.get("reserve_months")), lang))
        rows.append({"label": label, "value": text, "key": key})
    return rows


def _months(n: int, lang: str) -> str:
    if lang == "en":
        return f"{n} month" if n == 1 else f"{n} months"
    return f"{n}个月"


def _budget_note(budget: Mapping[str, Any], lump: Any, lang: str) -> str:
    """How the affordable amount and the reserve were worked out; what follows for a lump sum."""
    t = texts()[lang]
    params = load_parameters()
    share = percent(params.decimal("emergency_reserve_share"), 0)
    months = _months(_int(budget.get("reserve_months")), lang)
    sep = " " if lang == "en" else ""
    parts = [t["budget_note"]]
    end = budget.get("hardship_end")
    if budget.get("reserve_reason") == "hardship_ends" and end:
        day = dt.date.fromisoformat(str(end))
        parts.append(
            t["reserve_hardship_ends"].format(
                end=en_date(day) if lang == "en" else cn_date(day),
                months=months,
                min=_months(params.integer("emergency_reserve_months_min"), lang),
                full=_months(params.integer("emergency_reserve_months"), lang),
                share=share,
            )
        )
    else:
        parts.append(t["reserve_standard"].format(months=months, share=share))
    if budget.get("savings_known", True) and budget.get("savings") is not None:
        if lump:
            parts.append(t["reserve_spare"].format(lump=_amount(Decimal(str(lump)), lang)))
        else:
            parts.append(
                t["reserve_short"].format(savings=_amount(Decimal(str(budget["savings"])), lang))
            )
    return sep.join(parts)


def _waiver_asks(findings: Sequence[Finding], lang: str) -> dict[str, str]:
    """Per loan, the waiver to ask for, as the proposal table's cell."""
    t = texts()[lang]
    out: dict[str, str] = {}
    for f in findings:
        if f.code != "STRATEGY_WAIVER":
            continue
        if f.rule.endswith("charges-unknown"):
            out[f.subject] = t["waiver_cell_unknown"]
        else:
            word = f.data.get("penalty_word_en" if lang == "en" else "penalty_word_zh", "")
            amount = _amount(Decimal(str(f.data.get("waivable") or 0)), lang)
            out[f.subject] = t["waiver_cell"].format(pen=word, amount=amount)
    return out


def _offers(
    plan: Mapping[str, Any], findings: Sequence[Finding], lang: str
) -> list[dict[str, str]]:
    t = texts()[lang]
    waivers = _waiver_asks(findings, lang)
    out = []
    for o in plan.get("offers", []):
        rate = o.get("cost_rate")
        monthly = o.get("monthly")
        offer = o.get("offer") or {}
        if offer:
            monthly = Decimal(offer["monthly"])
        count = o.get("instalments")
        lump = o.get("lump_sum") or Decimal(0)
        if o.get("mode") == "keep":
            proposal = t["plan_keep"]
        elif lump > 0 and monthly and o.get("instalments_after_lump"):
            proposal = t["plan_lump"].format(
                lump=_amount(lump, lang),
                monthly=_amount(monthly, lang),
                count=o["instalments_after_lump"],
            )
        elif lump > 0:
            proposal = t["plan_lump_only"].format(lump=_amount(lump, lang))
        elif offer:
            proposal = str(offer.get("text_en" if lang == "en" else "text", ""))
        elif monthly and count:
            proposal = t["plan_monthly"].format(monthly=_amount(monthly, lang), count=count)
        else:
            proposal = "—"
        total = o.get("proposal_total")
        loan = str(o.get("loan", ""))
        out.append(
            {
                "loan": loan,
                "lender": str(o.get("lender_name", "")),
                "owed": _amount(o.get("owed"), lang),
                "overdue_days": str(o.get("overdue_days", 0)),
                "cost": percent(rate) if rate is not None else t["unknown"],
                "monthly": _amount(monthly, lang) if monthly else "—",
                "instalments": str(count) if count else "—",
                "proposal": proposal,
                "total": _amount(Decimal(str(total)), lang)
                if total and proposal != "—" and o.get("mode") != "keep"
                else "—",
                "waiver": waivers.get(loan, "—"),
            }
        )
    return out


def _steps(
    report: Report, plan: Mapping[str, Any], checklist: Sequence[dict[str, Any]], lang: str
) -> list[str]:
    t = texts()[lang]["steps"]
    steps: list[str] = []
    lawsuit = plan.get("lawsuit", "none")
    if lawsuit == "filed":
        steps.append(t["court_filed"])
    elif lawsuit == "judgment":
        steps.append(t["court_judgment"])
    if any(
        f.category not in OWN and f.severity in ("violation", "warning") for f in report.findings
    ):
        steps.append(t["warnings"])
    missing = [c["title"] for c in checklist if not c["done"]]
    if missing:
        sep = "、" if lang != "en" else ", "
        steps.append(t["complete"].format(items=sep.join(missing)))
    limit = _int(plan.get("instalments_max"))
    for o in plan.get("offers", []):
        monthly = o.get("monthly") or Decimal(0)
        lump = o.get("lump_sum") or Decimal(0)
        owed = o.get("owed") or Decimal(0)
        count = o.get("instalments")
        names = {"lender": o.get("lender_name", ""), "loan": o.get("loan", "")}
        how = t["how_private" if o.get("lender_type") == "private" else "how_official"]
        values = {
            "how": how.format(**names),
            "monthly": _amount(monthly, lang),
            "lump": _amount(lump, lang),
            "count": count,
            "limit": limit,
        }
        offer = o.get("offer") or {}
        values["offer"] = offer.get("text_en" if lang == "en" else "text", "")
        values["total"] = _amount(o.get("proposal_total"), lang)
        mode = o.get("mode", "propose")
        if mode == "keep":
            key = "contact_keep"
        elif mode == "counter" and offer:
            key = "contact_counter"
        elif lump > 0 and lump >= owed:
            key = "contact_settle"
        elif lump > 0 and monthly > 0 and o.get("instalments_after_lump"):
            key = "contact_offer_lump"
            values["count"] = o["instalments_after_lump"]
        elif lump > 0:
            key = "contact_lump_only"
        elif monthly > 0 and count and limit and count > limit:
            key = "contact_restructure"
        elif monthly > 0 and count and offer:
            key = "contact_offer_ledger"
        elif monthly > 0 and count:
            key = "contact_offer"
        else:
            key = "contact_pause"
        steps.append(t[key].format(**values))
    if _hold_fits(report):
        from ..basis.params import load_parameters

        steps.append(t["hold"].format(days=load_parameters().integer("hold_request_days")))
    if _int(plan.get("refused_offers")) > 0:
        steps.append(t["reconsider"])
    if any(o.get("mode") == "counter" for o in plan.get("offers", [])):
        steps.append(t["reply"])
    extension = {f.rule for f in report.findings if f.code == "STRATEGY_EXTENSION"}
    if "strategy.extension.deferral" in extension and plan.get("recovery_months"):
        steps.append(t["extension_pause"].format(months=plan["recovery_months"]))
    elif extension:
        steps.append(t["extension_before_due"])
    private = any(o.get("lender_type") == "private" for o in plan.get("offers", []))
    steps.append(t["writing_private" if private else "writing"])
    steps.append(t["pay"])
    if _int(plan.get("overdue_loans")) > 0:
        steps.append(t["credit"])
    return steps


def _hold_fits(report: Report) -> bool:
    """A hold request (letter ``hold_request``) fits while the budget is not ready (income or
    essential spending not stated) or when collection is heavy (a collection finding)."""
    budget: Mapping[str, Any] = report.figures.get("budget") or {}
    heavy = any(
        f.category == "collection" and f.severity in ("violation", "warning")
        for f in report.findings
    )
    owed = any(o.get("owed") for o in (report.figures.get("plan") or {}).get("offers", []))
    return owed and (not budget.get("known", False) or heavy)


def _glance(
    findings: Sequence[Finding],
    summary: Sequence[Mapping[str, str]],
    offers: Sequence[Mapping[str, Any]],
    steps: Sequence[str],
    lang: str,
) -> dict[str, Any]:
    """The one-screen summary: the situation in one line, the monthly payments, the first three
    steps and any court deadline — every figure taken from the sections below it."""
    sep = "; " if lang == "en" else "；"
    t_total = texts()[lang]["total_short"]
    titles = [f.title for f in findings if f.category == "situation" and f.title]
    facts = [f"{row['label']} {row['value']}" for row in summary]
    situation = sep.join(facts + titles)
    pay = []
    for o in offers:
        if o.get("proposal") and o["proposal"] != "—":
            total = ""
            if o.get("total", "—") != "—":
                total = (
                    f" ({o['total']} {t_total})" if lang == "en" else f"（{t_total}{o['total']}）"
                )
            pay.append(f"{o['loan']} {o['lender']}: {o['proposal']}{total}")
    deadlines = []
    for f in findings:
        if f.category == "lawsuit" and f.data.get("answer_deadline"):
            day = dt.date.fromisoformat(str(f.data["answer_deadline"]))
            deadlines.append(f"{f.title}: {en_date(day) if lang == 'en' else cn_date(day)}")
    return {"situation": situation, "pay": pay, "now": list(steps[:3]), "deadlines": deadlines}


def _sources(findings: Sequence[Finding], extra: Iterable[str] = ()) -> list[dict[str, str]]:
    seeds = seed_sections()
    used = sorted({c.seed for f in findings for c in f.citations if c.seed is not None} | {*extra})
    return [{"id": sid, "title": seeds[sid]["title"], "file": seeds[sid]["file"]} for sid in used]


def plan_context(case: Case, report: Report, lang: str) -> dict[str, Any]:
    """Everything the plan templates print, already in ``lang`` ("zh-Hans" or "en")."""
    t = texts()[lang]
    figures = report.figures
    budget: Mapping[str, Any] = figures.get("budget") or {}
    plan: Mapping[str, Any] = figures.get("plan") or {}
    findings = list(report.findings)
    checklist = _checklist(findings, lang)
    max_days = _int(plan.get("max_overdue_days"))
    summary = [
        {"label": t["owed_total"], "value": _amount(plan.get("total_owed"), lang)},
        {"label": t["lenders"], "value": str(_int(plan.get("lenders")) or len(case.loans))},
        {"label": t["overdue_loans"], "value": str(_int(plan.get("overdue_loans")))},
        {
            "label": t["longest_overdue"],
            "value": f"{max_days} {t['days']}" if lang == "en" else f"{max_days}{t['days']}",
        },
    ]
    day: dt.date = report.as_of
    offers = _offers(plan, findings, lang)
    budget_rows = _budget_rows(budget, lang)
    steps = _steps(report, plan, checklist, lang)
    keep = keep_view(figures.get("keep_agreement"), lang)
    if any(loan.lender_type.value == "private" for loan in case.loans):
        # paying a private lender's own account is normal: the notice must not forbid it
        t = {**t, "notice": [*t["notice"][:-1], t["notice_private"]]}
    return {
        "lang": lang,
        "html_lang": "en" if lang == "en" else report.lang,
        "t": t,
        "as_of": en_date(day) if lang == "en" else cn_date(day),
        "summary": summary,
        # the court's deadlines belong with the situation, at the top of the plan
        "situations": [_finding_view(f, lang) for f in _of(findings, "situation")]
        + [_finding_view(f, lang) for f in _of(findings, "lawsuit")],
        "budget_known": bool(budget.get("known")),
        "budget_rows": budget_rows,
        "budget_note": _budget_note(budget, plan.get("lump_sum"), lang),
        "checklist": checklist,
        "strategies": _strategies(findings, lang),
        "offers": offers,
        "offer_rows": [
            [
                o["loan"],
                o["lender"],
                o["owed"],
                o["overdue_days"],
                o["cost"],
                o["proposal"],
                o["total"],
                o["waiver"],
            ]
            for o in offers
        ],
        "budget_table": [[r["label"], r["value"]] for r in budget_rows],
        "consequences": [_finding_view(f, lang) for f in _of(findings, "consequence")],
        "others": _others(findings, lang),
        "steps": steps,
        "glance": _glance(findings, summary, offers, steps, lang),
        "aftercare": [_finding_view(f, lang) for f in _of(findings, "aftercare", "prevention")],
        "sources": _sources(findings, keep_seeds() if keep else ()),
        # a signed agreement: its payment calendar and what to do if a payment slips
        "keep": keep,
    }


def render_action_plan(case: Case, report: Report, *, fmt: str = "text") -> str:
    """The action plan for ``case`` from its advice ``report``, in the report's language.

    ``fmt`` is ``text``, ``markdown`` or ``html`` (a self-contained, print-ready A4 page).
    """
    ext = FORMATS.get(fmt)
    if ext is None:
        raise InputError("--format", f"the action plan is rendered as {', '.join(FORMATS)}")
    lang = base_lang(report.lang)
    context = plan_context(case, report, lang)
    env = letter_environment(fmt)
    out = env.get_template(f"action_plan/plan.{ext}.j2").render(**context)
    return _hant(out) if report.lang == "zh-Hant" else out


#: OpenCC's s2t turns 签 into 籤 (a lot, a slip) even where it means signing (簽).
_SIGN = re.compile(r"籤(?=[協字署訂名收約])")


def _hant(text: str) -> str:
    """Traditional Chinese, with 簽 wherever the text speaks of signing."""
    return _SIGN.sub("簽", to_traditional(text))
