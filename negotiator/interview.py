"""A guided consultation: one question at a time, ending in a case that loads.

The questions are not a fixed list.  They are derived from the case model (every field of the
borrower, each loan and the proposed agreement, with its type deciding how the answer is read)
and chosen in the order an expert system's consultation would ask them:

1. what the case cannot load without (required fields: each loan's lender, lender type and
   principal; an agreement's form);
2. what the preparation checklist reports missing (:data:`CHECKLIST_FIELDS`, the gap words of
   :mod:`negotiator.analysis.checklist`);
3. what some rule tests (a rule condition on a fact field of the same name, or ``<name>_given``
   / ``<name>_stated``); ``?`` answers "why do you ask?" with those rules.

Fields nothing asks for are not asked.  A field added to the models later is asked as soon as
the checklist or a rule needs it (its prompt falls back to the field's description).  Answers
are read with :mod:`negotiator.case.natural`, so the interview and the file format accept the same
spellings.  "不知道" (or "?" twice, or an empty answer to an optional question) keeps a field
unknown; it is never asked again.

The state is plain JSON (:meth:`Interview.to_json`), so a consultation can be saved and resumed
and a web session can keep it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import attrs

from .case import models, natural
from .errors import InputError

__all__ = ["CHECKLIST_FIELDS", "Interview", "Question", "rules_needing"]

#: Fields the preparation checklist reports when missing (analysis/checklist.py gap words).
CHECKLIST_FIELDS: frozenset[str] = frozenset(
    {
        "outstanding",
        "rate",
        "penalty_rate",
        "penalty_interest",
        "late_fees",
        "monthly_income",
        "essential_expenses",
        "other_debt_payments",
        "savings",
        "income_stability",
        "documents",
        "hardships",
        "overdue_since",
    }
)

#: Personal data is never asked: letters leave a blank to fill in by hand.
_NEVER_ASK = frozenset(
    {
        "id_number",
        "phone",
        "email",
        "address",
        "name",
        "id",
        "uscc",
        "collection_contacts",
        "fees",
        "schedule",
        "history",
        "borrower",
        "lender",
        "loans",
        "agreement",
        "as_of",
    }
)

_PROMPTS: dict[str, tuple[str, str]] = {
    "monthly_income": (
        "您现在每月到手收入大约多少元？",
        "What is your monthly take-home income (yuan)?",
    ),
    "essential_expenses": (
        "每月必要开支（房租、吃饭、交通、孩子上学、看病）大约多少元？",
        "Monthly essential expenses (rent, food, transport, school, medicine)?",
    ),
    "other_debt_payments": (
        "每月还要还的其他债务（房贷、信用卡等）多少元？没有就填 0。",
        "Monthly payments on other debts (mortgage, cards)? 0 if none.",
    ),
    "savings": ("现有存款和能变现的资产大约多少元？", "Savings and liquid assets (yuan)?"),
    "income_stability": (
        "收入稳定吗？（稳定 / 不稳定 / 无收入）",
        "Is the income stable? (stable / unstable / none)",
    ),
    "employment": (
        "现在的工作状况？（在职 / 个体 / 失业 / 退休 / 学生）",
        "Employment? (employed / self_employed / unemployed / retired / student)",
    ),
    "dependents": ("需要您抚养或赡养的有几人？", "How many people depend on you?"),
    "documents": (
        "您手上已有哪些材料？（可多选，用顿号分开：借款合同、还款记录、收入证明、银行流水、征信报告、聊天记录）",
        "Which documents do you hold? (comma-separated)",
    ),
    "hardships": (
        "遇到了什么困难？（失业、疾病、降薪、家庭变故、经营失败、自然灾害、其他；没有就答“没有”）",
        "What hardship happened? (unemployment, illness, income_drop, …; or none)",
    ),
    "lender_name": (
        "第 {n} 笔借款：合同上的贷款人（出借方）叫什么？",
        "Loan {n}: the lender's name in the contract?",
    ),
    "lender_type": (
        "第 {n} 笔：贷款人是哪一类？（银行 / 消费金融公司 / 小额贷款公司 / 助贷 / 个人）",
        "Loan {n}: what kind of lender? "
        "(bank / consumer_finance / microloan / bank_via_platform / private)",
    ),
    "principal": (
        "第 {n} 笔：合同借款本金多少元？（可写 1.2万、12,000元）",
        "Loan {n}: contract principal (yuan)?",
    ),
    "received": (
        "第 {n} 笔：实际到手多少元？（被先扣了钱就写到手的数）",
        "Loan {n}: how much did you actually receive?",
    ),
    "rate": (
        "第 {n} 笔：合同利率是多少？（如 年化18%、月息1.5%、日利率万分之五）",
        "Loan {n}: the contract rate? (e.g. 18%, 月息1.5%, 日利率万分之五)",
    ),
    "interest_agreed": (
        "第 {n} 笔：合同里写了利息条款吗？（是 / 否）",
        "Loan {n}: does the contract state interest? (yes / no)",
    ),
    "term_months": ("第 {n} 笔：借款期限几个月？", "Loan {n}: term in months?"),
    "repaid": ("第 {n} 笔：到现在一共已还多少元？", "Loan {n}: total repaid so far?"),
    "outstanding": (
        "第 {n} 笔：对方现在说您还欠多少元？",
        "Loan {n}: what does the lender say you owe now?",
    ),
    "overdue_since": (
        "第 {n} 笔：从哪天开始逾期？（如 2026年9月8日；没有逾期答“没有”）",
        "Loan {n}: overdue since which date? (or none)",
    ),
    "penalty_rate": (
        "第 {n} 笔：逾期罚息利率是多少？（如 日息0.05%，或 合同利率的1.5倍）",
        "Loan {n}: the penalty rate? (e.g. 日息0.05% or 合同利率的1.5倍)",
    ),
    "penalty_multiple": (
        "第 {n} 笔：罚息是合同利率的几倍？（如 1.5倍；合同写的是利率就答“不知道”）",
        "Loan {n}: the penalty as a multiple of the contract rate? (e.g. 1.5)",
    ),
    "repayment_method": (
        "第 {n} 笔：还款方式？（等额本息 / 等额本金 / 先息后本 / 一次还本付息）",
        "Loan {n}: repayment method? (equal_instalment / equal_principal / interest_only / bullet)",
    ),
    "instalments_paid": (
        "第 {n} 笔：已经按时还了几期？",
        "Loan {n}: how many instalments are paid?",
    ),
    "penalty_interest": (
        "第 {n} 笔：到现在已计收的罚息多少元？",
        "Loan {n}: penalty interest charged so far?",
    ),
    "late_fees": ("第 {n} 笔：已收的滞纳金、违约金多少元？", "Loan {n}: late fees charged so far?"),
    "compound_interest": (
        "第 {n} 笔：对方有没有对没还的利息再收利息（利滚利）？（是 / 否）",
        "Loan {n}: is interest charged on unpaid interest? (yes / no)",
    ),
    "has_agreement": (
        "对方有没有给您一份还款协议或分期方案？（是 / 否）",
        "Has the lender proposed a repayment agreement or plan? (yes / no)",
    ),
    "agreement.form": (
        "这份方案是什么形式？（纸质 / 电子合同 / 邮件 / 聊天 / 仅电话）",
        "In what form? (paper / e_contract / email / chat / phone_only)",
    ),
    "agreement.total": ("方案里一共还要还多少元？", "The total still to pay under the plan?"),
    "agreement.instalments": (
        "方案怎么分期？按“每期金额×期数，首期日期”写，如：2000×13，2026年1月6日",
        "The instalments, as amount×count, first date, e.g. 2000×13, 2026-01-06",
    ),
    "agreement.repayment_account": (
        "方案要求把钱还到哪里？（对公账户 / App内 / 个人账户 / 不知道）",
        "Where must payments go? (official_company / in_app / personal / unknown)",
    ),
    "agreement.account_holder": ("收款账户的户名是什么？", "Whose name is the account in?"),
    "agreement.waiver_negotiated": (
        "双方谈过减免吗？（是 / 否）",
        "Was a waiver discussed? (yes / no)",
    ),
    "agreement.waived": ("减免了多少元？", "How much was waived?"),
    "agreement.cure_days": (
        "逾期几天内补上不算违约？（宽限期天数）",
        "Grace days before a breach?",
    ),
    "agreement.borrower_signed": ("您签了吗？（是 / 否）", "Have you signed it? (yes / no)"),
    "agreement.lender_signed": (
        "对方盖章或签字了吗？（是 / 否）",
        "Has the lender signed? (yes / no)",
    ),
    "agreement.rate": (
        "方案里写的原合同利率是多少？",
        "The original contract rate the plan states?",
    ),
    "agreement.repaid": ("方案里写的已还金额是多少元？", "The amount repaid the plan states?"),
    "agreement.principal": ("方案里剩余本金是多少元？", "The principal part of the plan's total?"),
    "agreement.loan_amount": ("方案里写的借款金额是多少元？", "The loan amount the plan states?"),
    "agreement.plan_rate": (
        "分期期间还收利息吗？利率多少？（不收就写 0%）",
        "Interest during the plan? (0% if none)",
    ),
    "agreement.date": ("方案是哪天给的或签的？", "The date of the plan?"),
    "agreement.third_party_contact_consent": (
        "方案里有没有允许对方联系您的亲友、同事？（是 / 否）",
        "Does it let the lender contact your relatives or contacts? (yes / no)",
    ),
    "agreement.excludes_borrower_rights": (
        "方案里有没有排除您提出异议、起诉等权利的条款？（是 / 否）",
        "Does it exclude your right to object or sue? (yes / no)",
    ),
    "agreement.breach_clause": (
        "方案里违约怎么处理？（照抄原文）",
        "What does it say about a breach? (copy it)",
    ),
    "agreement.loan": (
        "这份方案是针对第几笔借款的？（填序号，如 1）",
        "Which loan does the plan settle? (its number, e.g. 1)",
    ),
    "lawsuit": (
        "对方起诉了吗？（没有 / 扬言起诉 / 已起诉 / 已判决）",
        "Has the lender sued? (none / threatened / filed / judgment)",
    ),
    "loan_count": ("您一共有几笔逾期或要协商的借款？", "How many loans do you need to negotiate?"),
}

_UNKNOWN = {"不知道", "不清楚", "不确定", "unknown", "don't know", "dont know", "不记得"}
_WHY = {"?", "？", "为什么", "why"}


def _strip_optional(t: Any) -> tuple[Any, bool]:
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(t) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return t, False


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(models))


@cache
def _rule_fields() -> dict[str, tuple[str, ...]]:
    """Fact field → ids of the rules whose condition tests it."""
    from .ruleset.loader import Test, load_rules

    out: dict[str, list[str]] = {}

    def walk(cond: Any, rule_id: str) -> None:
        if isinstance(cond, Test):
            out.setdefault(cond.field, []).append(rule_id)
        else:
            for item in cond.items:
                walk(item, rule_id)

    for rule in load_rules().rules:
        walk(rule.when, rule.id)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def rules_needing(name: str) -> tuple[str, ...]:
    """Ids of the rules that test the fact field ``name`` (or ``name_given``/``name_stated``)."""
    table = _rule_fields()
    out: list[str] = []
    for key in (name, f"{name}_given", f"{name}_stated"):
        out.extend(table.get(key, ()))
    return tuple(dict.fromkeys(out))


@attrs.frozen
class Question:
    key: str  # the path the answer fills, e.g. "loans[0].principal"
    name: str  # the field name
    kind: str  # money, rate, date, word, words, int, bool, text, count, instalments
    required: bool
    enum: type[Enum] | None = None
    loan: int | None = None
    #: For a record of a list field (RECORDS): the list's name and the record's index; the
    #: question "add a record?" has the name "add".
    record: str | None = None
    index: int | None = None

    def prompt(self, lang: str = "zh-Hans") -> str:
        if self.record is not None:
            name = ("first" if not self.index else "more") if self.name == "add" else self.name
            pair = _RECORD_PROMPTS.get(f"{self.record}.{name}")
        else:
            section = "agreement." if self.key.startswith("agreement.") else ""
            pair = _PROMPTS.get(section + self.name) or (
                None if section else _PROMPTS.get(self.name)
            )
        text = (pair[1] if lang == "en" else pair[0]) if pair else None
        if text is None:
            text = self._fallback(lang)
        text = text.replace("{n}", str((self.loan or 0) + 1))
        text = text.replace("{k}", str((self.index or 0) + 1))
        if lang == "zh-Hant":
            from .i18n import to_traditional

            text = to_traditional(text)
        return text

    def _fallback(self, lang: str) -> str:
        meta: dict[str, Any] = {}
        owner = (
            RECORDS[self.record].cls
            if self.record is not None
            else models.Loan
            if self.loan is not None
            else (models.Agreement if self.key.startswith("agreement.") else models.Borrower)
        )
        for f in attrs.fields(owner):
            if f.name == self.name:
                meta = dict(f.metadata)
        doc = meta.get("doc", self.name.replace("_", " "))
        prefix = (
            (
                f"第 {(self.loan or 0) + 1} 笔："
                if lang != "en"
                else f"Loan {(self.loan or 0) + 1}: "
            )
            if self.loan is not None
            else ""
        )
        return (
            f"{prefix}{doc}（{self.name}）？" if lang != "en" else f"{prefix}{doc} ({self.name})?"
        )

    def why(self, lang: str = "zh-Hans") -> str:
        """Why this is asked: the checklist item and the rules it serves."""
        from .ruleset.catalog import show_rule

        reasons: list[str] = []
        if self.record is not None:
            return self._why_record(lang)
        if self.required:
            reasons.append(
                "没有这一项就无法分析这笔借款。"
                if lang != "en"
                else "Without it the case cannot be analysed."
            )
        if self.name in CHECKLIST_FIELDS:
            reasons.append(
                "准备清单需要它：协商前要把这项弄清楚。"
                if lang != "en"
                else "The preparation checklist needs it before you negotiate."
            )
        for rule_id in rules_needing(self.name)[:3]:
            rule = show_rule(rule_id)
            label = rule.title.get("en" if lang == "en" else "zh-Hans") or rule.code
            reasons.append(
                f"规则 {rule.id}（{label}）要用到它。"
                if lang != "en"
                else f"Rule {rule.id} ({label}) uses it."
            )
        if not reasons:
            reasons.append(
                "它让计划和信件更准确。"
                if lang != "en"
                else "It makes the plan and letters more exact."
            )
        return "\n".join(reasons)

    def _why_record(self, lang: str) -> str:
        from .ruleset.catalog import show_rule

        assert self.record is not None
        spec = RECORDS[self.record]
        en = lang == "en"
        label = spec.label[1] if en else spec.label[0]
        reasons: list[str] = []
        if self.name == "add":
            rules = rules_for_record(self.record)
            reasons.append(
                f"Each {label} is checked on its own by these rules; without records they "
                "cannot find anything."
                if en
                else f"每一条{label}都会被下面的规则逐条检查；不记下来，这些规则就无从判断。"
            )
        else:
            rules = rules_for_record(self.record, self.name)
            if self.required:
                reasons.append(
                    f"A {label} cannot be kept without it; answer 不知道 to drop this record."
                    if en
                    else f"没有这一项，这条{label}就无法保存；答“不知道”则放弃这一条。"
                )
        if self.name in spec.checklist:
            reasons.append(
                "The preparation checklist reads it."
                if en
                else "准备清单要用到它：协商前要把这项弄清楚。"
            )
        for rule_id in rules[:4]:
            rule = show_rule(rule_id)
            title = rule.title.get("en" if en else "zh-Hans") or rule.code
            reasons.append(
                f"Rule {rule.id} ({title}) uses it."
                if en
                else f"规则 {rule.id}（{title}）要用到它。"
            )
        if len(rules) > 4:
            reasons.append(
                f"… and {len(rules) - 4} more rules."
                if en
                else f"……以及另外 {len(rules) - 4} 条规则。"
            )
        if not reasons:
            reasons.append(
                "It makes the plan and letters more exact." if en else "它让计划和信件更准确。"
            )
        return "\n".join(reasons)


def _kind_of(t: Any) -> tuple[str, type[Enum] | None]:
    if typing.get_origin(t) is tuple:
        item = typing.get_args(t)[0]
        if isinstance(item, type) and issubclass(item, Enum):
            return "words", item
        return "list", None
    if t is Decimal:
        return "money", None
    if t is models.Rate:
        return "rate", None
    if t is dt.datetime:
        return "datetime", None
    if t is dt.date:
        return "date", None
    if t is bool:
        return "bool", None
    if t is int:
        return "int", None
    if t is str:
        return "text", None
    if isinstance(t, type) and issubclass(t, Enum):
        return "word", t
    return "other", None


def _needed(name: str) -> bool:
    return (
        name in CHECKLIST_FIELDS
        or bool(rules_needing(name))
        or name in _PROMPTS
        or f"agreement.{name}" in _PROMPTS
    )


def _fields(cls: type, prefix: str, loan: int | None) -> Iterator[Question]:
    hints = _hints(cls)
    for f in attrs.fields(cls):
        if f.name in _NEVER_ASK or f.metadata.get("pii"):
            continue
        t, _optional = _strip_optional(hints[f.name])
        required = f.default is attrs.NOTHING
        kind, enum = _kind_of(t)
        if f.name == "instalments":
            kind = "instalments"
        free_text_asked = kind == "text" and (required or f.name == "account_holder")
        if kind in ("other", "list", "text") and f.name != "hardships" and not free_text_asked:
            continue
        if f.name == "hardships":
            kind, enum = "hardship", models.HardshipKind
        if not required and not _needed(f.name):
            continue
        yield Question(f"{prefix}{f.name}", f.name, kind, required, enum, loan)


# ---------------------------------------------------------------------------------------------
# List records: collection contacts, fees, schedule rows, the negotiation history
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class RecordSpec:
    """How the records of one list field are asked.

    ``needs`` maps each field of a record to the fact fields it feeds, as (fact kind, field);
    a field is asked when it is required or some rule tests one of those fact fields, and "?"
    names those rules.  ``checklist`` names fields the preparation checklist reads directly.
    """

    cls: type
    label: tuple[str, str]  # zh-Hans, en
    needs: dict[str, tuple[tuple[str, str], ...]]
    checklist: frozenset[str] = frozenset()


_TIME_FACTS = (
    ("contact", "hour"),
    ("contact", "quiet_hours"),
    ("contact", "late_evening"),
    ("contact", "from_2026"),
    ("contact_day", "calls"),
)
_COST_FACTS = (("loan", "excess_over_cap"), ("loan", "rate_excess_per_year"))

#: The list fields the interview asks record by record, by field name.
RECORDS: dict[str, RecordSpec] = {
    "fees": RecordSpec(
        models.Fee,
        ("费用", "fee"),
        {
            "kind": (("fee", "fee_kind"), ("fee", "to_platform"), ("fee", "contingent")),
            "amount": (("fee", "amount"), ("fee", "total"), *_COST_FACTS),
            "charged": (("fee", "timing"), ("fee", "contingent"), ("loan", "upfront_deducted")),
            "disclosed": (("fee", "disclosure"),),
            "periods": (("fee", "total"), *_COST_FACTS),
            "payee": (("fee", "to_platform"),),
        },
    ),
    "schedule": RecordSpec(
        models.ScheduledPayment,
        ("还款计划的一期", "schedule row"),
        {"due": _COST_FACTS, "amount": _COST_FACTS, "paid": (("loan", "overdue_excess"),)},
        checklist=frozenset({"paid"}),
    ),
    "collection_contacts": RecordSpec(
        models.CollectionContact,
        ("催收记录", "collection contact"),
        {
            "at": _TIME_FACTS,
            "channel": (
                ("contact", "channel"),
                ("contact", "quiet_hours"),
                ("contact_day", "calls"),
            ),
            "target": (
                ("contact", "target"),
                ("contact", "third_party"),
                ("contact", "contact_list"),
            ),
            "calls": (("contact_day", "calls"),),
            "conduct": (
                ("contact", "threats"),
                ("contact", "violence"),
                ("contact", "abusive"),
                ("contact", "disclosed_debt"),
                ("contact", "collection_fee_demanded"),
                ("red_flags", "personal_account"),
                ("red_flags", "deposit"),
                ("red_flags", "verification_code"),
            ),
            "evidence": (("contact", "evidence"),),
        },
        checklist=frozenset({"evidence"}),
    ),
    "history": RecordSpec(
        models.NegotiationEvent,
        ("协商记录", "negotiation record"),
        {
            "date": (),
            "kind": (),
            "channel": (),
            "loan": (),
            "counterpart": (),
            "outcome": (("case", "refused_offers"), ("plan", "refused_offers")),
        },
        checklist=frozenset({"kind", "channel", "loan", "counterpart"}),
    ),
}

_RECORD_PROMPTS: dict[str, tuple[str, str]] = {
    "fees.first": (
        "第 {n} 笔：除了利息，合同或账单上还收了哪些费用（服务费、担保费、会员费……）？"
        "要记一笔费用吗？（是 / 否）",
        "Loan {n}: besides interest, does the contract or bill charge any fee? "
        "Record one? (yes / no)",
    ),
    "fees.more": ("第 {n} 笔：再加一笔费用？（是 / 否）", "Loan {n}: add another fee? (yes / no)"),
    "fees.kind": (
        "第 {n} 笔 · 费用 {k}：这笔费用叫什么？（服务费 / 担保费 / 保险费 / 会员费 / 平台服务费 / "
        "咨询费 / 账户管理费 / 滞纳金 / 违约金 / 催收费 / 提前还款手续费 / 其他）",
        "Loan {n} · fee {k}: what is the fee called?",
    ),
    "fees.amount": (
        "第 {n} 笔 · 费用 {k}：每次收多少元？",
        "Loan {n} · fee {k}: how much each time (yuan)?",
    ),
    "fees.charged": (
        "第 {n} 笔 · 费用 {k}：什么时候收？（放款时扣除 / 每期收取 / 逾期后收取 / 一次性）",
        "Loan {n} · fee {k}: when is it charged? (upfront / periodic / on_overdue / one_off)",
    ),
    "fees.disclosed": (
        "第 {n} 笔 · 费用 {k}：合同里写明了这笔费用吗？（是 / 否）",
        "Loan {n} · fee {k}: did the contract disclose it? (yes / no)",
    ),
    "fees.periods": (
        "第 {n} 笔 · 费用 {k}：一共收几期？",
        "Loan {n} · fee {k}: for how many periods?",
    ),
    "fees.payee": (
        "第 {n} 笔 · 费用 {k}：这笔费用是谁收的？（贷款方、平台、担保公司……）",
        "Loan {n} · fee {k}: who collects it (lender, platform, guarantor…)?",
    ),
    "schedule.first": (
        "第 {n} 笔：利率或期限不清楚，可以按账单逐期记下还款计划（每期的应还日期和金额）。"
        "要记一期吗？（是 / 否）",
        "Loan {n}: the rate or term is unknown; record the bill's repayment schedule row by "
        "row? (yes / no)",
    ),
    "schedule.more": ("第 {n} 笔：再加一期？（是 / 否）", "Loan {n}: add another row? (yes / no)"),
    "schedule.due": (
        "第 {n} 笔 · 第 {k} 期：应还日期？（如 2026年1月6日）",
        "Loan {n} · row {k}: due date?",
    ),
    "schedule.amount": (
        "第 {n} 笔 · 第 {k} 期：应还多少元？",
        "Loan {n} · row {k}: amount due (yuan)?",
    ),
    "schedule.paid": (
        "第 {n} 笔 · 第 {k} 期：实际已还多少元？（全部还了答“已还”，没还答“未还”）",
        "Loan {n} · row {k}: amount paid? (or paid / unpaid)",
    ),
    "collection_contacts.first": (
        "第 {n} 笔：对方有没有催收过您（电话、短信、上门、联系家人……）？"
        "每次联系记一条。要记一条吗？（是 / 否）",
        "Loan {n}: has the lender or a collector contacted you? Record a contact? (yes / no)",
    ),
    "collection_contacts.more": (
        "第 {n} 笔：再加一条催收记录？（是 / 否）",
        "Loan {n}: add another collection contact? (yes / no)",
    ),
    "collection_contacts.at": (
        "第 {n} 笔 · 催收 {k}：是哪天几点？（如 2026年11月3日 23:10）",
        "Loan {n} · contact {k}: date and time? (e.g. 2026-11-03 23:10)",
    ),
    "collection_contacts.channel": (
        "第 {n} 笔 · 催收 {k}：用什么方式？（电话 / 短信 / 微信 / App / 上门 / 信件 / 邮件）",
        "Loan {n} · contact {k}: how? (phone / sms / instant_message / app / visit / letter)",
    ),
    "collection_contacts.target": (
        "第 {n} 笔 · 催收 {k}：联系的是谁？（本人 / 亲属 / 单位 / 同事 / 朋友 / 通讯录）",
        "Loan {n} · contact {k}: who was contacted? (borrower / relative / employer / …)",
    ),
    "collection_contacts.calls": (
        "第 {n} 笔 · 催收 {k}：这一条算几次电话？（一次就写 1）",
        "Loan {n} · contact {k}: how many calls does this record stand for?",
    ),
    "collection_contacts.conduct": (
        "第 {n} 笔 · 催收 {k}：对方有没有这些行为？（可多选：威胁、辱骂、冒充公检法、伪造法律文书、"
        "透露债务、要求转账到个人账户、索要验证码、要求交保证金、收催收费；都没有就答“没有”）",
        "Loan {n} · contact {k}: what did the collector do or demand? (several allowed; or none)",
    ),
    "collection_contacts.evidence": (
        "第 {n} 笔 · 催收 {k}：有录音、截图或短信留存吗？（是 / 否）",
        "Loan {n} · contact {k}: is a recording, screenshot or message kept? (yes / no)",
    ),
    "history.first": (
        "您和贷款方协商过吗（打电话、提出方案、对方答复）？要记一条协商记录吗？（是 / 否）",
        "Have you negotiated with a lender (calls, offers, answers)? Record one? (yes / no)",
    ),
    "history.more": ("再加一条协商记录？（是 / 否）", "Add another negotiation record? (yes / no)"),
    "history.date": ("协商 {k}：是哪天？", "Negotiation {k}: on which date?"),
    "history.kind": (
        "协商 {k}：这次是什么？（联系 / 我方提出方案 / 对方提出方案 / 对方答复 / 达成协议）",
        "Negotiation {k}: what was it? "
        "(contact / borrower_offer / lender_offer / answer / agreement)",
    ),
    "history.channel": (
        "协商 {k}：通过什么方式？（电话 / 短信 / 微信 / App / 上门 / 信件 / 邮件）",
        "Negotiation {k}: how? (phone / sms / instant_message / app / …)",
    ),
    "history.loan": (
        "协商 {k}：是关于第几笔借款的？（填序号，如 1）",
        "Negotiation {k}: which loan was it about? (its number)",
    ),
    "history.counterpart": (
        "协商 {k}：和谁谈的？（贷款方官方客服、催收公司、律师……）",
        "Negotiation {k}: with whom (the lender's official service, a collection agency…)?",
    ),
    "history.outcome": (
        "协商 {k}：结果如何？（待定 / 接受 / 拒绝 / 未回复 / 还价）",
        "Negotiation {k}: the outcome? (pending / accepted / refused / no_reply / counter_offer)",
    ),
}


@cache
def _kind_field_rules() -> dict[tuple[str, str], tuple[str, ...]]:
    """(fact kind, fact field) → ids of the rules about that kind that test that field."""
    from .ruleset.loader import load_rules

    out: dict[tuple[str, str], list[str]] = {}
    for rule in load_rules().rules:
        for name in rule.fields_tested():
            out.setdefault((rule.about, name), []).append(rule.id)
    return {k: tuple(v) for k, v in out.items()}


def rules_for_record(list_name: str, field: str | None = None) -> tuple[str, ...]:
    """Ids of the rules that a record field of ``list_name`` (or any of its fields) serves."""
    spec = RECORDS[list_name]
    table = _kind_field_rules()
    out: list[str] = []
    for name, feeds in spec.needs.items():
        if field is not None and name != field:
            continue
        for pair in feeds:
            out.extend(table.get(pair, ()))
    return tuple(dict.fromkeys(out))


def _record_questions(
    list_name: str, list_key: str, index: int, loan: int | None
) -> Iterator[Question]:
    spec = RECORDS[list_name]
    hints = _hints(spec.cls)
    fields = list(attrs.fields(spec.cls))
    fields.sort(key=lambda f: f.default is not attrs.NOTHING)  # required fields first
    for f in fields:
        if f.name not in spec.needs:
            continue
        required = f.default is attrs.NOTHING
        if not required and not (rules_for_record(list_name, f.name) or f.name in spec.checklist):
            continue
        t = natural.strip_optional(hints[f.name])
        kind, enum = _kind_of(t)
        if f.name == "loan":
            kind = "loan"
        if list_name == "schedule" and f.name == "paid":
            kind = "paid"  # an amount, or 已还 / 未还
        yield Question(
            f"{list_key}[{index}].{f.name}", f.name, kind, required, enum, loan, list_name, index
        )


class Interview:
    """The state of one consultation and the choice of its next question."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = data or {}
        self.asked: list[str] = []
        self.unknown: list[str] = []
        self.meta: dict[str, Any] = {}
        self.originals: dict[str, str] = {}
        if self.data.get("loans"):
            self.meta["loan_count"] = len(self.data["loans"])
        if self.data.get("agreement"):
            self.meta["has_agreement"] = True
        # Lists that arrive with records (an uploaded case) are taken as complete.
        closed = [
            f"loans[{i}].{name}"
            for i, loan in enumerate(self.data.get("loans") or [])
            if isinstance(loan, dict)
            for name in ("fees", "schedule", "collection_contacts")
            if loan.get(name)
        ]
        if self.data.get("history"):
            closed.append("history")
        if closed:
            self.meta["closed"] = closed

    # -- persistence ---------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps(
            {
                "data": self.data,
                "asked": self.asked,
                "unknown": self.unknown,
                "originals": self.originals,
                "meta": self.meta,
            },
            ensure_ascii=False,
            default=str,
        )

    @classmethod
    def from_json(cls, text: str) -> Interview:
        raw = json.loads(text)
        it = cls(raw.get("data") or {})
        it.asked = list(raw.get("asked") or [])
        it.unknown = list(raw.get("unknown") or [])
        it.meta = dict(raw.get("meta") or {})
        it.originals = dict(raw.get("originals") or {})
        return it

    # -- the questions -------------------------------------------------------------------------
    def _candidates(self) -> Iterator[Question]:
        if "loan_count" not in self.meta:
            yield Question("loan_count", "loan_count", "count", True)
            return
        loans = self.data.setdefault("loans", [])
        while len(loans) < int(self.meta["loan_count"]):  # a loan read from a text may be there
            loans.append({})
        for q in _fields(models.Loan, "", None):  # required loan fields first, loan by loan
            if q.required:
                for i in range(len(loans)):
                    yield Question(f"loans[{i}].{q.name}", q.name, q.kind, True, q.enum, i)
        for q in _fields(models.Borrower, "borrower.", None):
            yield q
        for i, loan in enumerate(loans):
            for q in _fields(models.Loan, f"loans[{i}].", i):
                if q.required:
                    continue
                if q.name in ("penalty_rate", "penalty_interest", "late_fees") and not loan.get(
                    "overdue_since"
                ):
                    continue
                yield Question(q.key, q.name, q.kind, False, q.enum, i)
            yield from self._list_questions("fees", i)
            if any(loan.get(k) is None for k in ("rate", "term_months", "repayment_method")):
                # Without rate, term and method the schedule cannot be derived: ask for it.
                yield from self._list_questions("schedule", i)
            if loan.get("overdue_since"):
                yield from self._list_questions("collection_contacts", i)
        yield from self._list_questions("history", None)
        yield Question("has_agreement", "has_agreement", "bool", False)
        if self.meta.get("has_agreement"):
            agreement = self.data.setdefault("agreement", {})
            if len(loans) > 1:  # a case with several loans must say which one the plan settles
                yield Question("agreement.loan", "loan", "loan", True)
            for q in _fields(models.Agreement, "agreement.", None):
                if q.name == "account_holder" and agreement.get("repayment_account") != "personal":
                    continue
                if q.name == "waived" and not agreement.get("waiver_negotiated"):
                    continue
                yield q
        for q in _fields(models.Case, "", None):
            yield q

    def _list_questions(self, name: str, loan: int | None) -> Iterator[Question]:
        """The questions of one list: each record's fields, then "add a record?"."""
        list_key = f"loans[{loan}].{name}" if loan is not None else name
        records = _get(self.data, list_key) or []
        dropped = set(self.meta.get("dropped", ()))
        closed = list_key in self.meta.get("closed", ())
        for index, record in enumerate(records):
            if f"{list_key}[{index}]" in dropped:
                continue
            for q in _record_questions(name, list_key, index, loan):
                if q.name == "periods" and record.get("charged") != "periodic":
                    continue
                if q.name == "loan" and len(self.data.get("loans") or []) < 2:
                    continue
                yield q
        if not closed:
            yield Question(
                f"{list_key}[{len(records)}]", "add", "bool", False, None, loan, name, len(records)
            )

    def _known(self, key: str) -> bool:
        if key in self.asked or key in self.unknown:
            return True
        if key in ("loan_count", "has_agreement"):
            return key in self.meta
        return _get(self.data, key) is not None

    def next_question(self) -> Question | None:
        """The next question, or None when nothing more is needed."""
        for q in self._candidates():
            if not self._known(q.key):
                return q
        return None

    # -- answers -------------------------------------------------------------------------------
    def answer(self, q: Question, text: str) -> None:
        """Record an answer; raise :class:`InputError` (worded for people) if it cannot be read."""
        text = text.strip()
        if text.casefold() in _UNKNOWN or (not text and not q.required):
            if q.required and q.record is None:
                raise InputError(q.key, "this field is required")
            self.unknown.append(q.key)
            if q.key == "has_agreement":
                self.meta["has_agreement"] = False
            if q.name == "add" and q.record is not None:
                self._close(q.key)
            elif q.required:  # a record without a required field is not kept
                self.meta.setdefault("dropped", []).append(q.key.rsplit(".", 1)[0])
            return
        value = self._read(q, text)
        if q.name == "add" and q.record is not None:
            if value:
                records = _get(self.data, q.key.rsplit("[", 1)[0])
                if records is None:
                    _set(self.data, q.key.rsplit("[", 1)[0], [])
                    records = _get(self.data, q.key.rsplit("[", 1)[0])
                records.append({})
            else:
                self._close(q.key)
            self.asked.append(q.key)
            return
        if q.key in ("loan_count", "has_agreement"):
            self.meta[q.key] = value
        elif value is None:
            self.unknown.append(q.key)
        else:
            _set(self.data, q.key, value)
            try:
                self._validate(q.key, q.record is not None)
            except InputError:
                _unset(self.data, q.key)
                raise
            self.originals[q.key] = text
        self.asked.append(q.key)

    def _close(self, add_key: str) -> None:
        self.meta.setdefault("closed", []).append(add_key.rsplit("[", 1)[0])

    def _errors(self) -> list[tuple[str, str]]:
        """The problems of the case as written so far (paths as in :attr:`data`)."""
        from .case.load import load_case

        data, renamed = self._written()
        try:
            load_case(data)
        except InputError as exc:
            out = []
            for path, message in exc.errors:
                for new, old in renamed.items():
                    if path == new or path.startswith((new + ".", new + "[")):
                        path = old + path[len(new) :]
                        break
                out.append((path, message))
            return out
        return []

    def _validate(self, key: str, in_record: bool = False) -> None:
        """Check an answer against the model (e.g. received ≤ principal, term ≥ 1 month), and
        against the rest of the case: an answer that makes the case fail to load is refused."""
        errors = self._errors()
        if not errors:
            return
        record = key.rsplit(".", 1)[0] if in_record else key
        mine = [
            (p, m)
            for p, m in errors
            if p == key or p.startswith((key + ".", key + "[", record + ".", record + "["))
        ]
        if not mine:  # a problem elsewhere: refuse the answer only if it caused the problem
            saved = _get(self.data, key)
            _unset(self.data, key)
            before = set(self._errors())
            _set(self.data, key, saved)
            mine = [e for e in errors if e not in before]
        if mine:
            raise InputError(mine[0][0], mine[0][1], errors=mine)

    def _read(self, q: Question, text: str) -> Any:
        kind = q.kind
        if kind == "count":
            n = natural.parse_int(text)
            if n is None or not 1 <= n <= 20:
                raise InputError(q.key, "expected a whole number")
            return n
        if kind == "bool":
            b = natural.parse_bool(text)
            if b is None:
                raise InputError(q.key, "expected true or false")
            return b
        if kind == "money":
            m = natural.parse_money(text)
            if q.name.endswith("_multiple"):
                m = natural.parse_multiple(text) or m
            if m is None:
                raise InputError(q.key, "is not a number")
            return format(m.normalize(), "f")
        if kind == "rate":
            r = natural.parse_rate(text)
            if r is None and q.loan is not None:
                factor = natural.parse_multiple(text)
                base = self.data["loans"][q.loan].get("rate")
                if factor is not None and isinstance(base, dict):
                    return {
                        "value": format((Decimal(base["value"]) * factor).normalize(), "f"),
                        "unit": base["unit"],
                    }
            if r is None:
                raise InputError(q.key, "looks like a percentage: write 24 % as 0.24")
            return r
        if kind == "date":
            if q.name == "overdue_since" and natural.parse_bool(text) is False:
                return None
            d = natural.parse_date(text)
            if d is None:
                raise InputError(q.key, "expected a date written YYYY-MM-DD")
            return d.isoformat()
        if kind == "paid":
            flag = natural.parse_paid(text)
            if flag is not None:
                return flag
            paid = natural.parse_money(text)
            if paid is None:
                raise InputError(q.key, "is not a number")
            return format(paid.normalize(), "f")
        if kind == "datetime":
            when = natural.parse_datetime(text)
            if when is None:
                raise InputError(q.key, "expected a date and time written YYYY-MM-DDTHH:MM")
            return when.isoformat(timespec="minutes")
        if kind == "int":
            n = natural.parse_int(text)
            if n is None or n < 0:
                raise InputError(q.key, "expected a whole number")
            return n
        if kind in ("word", "words", "hardship") and q.enum is not None:
            if kind == "hardship" and natural.parse_bool(text) is False:
                return None
            if kind == "words" and natural.parse_bool(text) is False:
                return []
            parts = [p for p in _split(text)]
            words = [natural.parse_word(p, q.enum) for p in parts]
            if not parts or not all(words):
                bad = next((p for p, w in zip(parts, words, strict=True) if not w), text)
                raise InputError(q.key, f"{bad[:40]!r} is not one of: ")
            if kind == "word":
                return words[0]
            if kind == "hardship":
                return [{"kind": w} for w in words]
            return words
        if kind == "instalments":
            return _instalments(q.key, text)
        if kind == "loan":
            n = natural.parse_int(text.upper().removeprefix("L"))
            count = len(self.data.get("loans", []))
            if n is None or not 1 <= n <= count:
                raise InputError(q.key, f"names no loan of the case (loans: 1–{count})")
            return f"L{n}"
        if kind == "text":
            return text[:100]
        raise InputError(q.key, "has the wrong type")

    def forget(self, key: str) -> None:
        """Take back an answer so that its question is asked again."""
        if key in self.asked:
            self.asked.remove(key)
        if key in self.unknown:
            self.unknown.remove(key)
        record = key.rsplit(".", 1)[0]
        if record in self.meta.get("dropped", ()):
            self.meta["dropped"].remove(record)
        if key in self.meta:
            del self.meta[key]
        else:
            _unset(self.data, key)

    # -- the result ----------------------------------------------------------------------------
    def case_data(self) -> dict[str, Any]:
        """The case as written so far: records dropped or not yet complete are left out."""
        return self._written()[0]

    def _written(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The case data and, for each record that moved up, its path there → its path here."""
        data: dict[str, Any] = json.loads(json.dumps(self.data))
        if not self.meta.get("has_agreement"):
            data.pop("agreement", None)
        data.setdefault("borrower", {})
        dropped = set(self.meta.get("dropped", ()))
        renamed: dict[str, str] = {}
        lists: list[tuple[str, dict[str, Any], str]] = [("history", data, "history")]
        for i, loan in enumerate(data.get("loans") or []):
            if isinstance(loan, dict):
                lists += [(n, loan, f"loans[{i}].{n}") for n in RECORDS if n != "history"]
        for name, owner, list_key in lists:
            records = owner.get(name)
            if not isinstance(records, list):
                continue
            required = [
                f.name for f in attrs.fields(RECORDS[name].cls) if f.default is attrs.NOTHING
            ]
            kept: list[Any] = []
            for index, record in enumerate(records):
                path = f"{list_key}[{index}]"
                if path in dropped or not isinstance(record, dict):
                    continue
                if any(record.get(f) is None for f in required):
                    continue
                if len(kept) != index:
                    renamed[f"{list_key}[{len(kept)}]"] = path
                kept.append(record)
            if kept:
                owner[name] = kept
            else:
                owner.pop(name, None)
        return data, renamed

    def summary(self, lang: str = "zh-Hans") -> list[tuple[str, str]]:
        """(question, answer) pairs for the confirmation screen; unknowns say so."""
        out: list[tuple[str, str]] = []
        unknown = "不知道" if lang != "en" else "unknown"
        for key in self.summary_keys():
            q = self._question_for(key)
            if q is None:
                continue
            shown = self.originals.get(key) or _show(
                self.meta.get(key) if key in self.meta else _get(self.data, key)
            )
            out.append((q.prompt(lang), unknown if key in self.unknown else shown))
        return out

    def summary_keys(self) -> list[str]:
        """The keys of :meth:`summary`'s items, in its order (for "change item N")."""
        questions = {q.key: q for q in self._all_questions()}
        return [
            key
            for key in self.asked + self.unknown
            if key in questions and questions[key].name != "add"
        ]

    def _question_for(self, key: str) -> Question | None:
        for q in self._all_questions():
            if q.key == key:
                return q
        return None

    def _all_questions(self) -> Iterator[Question]:
        yield Question("loan_count", "loan_count", "count", True)
        yield Question("has_agreement", "has_agreement", "bool", False)
        saved = dict(self.meta)
        self.meta.setdefault("loan_count", len(self.data.get("loans", [])) or 1)
        self.meta["has_agreement"] = True
        try:
            yield from self._candidates()
        finally:
            self.meta = saved


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) and "value" in value:
        return f"{value['value']} ({value.get('unit')})"
    if isinstance(value, list):
        return "、".join(
            _show(v) if not isinstance(v, dict) else str(v.get("kind", v)) for v in value
        )
    return "" if value is None else str(value)


def _split(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"[、，,；;/\s]+", text) if p.strip()]


def _instalments(key: str, text: str) -> list[dict[str, str]]:
    """ "2000×13，2026年1月6日" → 13 monthly instalments of 2000 from 2026-01-06 on."""
    import re

    from .calc.dates import add_months

    parts = [p for p in re.split(r"[，,；;]\s*", text) if p.strip()]
    if len(parts) != 2:
        raise InputError(key, "expected a whole number")
    m = re.fullmatch(r"\s*(.+?)\s*[×xX*]\s*(.+?)\s*期?\s*", parts[0])
    first = natural.parse_date(parts[1])
    if not m or first is None:
        raise InputError(key, "expected a date written YYYY-MM-DD")
    amount = natural.parse_money(m.group(1))
    count = natural.parse_int(m.group(2))
    if amount is None or count is None or not 1 <= count <= 120:
        raise InputError(key, "is not a number")
    return [
        {"due": add_months(first, i).isoformat(), "amount": format(amount.normalize(), "f")}
        for i in range(count)
    ]


def _steps(key: str) -> list[str | int]:
    import re

    out: list[str | int] = []
    for part in key.split("."):
        m = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        if m:
            out.extend([m.group(1), int(m.group(2))])
        else:
            out.append(part)
    return out


def _get(data: Any, key: str) -> Any:
    cur = data
    for step in _steps(key):
        if isinstance(step, int):
            if not isinstance(cur, list) or step >= len(cur):
                return None
            cur = cur[step]
        else:
            if not isinstance(cur, dict) or step not in cur:
                return None
            cur = cur[step]
    return cur


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    steps = _steps(key)
    cur: Any = data
    for step, nxt in itertools.pairwise(steps):
        if isinstance(step, int):
            cur = cur[step]
        else:
            cur = cur.setdefault(step, [] if isinstance(nxt, int) else {})
    cur[steps[-1]] = value


# ---------------------------------------------------------------------------------------------
# The terminal consultation
# ---------------------------------------------------------------------------------------------

_TEXTS = {
    "zh-Hans": {
        "hello": "我们一问一答，把您的情况整理成案件文件。"
        "不知道的答“不知道”；想知道为什么问，输入“?”。",
        "resume": "接着上次的进度继续（{path}）。",
        "error": "没看懂这个回答：",
        "summary": "请核对：",
        "confirm": "以上都对吗？对就回答“是”；要改第几项就输入它的序号。",
        "saved": "案件已保存到 {path}。下面是您的行动计划：",
        "stopped": "已暂停；再次运行同一命令就从这里继续。",
    },
    "en": {
        "hello": "One question at a time, we will turn your situation into a case file. Answer "
        '"unknown" when you do not know; type ? to ask why a question is asked.',
        "resume": "Resuming where you stopped ({path}).",
        "error": "That answer could not be read:",
        "summary": "Please check:",
        "confirm": "Is all of this right? Answer yes, or type the number of an item to change.",
        "saved": "The case is saved in {path}. Here is your action plan:",
        "stopped": "Paused; run the same command again to continue from here.",
    },
}


def _text(lang: str, key: str, **kw: str) -> str:
    text = _TEXTS["en" if lang == "en" else "zh-Hans"][key].format(**kw)
    if lang == "zh-Hant":
        from .i18n import to_traditional

        text = to_traditional(text)
    return text


def to_toml(data: dict[str, Any]) -> str:
    """The case data as TOML (tomli-w), with a header line."""
    import tomli_w

    return "# negotiator case (written by `negotiator interview`)\n" + tomli_w.dumps(data)


def run_terminal(
    read: typing.Callable[[], str | None],
    write: typing.Callable[[str], None],
    *,
    output: Any,
    lang: str = "zh-Hans",
) -> Any:
    """Run a consultation; return the loaded :class:`~negotiator.case.models.Case`, or None if the
    input ended first (the progress is kept next to ``output`` to resume)."""
    from pathlib import Path

    from .case.load import load_case
    from .fsutil import atomic_write

    out_path = Path(output)
    state_path = out_path.with_name(out_path.name + ".interview.json")
    if state_path.is_file():
        it = Interview.from_json(state_path.read_text(encoding="utf-8"))
        write(_text(lang, "resume", path=str(state_path)))
    else:
        it = Interview()
        write(_text(lang, "hello"))

    def save() -> None:
        atomic_write(state_path, it.to_json().encode("utf-8"))

    def ask(q: Question) -> bool:
        while True:
            write(q.prompt(lang))
            line = read()
            if line is None:
                save()
                write(_text(lang, "stopped"))
                return False
            if line.strip() in _WHY:
                write(q.why(lang))
                continue
            try:
                it.answer(q, line)
            except InputError as exc:
                write(_text(lang, "error") + " " + exc.describe(lang).splitlines()[0])
                continue
            save()
            return True

    while True:
        while (q := it.next_question()) is not None:
            if not ask(q):
                return None
        write(_text(lang, "summary"))
        items = it.summary(lang)
        for i, (question, answer) in enumerate(items, 1):
            write(f"{i}. {question} {answer}")
        write(_text(lang, "confirm"))
        line = read()
        if line is None:
            save()
            write(_text(lang, "stopped"))
            return None
        choice = natural.parse_int(line) if line.strip() else None
        if natural.parse_bool(line) is True or line.strip().casefold() in ("ok", "对"):
            break
        if choice is not None and 1 <= choice <= len(items):
            key = it.summary_keys()[choice - 1]
            it.forget(key)
            save()
    data = it.case_data()
    case = load_case(data)
    atomic_write(out_path, to_toml(data).encode("utf-8"))
    state_path.unlink(missing_ok=True)
    write(_text(lang, "saved", path=str(out_path)))
    return case


def _unset(data: dict[str, Any], key: str) -> None:
    steps = _steps(key)
    cur: Any = data
    for step in steps[:-1]:
        if isinstance(step, int):
            cur = cur[step] if isinstance(cur, list) and step < len(cur) else None
        else:
            cur = cur.get(step) if isinstance(cur, dict) else None
    if isinstance(cur, dict):
        cur.pop(str(steps[-1]), None)
