"""Words for the values that rule messages list: hardships, proof, documents, checklist gaps.

Facts carry these as display-only extras, once per authored language (``…_zh`` / ``…_en``), so a
message can say exactly what is missing ("L2（乙小贷）：罚息利率") rather than a code.  The
machine-readable form of each item is carried beside them (e.g. ``missing``: ``L2.penalty_rate``).
Traditional Chinese is produced from the Simplified text by the caller, like every message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..analysis.checklist import Gap
from ..calc.rates import format_percent
from ..case.models import DocumentKind, EvidenceKind, HardshipKind
from ..vocab import penalty_word, vocabulary

__all__ = [
    "COST_BASIS",
    "DOCUMENT",
    "EVIDENCE",
    "HARDSHIP",
    "LANGS",
    "gap_text",
    "gap_texts",
    "label",
    "labels",
    "outlook_reason",
    "percent",
]

LANGS = ("zh", "en")


def _from_vocabulary(section: str) -> Mapping[str, tuple[str, str]]:
    zh = vocabulary()["zh-Hans"][section]
    en = vocabulary()["en"][section]
    return {key: (zh[key], en[key]) for key in zh}


#: Hardship kinds and proof, from the one vocabulary of the documents (templates/vocab.toml).
HARDSHIP: Mapping[str, tuple[str, str]] = _from_vocabulary("hardship")
EVIDENCE: Mapping[str, tuple[str, str]] = _from_vocabulary("evidence")
assert set(HARDSHIP) == {k.value for k in HardshipKind}
assert set(EVIDENCE) == {k.value for k in EvidenceKind}

DOCUMENT: Mapping[str, tuple[str, str]] = {
    DocumentKind.LOAN_CONTRACT.value: ("借款合同", "the loan contract"),
    DocumentKind.REPAYMENT_RECORDS.value: ("还款记录", "your repayment records"),
    DocumentKind.STATEMENT.value: ("平台账单或欠款明细", "the lender's statement"),
    DocumentKind.INCOME_PROOF.value: ("收入证明", "proof of income"),
    DocumentKind.BANK_STATEMENTS.value: ("银行流水", "bank statements"),
    DocumentKind.CREDIT_REPORT.value: ("个人信用报告", "your credit report"),
    DocumentKind.COMMUNICATION_RECORDS.value: ("沟通记录", "records of your communications"),
    DocumentKind.ID_CARD.value: ("身份证复印件", "a copy of your ID card"),
}

COST_BASIS: Mapping[str, tuple[str, str]] = {
    "accruing": (
        "今后每年新增的利息，以法定上限为限",
        "interest now accruing a year, up to the legal cap",
    ),
    "annual_cost": ("综合年化成本", "annualised cost incl. fees"),
    "penalty_rate": ("罚息年化", "annualised penalty rate"),
    "contract_rate": ("仅知合同利率", "contract rate only"),
    "unknown": ("成本未知", "cost unknown"),
}

_OR = {"zh": "或", "en": " or "}

#: Gap sentences; placeholders: {loan} {lender} {hardship} {options} {count} {limit} {pen}.
_GAPS: Mapping[str, tuple[str, str]] = {
    "outstanding": (
        "{loan}（{lender}）目前被主张的欠款总额",
        "the total now claimed on {loan} ({lender})",
    ),
    "rate": ("{loan}（{lender}）的合同利率", "the contract interest rate of {loan} ({lender})"),
    "penalty_rate": (
        "{loan}（{lender}）的逾期利率",
        "the overdue rate of {loan} ({lender})",
    ),
    "penalty_interest": (
        "{loan}（{lender}）已产生的{pen}",
        "the {pen} charged so far on {loan} ({lender})",
    ),
    "late_fees": (
        "{loan}（{lender}）已产生的滞纳金或违约金",
        "the late fees charged so far on {loan} ({lender})",
    ),
    "income": ("每月净收入", "your net monthly income"),
    "essential_expenses": (
        "每月必要开支（房租、饮食、交通、水电、教育、医药）",
        "your essential monthly expenses (rent, food, transport, utilities, school, medicine)",
    ),
    "other_debt_payments": (
        "其他债务的月供（没有就填0）",
        "monthly payments on other debts (enter 0 if none)",
    ),
    "savings": ("存款和可变现的资产（没有就填0）", "savings and liquid assets (enter 0 if none)"),
    "income_stability": ("收入是否稳定", "whether your income is stable"),
    "evidence": ("{hardship}的证明（{options}）", "proof of {hardship} ({options})"),
    "document": ("{options}", "{options}"),
    "budget_incomplete": (
        "收支信息不完整，算不出每月能还多少",
        "the budget is incomplete, so no monthly amount can be worked out",
    ),
    "no_spare_money": (
        "扣除必要开支后没有余钱，也没有可动用的存款",
        "nothing is left after essential expenses and no savings can be spared",
    ),
    "plan_too_long": (
        "按每月可还金额需要{count}期，比机构通常接受的期限长（见第四部分）",
        "at the affordable amount it would take {count} payments, longer than lenders usually "
        "accept (see section 4)",
    ),
    "official_contact": ("{lender}（{loan}）", "{lender} ({loan})"),
    "reason": ("逾期原因的简短说明", "a short account of why you fell behind"),
    "hardship_description": (
        "{hardship}经过的简短说明（何时开始，对收入有何影响，预计何时好转）",
        "a short account of {hardship} "
        "(when it began, how it hit your income, when it should improve)",
    ),
    "offer_figures": (
        "能提出的还款金额（先把收支填完整）",
        "the amount you can offer (complete the budget first)",
    ),
    "communication_records": (
        "与平台和催收人员的通话录音、短信、聊天和邮件",
        "recordings, texts, chats and e-mails with the lender and collectors",
    ),
    "contacts_without_evidence": (
        "{loan}（{lender}）有{count}次催收联系没有录音或截图",
        "collection contacts on {loan} ({lender}) without a recording or screenshot: {count}",
    ),
}

_REASONS: Mapping[str, tuple[str, str]] = {
    "hardship_ends": (
        "困难预计在{months}个月内结束",
        "your hardship is expected to end within {months} months",
    ),
    "budget_fits": (
        "按目前的收支，{count}期以内可以还清",
        "your budget clears the debt within {count} monthly payments",
    ),
    "stable_income": ("您的收入稳定", "your income is stable"),
    "budget_short": (
        "按目前的收支，{typical}期内还不清",
        "your budget cannot clear the debt within {typical} monthly payments",
    ),
    "income_unstable": ("收入不稳定", "your income is unstable"),
    "no_income": ("目前没有收入", "you have no income at present"),
    "hardship_ongoing": ("困难还看不到结束的时候", "your hardship has no end in sight yet"),
    "hardship_later": (
        "困难预计还要{months}个月才结束",
        "your hardship is expected to last another {months} months",
    ),
    "no_information": (
        "收入、开支和困难的情况还不清楚",
        "your income, expenses and hardship are not known yet",
    ),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def label(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    """One enum word in ``lang`` ("zh" or "en")."""
    return _pick(table[key], lang)


def labels(table: Mapping[str, tuple[str, str]], keys: Iterable[str], lang: str) -> list[str]:
    return [label(table, k, lang) for k in keys]


def _options(gap: Gap, lang: str) -> str:
    if gap.what == "document":
        return _OR[lang].join(labels(DOCUMENT, gap.options, lang))
    if set(gap.options) == {e.value for e in EvidenceKind}:
        return "任何能说明情况的材料" if lang == "zh" else "any document that shows what happened"
    return _OR[lang].join(labels(EVIDENCE, gap.options, lang))


def gap_text(gap: Gap, lang: str) -> str:
    """The sentence fragment saying what ``gap`` is, in ``lang`` ("zh" or "en")."""
    return _pick(_GAPS[gap.what], lang).format(
        loan=gap.loan or "",
        lender=gap.lender or "",
        hardship=label(HARDSHIP, gap.hardship, lang) if gap.hardship else "",
        options=_options(gap, lang) if gap.options else "",
        count=gap.count if gap.count is not None else "",
        limit=gap.limit if gap.limit is not None else "",
        pen=penalty_word(gap.lender_type or "", "en" if lang == "en" else "zh-Hans"),
    )


def gap_texts(gaps: Iterable[Gap], lang: str) -> list[str]:
    return [gap_text(g, lang) for g in gaps]


def outlook_reason(
    reason: str, lang: str, *, months: int | None, count: int | None, typical: int
) -> str:
    return _pick(_REASONS[reason], lang).format(
        months=months if months is not None else "",
        count=count if count is not None else "",
        typical=typical,
    )


def percent(rate: Decimal | None) -> str:
    return format_percent(rate) if rate is not None else "—"
