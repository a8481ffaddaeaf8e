"""The paste box of ``negotiator serve``: the lender's message or document, read with
:mod:`negotiator.extract` into a proposed agreement that the person confirms or corrects value
by value before it joins the interview."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import attrs

from ..interview import _PROMPTS, Interview, _get, _set

__all__ = [
    "MAX_PASTE_CHARS",
    "MAX_UPLOAD_BYTES",
    "Row",
    "apply_rows",
    "extraction_rows",
    "red_flag_labels",
]

#: Longest pasted text (characters) and largest uploaded document (bytes) the paste box takes.
MAX_PASTE_CHARS = 50_000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

_RED_FLAGS = {
    "personal_account": (
        "要求把钱还到个人账户（支付宝、微信、个人银行卡）",
        "payment into a personal account",
    ),
    "deposit": ("要求先交保证金、押金或费用", "a deposit or fee demanded first"),
    "verification_code": ("索要短信验证码", "an SMS verification code asked for"),
    "debt_agent": ("有收费的“债务优化”中介参与", "a paid debt-relief agent involved"),
}

#: Values shown as one row each; a table such as ``agreement.lender`` gives one row per key.
_NESTED_ROWS = ("lender", "borrower")


@attrs.frozen
class Row:
    """One value the text proposes, for the user to keep, correct or drop."""

    path: str  # e.g. "agreement.total", "agreement.lender.name", "loans[0].principal"
    label: str
    text: str  # the value as shown (and as the correction box starts)
    snippet: str  # the words it was read from
    confidence: float
    editable: bool = True


def _shown(value: Any, path: str = "", lang: str = "zh-Hans") -> str:
    """A value as a person writes it (and as the loader reads it back)."""
    from enum import Enum

    from ..case.messages import field_type
    from ..case.natural import SYNONYMS

    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("是" if value else "否")
    if isinstance(value, dict) and "value" in value and "unit" in value:
        pct = Decimal(str(value["value"])) * 100
        prefix = {"annual": "年化", "monthly": "月息", "daily": "日息"}.get(str(value["unit"]), "")
        return f"{prefix}{format(pct.normalize(), 'f')}%"
    if isinstance(value, list):
        return "、".join(
            f"{i.get('due', '?')} {i.get('amount', '?')}元" if isinstance(i, dict) else str(i)
            for i in value
        )
    _holder, t = field_type(path)
    if isinstance(value, str) and isinstance(t, type) and issubclass(t, Enum) and lang != "en":
        words = SYNONYMS.get(t, {}).get(value)
        if words:
            return words[0]
    return "" if value is None else str(value)


#: Labels of the values only a text gives (the interview does not ask them).
_LABELS: dict[str, tuple[str, str]] = {
    "deposit_required": ("要求先交的保证金或押金（元）", "deposit demanded first (yuan)"),
    "intermediary": ("参与的收费中介", "paid agent involved"),
    "intermediary_fee": ("中介收费（元）", "agent's fee (yuan)"),
    "verification_code_requested": ("是否索要验证码", "verification code asked for"),
    "contract_ref": ("原合同编号", "original contract number"),
    "contract_no": ("合同编号", "contract number"),
    "contract_date": ("合同日期", "contract date"),
    "remaining": ("减免前的欠款余额（元）", "balance before the waiver (yuan)"),
    "interest": ("其中利息（元）", "of which interest (yuan)"),
    "penalty": ("其中罚息（元）", "of which penalty (yuan)"),
    "fees": ("其中费用（元）", "of which fees (yuan)"),
    "allocation_order": ("还款冲抵顺序", "order payments are applied in"),
    "credit_reporting": ("征信报送方式", "credit reporting"),
    "name": ("名称", "name"),
    "kind": ("类别", "kind"),
    "uscc": ("统一社会信用代码", "unified social credit code"),
    "id_number": ("身份证号", "ID number"),
}


def _label(path: str, lang: str) -> str:
    """The interview's question for a path when it has one, else the field's description."""
    from ..case.messages import field_type

    name = path.rsplit(".", 1)[-1]
    key = "agreement." + name if path.startswith("agreement.") and path.count(".") == 1 else name
    pair = _PROMPTS.get(key)
    if pair is not None:
        text = (pair[1] if lang == "en" else pair[0]).replace("{n}", "1")
        return text.split("？")[0].split("?")[0]
    own = _LABELS.get(name)
    if own is not None:
        party = path.split(".")[1] if path.count(".") == 2 else ""
        prefix = {"lender": ("贷款方", "lender's "), "borrower": ("借款人", "borrower's ")}.get(
            party
        )
        text = own[1] if lang == "en" else own[0]
        return (prefix[1 if lang == "en" else 0] + text) if prefix else text
    holder, _t = field_type(path)
    if holder is not None:
        for f in attrs.fields(holder):
            if f.name == name and f.metadata.get("doc"):
                return f"{f.metadata['doc']} ({name})"
    return name


def extraction_rows(ex: Any, lang: str) -> list[Row]:
    """The rows of the review screen, in the extraction's order."""
    rows: list[Row] = []

    def source(path: str) -> tuple[str, float]:
        p = ex.provenance.get(path)
        if p is None:
            p = next((v for k, v in sorted(ex.provenance.items()) if k.startswith(path)), None)
        return (p.snippet, p.confidence) if p is not None else ("", 0.0)

    def add(path: str, value: Any, editable: bool = True) -> None:
        snippet, confidence = source(path)
        shown = _shown(value, path, lang)
        rows.append(Row(path, _label(path, lang), shown, snippet, confidence, editable))

    for key, value in ex.agreement.items():
        if key in _NESTED_ROWS and isinstance(value, dict):
            for inner, v in value.items():
                add(f"agreement.{key}.{inner}", v)
        else:
            add(f"agreement.{key}", value, editable=key != "instalments")
    for i, loan in enumerate(ex.loans[:1]):
        for key, value in loan.items():
            add(f"loans[{i}].{key}", value)
    if lang == "zh-Hant":
        from ..i18n import to_traditional

        rows = [attrs.evolve(r, label=to_traditional(r.label)) for r in rows]
    return rows


def red_flag_labels(ex: Any, lang: str) -> list[str]:
    seen: list[str] = []
    for hit in ex.red_flags:
        pair = _RED_FLAGS.get(hit.code, (hit.code, hit.code))
        label = f"{pair[1] if lang == 'en' else pair[0]}：“{hit.phrase}”"
        if lang == "zh-Hant":
            from ..i18n import to_traditional

            label = to_traditional(label)
        if label not in seen:
            seen.append(label)
    return seen


def apply_rows(
    interview: Interview, ex: Any, rows: list[Row], answers: dict[str, str], kept: set[str]
) -> list[tuple[str, str]]:
    """Put the kept values (corrected where the person changed them) into the interview.

    A value the person left as shown is taken as the text gave it; a changed one is read with
    the case format's natural spellings.  Returns the problems (path, message) and changes
    nothing when there is one; fields the interview already knows are not overwritten.
    """
    from ..case.natural import canonicalise
    from ..extract import merge_into_case

    original: dict[str, Any] = json.loads(
        json.dumps({"agreement": ex.agreement, "loans": ex.loans}, default=str)
    )
    agreement: dict[str, Any] = {}
    loan: dict[str, Any] = {}
    changed: dict[str, str] = {}
    for row in rows:
        if row.path not in kept:
            continue
        text = answers.get(row.path, row.text).strip()[:1000]
        if not row.editable or text == row.text:
            value = _get(original, row.path)
        else:
            value, changed[row.path] = text, text
        if not text and row.editable:
            continue
        target, rel = (
            (agreement, row.path.removeprefix("agreement."))
            if row.path.startswith("agreement.")
            else (loan, row.path.split(".", 1)[1])
        )
        _set(target, rel, value)
    data: dict[str, Any] = json.loads(json.dumps(interview.data, default=str))
    if loan and not data.get("loans"):
        data["loans"] = [{}]
    merged, taken = merge_into_case(
        data, attrs.evolve(ex, agreement=agreement, loans=[loan] if loan else [])
    )
    canonical, _originals = canonicalise(merged)
    trial = Interview.from_json(interview.to_json())
    trial.data = canonical
    trial.meta["has_agreement"] = True
    problems = [
        (path, message)
        for path, message in trial._errors()
        if any(path == t or path.startswith((t + ".", t + "[")) for t in taken)
    ]
    if problems:
        return problems
    interview.data = canonical
    interview.meta["has_agreement"] = True
    interview.originals.update(changed)
    return []
