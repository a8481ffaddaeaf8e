"""Natural input: the spellings people write, turned into the case format's canonical values.

A volunteer copying a contract writes ``rate = "年化18%"``, ``principal = "1.2万"``,
``contract_date = "2025年11月10日"`` and ``lender_type = "小额贷款公司"``.  :func:`canonicalise`
walks plain case data against the model types and rewrites every value it recognises into the
canonical form (``{value = "0.18", unit = "annual"}``, ``"12000"``, ``"2025-11-10"``,
``"microloan"``); anything it does not recognise is left exactly as written, so the loader's
validation reports it with the field path.  What was written at every path read as text is
kept (path → original) so that messages can quote it back.

Accepted spellings (docs/case-format.md has the full table):

* money: ``12000``, ``"12,000"`` (commas only as thousands separators), ``"12000元"``,
  ``"¥12000"``, ``"1.2万"``, ``"1.2万元"``, ``"人民币壹万贰仟元整"``, ``"一万二千元"``
  (Chinese numerals
  are read with cn2an);
* rates: ``"18%"`` and ``"年化18%"`` / ``"年利率18%"`` (annual), ``"月息1.5%"`` (monthly),
  ``"日息0.05%"`` / ``"日利率万分之五"`` (daily); a bare percentage is a yearly rate; a penalty rate
  ``"合同利率的1.5倍"`` (or ``"1.5倍"``, ``"上浮50%"``) is that multiple of the same loan's contract
  rate; inside a rate table, ``value = "18%"`` and ``unit = "年"`` are read too;
* dates: ``"2025年11月10日"``, ``"2025/11/10"``, ``"2025.11.10"``, ``"2025-11-10"``; date-times the
  same followed by ``HH:MM``;
* every closed-set word in Chinese as well (:data:`SYNONYMS`), and yes/no as 是/否/有/没有;
* whole numbers with a counter word: ``"12期"``, ``"2人"``, ``"十二个月"``.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import cache
from typing import Any

import attrs

from . import models

__all__ = [
    "SYNONYMS",
    "canonicalise",
    "parse_date",
    "parse_datetime",
    "parse_money",
    "parse_rate",
    "parse_word",
]

# ---------------------------------------------------------------------------------------------
# Closed-set words in Chinese
# ---------------------------------------------------------------------------------------------

#: Chinese (and common alternative) spellings of each closed-set word, per enum.
SYNONYMS: dict[type[Enum], dict[str, tuple[str, ...]]] = {
    models.LenderType: {
        "bank": ("银行", "商业银行", "民营银行", "互联网银行"),
        "consumer_finance": ("消费金融公司", "消费金融", "消金", "消金公司"),
        "microloan": ("小额贷款公司", "小贷公司", "小贷", "网络小贷", "网络小额贷款公司"),
        "bank_via_platform": ("助贷", "银行助贷", "平台助贷"),
        "private": ("个人", "民间借贷", "私人", "个人借款"),
        "other": ("其他",),
    },
    models.RepaymentMethod: {
        "equal_instalment": ("等额本息",),
        "equal_principal": ("等额本金",),
        "interest_only": ("先息后本", "按月付息到期还本", "按月付息、到期还本"),
        "bullet": ("一次还本付息", "到期一次还本付息"),
    },
    models.CourtProcedure: {
        "ordinary": ("普通程序", "普通"),
        "simplified": ("简易程序", "简易"),
        "small_claims": ("小额诉讼程序", "小额诉讼", "小额程序"),
        "unknown": ("不知道", "不清楚", "未知"),
    },
    models.RateUnit: {
        "daily": ("日", "每日", "日息", "日利率"),
        "monthly": ("月", "每月", "月息", "月利率"),
        "annual": ("年", "每年", "年化", "年利率", "年息"),
    },
    models.IncomeStability: {
        "stable": ("稳定",),
        "unstable": ("不稳定",),
        "none": ("无收入", "没有收入"),
        "unknown": ("不知道", "不清楚", "未知"),
    },
    models.EmploymentStatus: {
        "employed": ("在职", "上班", "受雇"),
        "self_employed": ("个体", "自雇", "自由职业", "个体户"),
        "unemployed": ("失业", "待业", "无业"),
        "retired": ("退休",),
        "student": ("学生",),
        "other": ("其他",),
        "unknown": ("不知道", "不清楚", "未知"),
    },
    models.HardshipKind: {
        "unemployment": ("失业",),
        "illness": ("疾病", "生病", "受伤", "疾病受伤"),
        "income_drop": ("降薪", "收入减少", "收入下降"),
        "family_event": ("家庭变故",),
        "business_failure": ("经营失败", "生意失败"),
        "disaster": ("自然灾害", "意外", "灾害"),
        "other": ("其他",),
    },
    models.EvidenceKind: {
        "termination_certificate": ("解除劳动合同证明", "离职证明", "终止劳动合同证明"),
        "unemployment_certificate": ("失业证明", "失业登记"),
        "medical_records": ("病历", "诊断证明"),
        "medical_bills": ("医疗费用票据", "医疗票据", "医药费发票"),
        "pay_slips": ("工资单", "工资条"),
        "bank_statements": ("银行流水",),
        "income_certificate": ("收入证明",),
        "family_certificate": ("家庭变故证明", "死亡证明", "离婚证明", "亲属关系证明"),
        "business_records": ("经营亏损材料", "营业执照注销证明"),
        "disaster_proof": ("灾害证明", "事故证明"),
        "other": ("其他",),
    },
    models.DocumentKind: {
        "loan_contract": ("借款合同", "贷款合同", "合同"),
        "repayment_records": ("还款记录",),
        "statement": ("账单", "欠款明细", "平台账单"),
        "income_proof": ("收入证明",),
        "bank_statements": ("银行流水",),
        "credit_report": ("信用报告", "征信报告", "个人信用报告"),
        "communication_records": ("通话录音", "聊天记录", "沟通记录"),
        "id_card": ("身份证", "身份证复印件"),
    },
    models.FeeKind: {
        "service": ("服务费",),
        "guarantee": ("担保费", "增信服务费"),
        "insurance": ("保险费", "保费"),
        "membership": ("会员费", "权益费"),
        "platform": ("平台服务费", "平台费"),
        "consulting": ("咨询费", "顾问费"),
        "management": ("账户管理费", "管理费"),
        "late_fee": ("滞纳金",),
        "penalty": ("违约金",),
        "collection": ("催收费",),
        "prepayment": ("提前还款手续费", "提前还款费"),
        "other": ("其他",),
    },
    models.FeeTiming: {
        "upfront": ("放款时扣除", "先行收取", "砍头息", "预扣"),
        "periodic": ("每期收取", "每期"),
        "on_overdue": ("逾期后收取", "逾期后"),
        "one_off": ("一次性", "一次性收取"),
    },
    models.ContactChannel: {
        "phone": ("电话",),
        "sms": ("短信",),
        "instant_message": ("微信", "QQ", "即时通讯"),
        "app": ("App", "APP", "应用内"),
        "visit": ("上门",),
        "letter": ("信件", "邮寄", "律师函"),
        "email": ("邮件", "电子邮件"),
        "other": ("其他",),
    },
    models.ContactTarget: {
        "borrower": ("本人", "借款人"),
        "relative": ("亲属", "家人"),
        "employer": ("单位", "雇主", "公司领导"),
        "colleague": ("同事",),
        "friend": ("朋友",),
        "contact_list": ("通讯录", "通讯录群发"),
        "other_third_party": ("其他第三人",),
    },
    models.Conduct: {
        "threat": ("威胁", "恐吓"),
        "violence": ("暴力",),
        "confinement": ("限制人身自由",),
        "home_intrusion": ("闯入住宅", "上门骚扰"),
        "stalking": ("跟踪",),
        "insult": ("辱骂",),
        "impersonating_authority": ("冒充公检法", "冒充公安"),
        "fake_legal_document": ("伪造法律文书", "假律师函", "假传票"),
        "disclosed_debt": ("透露债务", "爆通讯录"),
        "demanded_personal_account": ("要求转账到个人账户", "个人账户"),
        "demanded_verification_code": ("索要验证码",),
        "demanded_deposit": ("要求保证金", "保证金", "要求交保证金"),
        "collection_fee_demanded": ("收取催收费", "收催收费"),
    },
    models.AgreementForm: {
        "paper": ("纸质", "纸质协议"),
        "e_contract": ("电子合同", "电子协议"),
        "email": ("邮件", "电子邮件"),
        "chat": ("聊天", "微信聊天", "聊天记录"),
        "phone_only": ("电话", "口头", "仅电话"),
    },
    models.AccountKind: {
        "official_company": ("对公账户", "公司账户", "官方对公账户"),
        "in_app": ("App内还款", "官方App", "App内"),
        "personal": ("个人账户", "私人账户"),
        "unknown": ("不知道", "不清楚", "未知"),
    },
    models.PartyKind: {
        "lender": ("贷款机构", "出借人"),
        "collection_agency": ("催收公司", "催收机构"),
        "individual": ("个人",),
        "platform": ("平台",),
    },
    models.LawsuitStatus: {
        "none": ("无", "没有", "未起诉"),
        "threatened": ("威胁起诉", "扬言起诉"),
        "filed": ("已起诉", "已立案", "起诉"),
        "judgment": ("已判决", "判决"),
    },
    models.NegotiationEventKind: {
        "contact": ("联系",),
        "borrower_offer": ("我方提议", "借款人提议", "我方提出方案"),
        "lender_offer": ("对方提议", "贷款方提议", "对方提出方案"),
        "answer": ("答复", "对方答复"),
        "agreement": ("协议", "达成协议"),
    },
    models.Outcome: {
        "pending": ("待定", "等待答复"),
        "accepted": ("接受", "同意"),
        "refused": ("拒绝",),
        "no_reply": ("未回复", "没有回复"),
        "counter_offer": ("还价", "反提议"),
    },
}

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％／：－　", "0123456789.,%/:- ")


def _clean(text: str) -> str:
    return text.translate(_FULLWIDTH).strip()


@cache
def _word_table(enum: type[Enum]) -> dict[str, str]:
    table: dict[str, str] = {}
    for member in enum:
        value = str(member.value)
        table[value.casefold()] = value
        table[value.replace("_", " ").casefold()] = value
        table[value.replace("_", "-").casefold()] = value
    for value, words in SYNONYMS.get(enum, {}).items():
        for word in words:
            table.setdefault(word.casefold(), value)
    return table


def parse_word(text: str, enum: type[Enum]) -> str | None:
    """The canonical word of ``enum`` that ``text`` spells, or None."""
    return _word_table(enum).get(_clean(text).casefold())


def words_of(enum: type[Enum]) -> dict[str, tuple[str, ...]]:
    """Each canonical word with its accepted Chinese spellings (for docs and did-you-mean)."""
    return {str(m.value): SYNONYMS.get(enum, {}).get(str(m.value), ()) for m in enum}


# ---------------------------------------------------------------------------------------------
# Numbers and money
# ---------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億点"


def _number(text: str) -> Decimal | None:
    """A plain, thousands-separated or Chinese-numeral number (no unit), or None."""
    s = _clean(text)
    if not s:
        return None
    if _PLAIN.fullmatch(s):
        return Decimal(s)
    if _THOUSANDS.fullmatch(s):
        return Decimal(s.replace(",", ""))
    if all(c in _CN_DIGITS or c.isdigit() or c == "." for c in s):
        return _cn_number(s)
    return None


def _cn_number(s: str) -> Decimal | None:
    import cn2an

    try:
        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    return d.normalize() if d == d.to_integral_value() else d


_MONEY_PREFIX = re.compile(r"^(人民币|RMB|CNY|¥|￥)\s*", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(r"\s*(元整|元正|元|圆整|圆|块钱|块|整|RMB|CNY)$", re.IGNORECASE)
_D = "[零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖]"
_JIAO_FEN = re.compile(
    rf"^(?:(?P<yuan>.+?)[元圆])?零?(?:(?P<jiao>{_D})角)?零?(?:(?P<fen>{_D})分)?[整正]?$"
)
_SCALE = {
    "万": Decimal(10_000),
    "萬": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "千": Decimal(1000),
}


def parse_money(text: str) -> Decimal | None:
    """An amount in yuan from a natural spelling, or None when ``text`` is not one."""
    s = _clean(text)
    s = _MONEY_PREFIX.sub("", s).strip()
    if not s:
        return None
    m = _JIAO_FEN.match(s)
    if m and (m.group("jiao") or m.group("fen")) and not re.search(r"\d", m.group(0)[-2:]):
        yuan = _number(m.group("yuan")) if m.group("yuan") else Decimal(0)
        if yuan is None:
            return None
        jiao = _cn_digit(m.group("jiao"))
        fen = _cn_digit(m.group("fen"))
        return yuan + Decimal(jiao) / 10 + Decimal(fen) / 100
    s = _MONEY_SUFFIX.sub("", s).strip()
    if not s:
        return None
    plain = _number(s)
    if plain is not None:
        return plain
    # "1.2万": an Arabic number times a Chinese scale word.
    if s[-1] in _SCALE:
        head = s[:-1].strip()
        if head and (_PLAIN.fullmatch(head) or _THOUSANDS.fullmatch(head)):
            return Decimal(head.replace(",", "")) * _SCALE[s[-1]]
    return None


def _cn_digit(c: str | None) -> int:
    if not c:
        return 0
    for digits in ("零一二三四五六七八九", "〇壹贰叁肆伍陆柒捌玖"):
        if c in digits:
            return digits.index(c)
    return 2  # 两


_COUNTER = re.compile(r"\s*(个月|期|人|个|次|天|日|名|笔)$")


def parse_int(text: str) -> int | None:
    s = _COUNTER.sub("", _clean(text))
    d = _number(s)
    if d is None or d != d.to_integral_value():
        return None
    return int(d)


# ---------------------------------------------------------------------------------------------
# Rates
# ---------------------------------------------------------------------------------------------

_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    ("年化利率", "annual"),
    ("年化", "annual"),
    ("年利率", "annual"),
    ("年息", "annual"),
    ("年", "annual"),
    ("月利率", "monthly"),
    ("月息", "monthly"),
    ("月", "monthly"),
    ("日利率", "daily"),
    ("日息", "daily"),
    ("日", "daily"),
    ("每日", "daily"),
    ("每天", "daily"),
    ("天", "daily"),
)
_FRACTION_WORDS = {"百分之": Decimal(100), "千分之": Decimal(1000), "万分之": Decimal(10_000)}


def _fraction(s: str) -> Decimal | None:
    """ "18%" → 0.18, "万分之五" → 0.0005, "0.18" → 0.18 (a bare fraction)."""
    s = s.strip().removesuffix("的")
    if s.endswith("%"):
        n = _number(s[:-1])
        return None if n is None else n / 100
    if s.endswith("‰"):
        n = _number(s[:-1])
        return None if n is None else n / 1000
    for word, scale in _FRACTION_WORDS.items():
        if s.startswith(word):
            n = _number(s[len(word) :])
            return None if n is None else n / scale
    return None


def parse_rate(text: str) -> dict[str, str] | None:
    """A rate table (``{"value": "0.18", "unit": "annual"}``) from a natural spelling, or None.

    A bare percentage without a unit word is a yearly rate, the way Chinese contracts and
    advertisements state it.
    """
    s = _clean(text).replace(" ", "")
    unit = None
    for word, u in _UNIT_WORDS:
        if s.startswith(word):
            unit, s = u, s[len(word) :]
            break
    s = s.removeprefix("为").removeprefix("是")
    value = _fraction(s)
    if value is None:
        return None
    return {"value": _plain(value), "unit": unit or "annual"}


_MULTIPLE = re.compile(
    r"^(?:按)?(?:合同利率|合同约定利率|借款利率|约定利率|利率|正常利率)?(?:的)?"
    r"(?P<n>[0-9.]+|[一二两三四五六七八九十点]+)倍$"
)
_UPLIFT = re.compile(r"^(?:在?合同利率(?:基础上)?)?上浮(?P<p>.+)$")


def parse_multiple(text: str) -> Decimal | None:
    """ "合同利率的1.5倍" / "1.5倍" / "上浮50%" → 1.5 (a multiple of the contract rate), or None."""
    s = _clean(text).replace(" ", "")
    m = _MULTIPLE.match(s)
    if m:
        return _number(m.group("n"))
    m = _UPLIFT.match(s)
    if m:
        p = _fraction(m.group("p"))
        return None if p is None else 1 + p
    return None


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_DATE = re.compile(
    r"(?P<y>\d{4})\s*(?:年|/|\.|-)\s*(?P<m>\d{1,2})\s*(?:月|/|\.|-)\s*(?P<d>\d{1,2})\s*[日号]?"
)
_TIME = re.compile(r"(?P<h>\d{1,2})\s*[:：点时]\s*(?P<mi>\d{1,2})?\s*分?(?::(?P<s>\d{1,2}))?")


def parse_date(text: str) -> dt.date | None:
    s = _clean(text)
    m = _DATE.fullmatch(s)
    if not m:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def parse_datetime(text: str) -> dt.datetime | None:
    s = _clean(text)
    m = _DATE.match(s)
    if not m:
        return None
    rest = s[m.end() :].strip().removeprefix("T").strip()
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    if not rest:
        return None
    t = _TIME.fullmatch(rest)
    if not t:
        return None
    try:
        return dt.datetime.combine(day, dt.time(int(t["h"]), int(t["mi"] or 0), int(t["s"] or 0)))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Yes / no
# ---------------------------------------------------------------------------------------------

_YES = {"是", "有", "对", "是的", "yes", "y", "true", "签了", "已签"}
_NO = {"否", "没有", "无", "不是", "no", "n", "false", "没签", "未签"}


def parse_bool(text: str) -> bool | None:
    s = _clean(text).casefold()
    if s in _YES:
        return True
    if s in _NO:
        return False
    return None


#: A schedule row's ``paid`` column in words: paid in full / not paid.
_PAID = {"已还", "已还清", "还了", "已付", "已支付", "已还款", "还清", "paid"}
_UNPAID = {"未还", "没还", "未付", "未支付", "未还款", "逾期", "欠着", "unpaid", "missed"}


def parse_paid(text: str) -> bool | None:
    """``schedule[].paid`` written as a word: 已还/是 → true (paid in full), 未还/否 → false."""
    s = _clean(text).casefold()
    if s in _PAID:
        return True
    if s in _UNPAID:
        return False
    return parse_bool(text)


# ---------------------------------------------------------------------------------------------
# Walking the data against the model
# ---------------------------------------------------------------------------------------------


def _plain(d: Decimal) -> str:
    d = d.normalize()
    text = format(d, "f")
    return text


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(models))


def strip_optional(t: Any) -> Any:
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(t) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return t


def canonicalise(
    data: Mapping[str, Any], cls: type = models.Case
) -> tuple[dict[str, Any], dict[str, str]]:
    """Rewrite natural spellings in ``data`` (plain case data) into canonical values.

    Returns the rewritten data (a new dict; ``data`` is not changed) and, for every value that
    was rewritten, its path mapped to the original spelling.
    """
    originals: dict[str, str] = {}
    out = _walk_table(data, cls, "", originals)
    return out, originals


@cache
def _plan(cls: type) -> dict[str, Any]:
    """Each field of ``cls`` with its type, ``None`` removed (computed once per class)."""
    return {name: strip_optional(t) for name, t in _hints(cls).items()}


@cache
def _enum_values(t: type[Enum]) -> frozenset[str]:
    return frozenset(str(m.value) for m in t)


#: The type of ``schedule[].paid``: an amount or true/false.
_PAID_TYPE = Decimal | bool | None
_TYPED = frozenset({dt.date, dt.datetime, int, bool, Decimal, float})
_CANON_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _walk_table(
    data: Mapping[str, Any], cls: type, path: str, originals: dict[str, str]
) -> dict[str, Any]:
    plan = _plan(cls)
    out: dict[str, Any] = {}
    for key, value in data.items():
        t = plan.get(key) if isinstance(key, str) else None
        if t is None or t is str or value is None or type(value) in _TYPED:
            out[key] = value  # free text, unknown keys and plain numbers are left to the loader
            continue
        out[key] = _value(value, t, f"{path}.{key}" if path else key, originals)
    if cls is models.Loan:
        _penalty_multiple(out, path, originals)
    return out


def _value(value: Any, t: Any, path: str, originals: dict[str, str]) -> Any:
    if type(value) in _TYPED:
        return value  # dates, numbers and booleans the document already typed
    if isinstance(value, str):
        # Fast paths: values already written canonically.
        if t is Decimal and _CANON_DECIMAL.fullmatch(value):
            return value
        if t is dt.date and _ISO_DATE.fullmatch(value):
            return value
        if isinstance(t, type) and issubclass(t, Enum) and value in _enum_values(t):
            return value
    origin = typing.get_origin(t)
    if origin is tuple:
        (item_t, *_rest) = typing.get_args(t)
        if isinstance(value, str) and item_t is not str:
            parts = [p for p in re.split(r"[、，,；;]\s*", value) if p.strip()]
            if len(parts) >= 1 and isinstance(item_t, type) and issubclass(item_t, Enum):
                words = [parse_word(p, item_t) for p in parts]
                if all(words):
                    originals[path] = value
                    return words
            return value
        if isinstance(value, list | tuple):
            if item_t is str:
                return value
            return [_value(v, item_t, f"{path}[{i}]", originals) for i, v in enumerate(value)]
        return value
    if isinstance(t, type) and attrs.has(t):
        if isinstance(value, Mapping):
            return _walk_table(value, t, path, originals)
        if t is models.Rate and isinstance(value, str):
            rate = parse_rate(value)
            originals[path] = value
            if rate is not None:
                return rate
        return value
    if not isinstance(value, str) or t is str:
        return value  # free text (and personal data) is never copied
    new: Any = None
    if t == _PAID_TYPE:  # schedule[].paid: an amount, or paid/unpaid in words
        flag = parse_paid(value)
        if flag is not None:
            new = flag
        else:
            m = parse_money(value)
            new = None if m is None else _plain(m)
    elif t is Decimal:
        if path.endswith(".value") and (parsed := _fraction(_clean(value))) is not None:
            new = _plain(parsed)  # a rate's value written as a percentage
        elif path.endswith("_multiple") and (factor := parse_multiple(value)) is not None:
            new = _plain(factor)  # penalty_multiple = "合同利率的1.5倍"
        else:
            m = parse_money(value)
            new = None if m is None else _plain(m)
    elif t is dt.date:
        d = parse_date(value)
        new = None if d is None else d.isoformat()
    elif t is dt.datetime:
        d2 = parse_datetime(value)
        new = None if d2 is None else d2.isoformat()
    elif isinstance(t, type) and issubclass(t, Enum):
        new = parse_word(value, t)
    elif t is int:
        new = parse_int(value)
    elif t is bool:
        new = parse_bool(value)
    originals[path] = value  # what was written, for messages (read or not)
    return value if new is None else new


def _penalty_multiple(loan: dict[str, Any], path: str, originals: dict[str, str]) -> None:
    """``penalty_rate = "合同利率的1.5倍"`` → 1.5 × the loan's contract rate (same unit, basis)."""
    for key in ("penalty_rate", "charged_rate"):
        raw = loan.get(key)
        if not isinstance(raw, str):
            continue
        factor = parse_multiple(raw)
        rate = loan.get("rate")
        if factor is None or not isinstance(rate, Mapping):
            continue
        try:
            base = Decimal(str(rate.get("value")))
        except InvalidOperation:
            continue
        if not base.is_finite():
            continue
        new: dict[str, Any] = {"value": _plain(base * factor), "unit": rate.get("unit", "annual")}
        if "basis" in rate:
            new["basis"] = rate["basis"]
        loan[key] = new
        originals[f"{path}.{key}" if path else key] = raw
