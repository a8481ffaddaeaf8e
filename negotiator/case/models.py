"""The case model: frozen, typed attrs classes, one concept each.

A :class:`Case` is what a borrower (or the adviser helping them) knows about their situation:
the borrower's budget and hardship, each loan, the collection contacts, an optional proposed
repayment agreement and the negotiation history.  Everything here is a value: no I/O, no
calculation.  Loading and validation of files lives in :mod:`negotiator.case.load`; derived figures
live in :mod:`negotiator.calc`.

Conventions
-----------
* Money is :class:`~decimal.Decimal` yuan, at most to the fen (validated on entry).
* Rates are :class:`Rate` values: an exact decimal, its unit (daily / monthly / annual) and the
  day-count basis the contract states.
* Dates are :class:`datetime.date`; collection contacts carry a local (Beijing) date and time.
* ``None`` means *not known* (the preparation checklist reports it as missing), never zero.
* Personal identifiers (身份证号, phone numbers) are excluded from ``repr`` so they cannot leak
  into logs or tracebacks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from ..money import FEN

__all__ = [
    "AccountKind",
    "Agreement",
    "AgreementForm",
    "Borrower",
    "Case",
    "CollectionContact",
    "Conduct",
    "ContactChannel",
    "ContactTarget",
    "Court",
    "CourtProcedure",
    "DocumentKind",
    "EmploymentStatus",
    "EvidenceKind",
    "ExpectedIncome",
    "Fee",
    "FeeKind",
    "FeeTiming",
    "Hardship",
    "HardshipKind",
    "IncomeStability",
    "Instalment",
    "IntermediaryPayment",
    "LawsuitStatus",
    "LenderType",
    "Loan",
    "NegotiationEvent",
    "NegotiationEventKind",
    "Outcome",
    "Party",
    "PartyKind",
    "Rate",
    "RateUnit",
    "RepaymentMethod",
    "ScheduledPayment",
]


def doc(text: str, **extra: Any) -> dict[str, Any]:
    """Field metadata: the description that the JSON Schema and the docs show."""
    return {"doc": text, **extra}


# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------


class LenderType(StrEnum):
    """Who legally lends the money (the 贷款人 in the contract), which decides the cap regime."""

    BANK = "bank"  # 商业银行（含民营银行、互联网银行）
    CONSUMER_FINANCE = "consumer_finance"  # 消费金融公司
    MICROLOAN = "microloan"  # 小额贷款公司（含网络小贷）
    BANK_VIA_PLATFORM = "bank_via_platform"  # 助贷：银行放款、平台获客/增信
    PRIVATE = "private"  # 民间借贷：个人或非金融企业
    OTHER = "other"


class RateUnit(StrEnum):
    DAILY = "daily"
    MONTHLY = "monthly"
    ANNUAL = "annual"


class RepaymentMethod(StrEnum):
    """How the contract repays the principal (还款方式)."""

    EQUAL_INSTALMENT = "equal_instalment"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金
    INTEREST_ONLY = "interest_only"  # 先息后本（按月付息、到期还本）
    BULLET = "bullet"  # 一次还本付息


class IncomeStability(StrEnum):
    STABLE = "stable"
    UNSTABLE = "unstable"
    NONE = "none"
    UNKNOWN = "unknown"


class EmploymentStatus(StrEnum):
    EMPLOYED = "employed"
    SELF_EMPLOYED = "self_employed"
    UNEMPLOYED = "unemployed"
    RETIRED = "retired"
    STUDENT = "student"
    OTHER = "other"
    UNKNOWN = "unknown"


class HardshipKind(StrEnum):
    UNEMPLOYMENT = "unemployment"  # 失业
    ILLNESS = "illness"  # 疾病、受伤
    INCOME_DROP = "income_drop"  # 降薪、收入减少
    FAMILY_EVENT = "family_event"  # 家庭变故（亲人重病、去世、离婚等）
    BUSINESS_FAILURE = "business_failure"  # 经营失败
    DISASTER = "disaster"  # 自然灾害、意外
    OTHER = "other"


class EvidenceKind(StrEnum):
    TERMINATION_CERTIFICATE = "termination_certificate"  # 解除/终止劳动合同证明
    UNEMPLOYMENT_CERTIFICATE = "unemployment_certificate"  # 失业证明/失业登记
    MEDICAL_RECORDS = "medical_records"  # 病历、诊断证明
    MEDICAL_BILLS = "medical_bills"  # 医疗费用票据
    PAY_SLIPS = "pay_slips"  # 工资单
    BANK_STATEMENTS = "bank_statements"  # 银行流水
    INCOME_CERTIFICATE = "income_certificate"  # 收入证明
    FAMILY_CERTIFICATE = "family_certificate"  # 死亡/离婚/出生/亲属关系等证明
    BUSINESS_RECORDS = "business_records"  # 营业执照注销、经营亏损材料
    DISASTER_PROOF = "disaster_proof"  # 灾害、事故证明
    OTHER = "other"


class DocumentKind(StrEnum):
    LOAN_CONTRACT = "loan_contract"  # 借款合同
    REPAYMENT_RECORDS = "repayment_records"  # 还款记录
    STATEMENT = "statement"  # 平台账单/欠款明细
    INCOME_PROOF = "income_proof"  # 收入证明
    BANK_STATEMENTS = "bank_statements"  # 银行流水
    CREDIT_REPORT = "credit_report"  # 个人信用报告
    COMMUNICATION_RECORDS = "communication_records"  # 通话录音、短信、邮件、聊天记录
    ID_CARD = "id_card"  # 身份证复印件


class FeeKind(StrEnum):
    SERVICE = "service"  # 服务费
    GUARANTEE = "guarantee"  # 担保费/增信服务费
    INSURANCE = "insurance"  # 保险费
    MEMBERSHIP = "membership"  # 会员费、权益费
    PLATFORM = "platform"  # 平台服务费（助贷平台）
    CONSULTING = "consulting"  # 咨询费、顾问费
    MANAGEMENT = "management"  # 账户管理费
    LATE_FEE = "late_fee"  # 滞纳金
    PENALTY = "penalty"  # 违约金
    COLLECTION = "collection"  # 催收费
    PREPAYMENT = "prepayment"  # 提前还款手续费
    OTHER = "other"


class FeeTiming(StrEnum):
    UPFRONT = "upfront"  # 放款时从本金中扣除或先行收取
    PERIODIC = "periodic"  # 每期收取
    ON_OVERDUE = "on_overdue"  # 逾期后收取
    ONE_OFF = "one_off"  # 其他一次性收取


class ContactChannel(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    INSTANT_MESSAGE = "instant_message"
    APP = "app"
    VISIT = "visit"
    LETTER = "letter"
    EMAIL = "email"
    OTHER = "other"


class ContactTarget(StrEnum):
    """Who the collector contacted."""

    BORROWER = "borrower"
    RELATIVE = "relative"
    EMPLOYER = "employer"
    COLLEAGUE = "colleague"
    FRIEND = "friend"
    CONTACT_LIST = "contact_list"  # 通讯录群发
    OTHER_THIRD_PARTY = "other_third_party"


class Conduct(StrEnum):
    """What a collector did or demanded during a contact (only what the borrower can show)."""

    THREAT = "threat"  # 威胁、恐吓
    VIOLENCE = "violence"
    CONFINEMENT = "confinement"  # 限制人身自由
    HOME_INTRUSION = "home_intrusion"
    STALKING = "stalking"  # 跟踪
    INSULT = "insult"  # 辱骂
    IMPERSONATING_AUTHORITY = "impersonating_authority"  # 冒充公检法
    FAKE_LEGAL_DOCUMENT = "fake_legal_document"
    DISCLOSED_DEBT = "disclosed_debt"  # 向第三人透露债务
    DEMANDED_PERSONAL_ACCOUNT = "demanded_personal_account"
    DEMANDED_VERIFICATION_CODE = "demanded_verification_code"
    DEMANDED_DEPOSIT = "demanded_deposit"
    COLLECTION_FEE_DEMANDED = "collection_fee_demanded"


class AgreementForm(StrEnum):
    PAPER = "paper"
    E_CONTRACT = "e_contract"
    EMAIL = "email"
    CHAT = "chat"
    PHONE_ONLY = "phone_only"


class AccountKind(StrEnum):
    OFFICIAL_COMPANY = "official_company"  # 贷款机构对公账户
    IN_APP = "in_app"  # 官方App内还款
    PERSONAL = "personal"  # 个人账户
    UNKNOWN = "unknown"


class PartyKind(StrEnum):
    LENDER = "lender"  # 贷款机构本身
    COLLECTION_AGENCY = "collection_agency"
    INDIVIDUAL = "individual"
    PLATFORM = "platform"


class LawsuitStatus(StrEnum):
    NONE = "none"
    THREATENED = "threatened"
    FILED = "filed"
    JUDGMENT = "judgment"


class CourtProcedure(StrEnum):
    ORDINARY = "ordinary"  # 普通程序
    SIMPLIFIED = "simplified"  # 简易程序
    SMALL_CLAIMS = "small_claims"  # 小额诉讼程序
    UNKNOWN = "unknown"


class NegotiationEventKind(StrEnum):
    CONTACT = "contact"
    BORROWER_OFFER = "borrower_offer"
    LENDER_OFFER = "lender_offer"
    ANSWER = "answer"
    AGREEMENT = "agreement"


class Outcome(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    NO_REPLY = "no_reply"
    COUNTER_OFFER = "counter_offer"


# ---------------------------------------------------------------------------------------------
# Validators
# ---------------------------------------------------------------------------------------------


class FieldError(ValueError):
    """A validator's complaint about one field; the loader turns ``field`` into the path."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


#: Beijing time (UTC+8, no daylight saving): the time zone of every date and time in a case.
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def beijing_today() -> dt.date:
    """Today's date in Beijing: the date of a case that states no ``as_of``, whatever the
    machine's time zone."""
    return dt.datetime.now(BEIJING).date()


#: The range of every date a case may hold (and of ``as_of``).  It leaves 50 years of room at
#: both ends for date arithmetic (a 600-month term, a counter-proposal's schedule), so no
#: calculation can leave the calendar; a date outside it is a typing error.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def check_date(day: dt.date) -> dt.date:
    """``day`` if it lies in :data:`EARLIEST_DATE` … :data:`LATEST_DATE`, else ValueError."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"must be a date from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
        )
    return day


#: Largest amount a case may state; beyond it figures stop being exact in the engine.
MAX_AMOUNT = Decimal(10) ** 12


def _money_ok(value: Decimal | None) -> str | None:
    if value is None:
        return None
    if not value.is_finite():
        return "must be a finite amount"
    if value < 0:
        return "must not be negative"
    if value > MAX_AMOUNT:
        return "is implausibly large (over one trillion yuan)"
    if value != value.quantize(FEN):
        return "has more precision than one fen (0.01)"
    return None


def money(_inst: Any, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
    """attrs validator: a non-negative amount in yuan, at most to the fen (or None)."""
    problem = _money_ok(value)
    if problem:
        raise FieldError(attribute.name, problem)


def int_range(low: int, high: int) -> Any:
    """attrs validator: a whole number from ``low`` to ``high`` (or None).  The bounds are
    kept on the validator (``.bounds``), so the JSON Schema states exactly the same range."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
        if value is None:
            return
        if value < low:
            problem = "must not be negative" if low == 0 else f"must be at least {low}"
            raise FieldError(attribute.name, problem)
        if value > high:
            raise FieldError(attribute.name, f"must be at most {high:,}")

    check.bounds = (low, high)  # type: ignore[attr-defined]
    return check


def up_to_ten(problem: str, *, zero: bool = True) -> Any:
    """attrs validator: a decimal from 0 (or above 0 when ``zero`` is false) to 10, or None.
    ``.up_to_ten`` tells the JSON Schema (``True`` when 0 is allowed)."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Decimal | None) -> None:
        if value is None:
            return
        if not value.is_finite() or value < 0 or value > 10 or (not zero and value == 0):
            raise FieldError(attribute.name, problem)

    check.up_to_ten = zero  # type: ignore[attr-defined]
    return check


#: Counts with no natural limit are still bounded: a case is a person's situation, and every
#: count is turned into work (a month of a schedule, a row of a table).
MAX_COUNT = 100_000
#: The longest loan or plan term, in months (50 years), and the most periods a fee may run.
MAX_TERM_MONTHS = 600

non_negative_int = int_range(0, MAX_COUNT)
positive_int = int_range(1, MAX_COUNT)


#: Text fields this short (names, account holders, contract numbers, addresses) are one line:
#: a line break in them would only add structure to a letter (a heading or a rule in Markdown).
ONE_LINE_MAX = 200


def text(max_len: int) -> Any:
    """attrs validator: non-blank text of at most ``max_len`` characters (``.max_length``);
    a field of at most :data:`ONE_LINE_MAX` characters is one line (``.one_line``)."""
    one_line = max_len <= ONE_LINE_MAX

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is None:
            return
        if not value.strip():
            raise FieldError(attribute.name, "must not be blank (leave the field out instead)")
        if len(value) > max_len:
            raise FieldError(attribute.name, f"is longer than {max_len} characters")
        if one_line and ("\n" in value or "\r" in value):
            raise FieldError(attribute.name, "must be one line (no line breaks)")

    check.max_length = max_len  # type: ignore[attr-defined]
    check.one_line = one_line  # type: ignore[attr-defined]
    return check


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class Rate:
    """An interest rate as the contract states it, e.g. daily 0.0005 (万分之五), 360-day basis."""

    value: Decimal = attrs.field(metadata=doc("the rate as a fraction per unit, e.g. 0.0005"))
    unit: RateUnit = attrs.field(metadata=doc("daily, monthly or annual"))
    basis: int = attrs.field(
        default=360, metadata=doc("days per year the contract uses to convert (360 or 365)")
    )

    @value.validator
    def _check_value(self, _a: attrs.Attribute[Any], v: Decimal) -> None:
        if not v.is_finite() or v < 0:
            raise FieldError("value", "must be a non-negative number")
        if v > 10:
            raise FieldError("value", "looks like a percentage: write 24 % as 0.24")

    @basis.validator
    def _check_basis(self, _a: attrs.Attribute[Any], v: int) -> None:
        if v not in (360, 365):
            raise FieldError("basis", "must be 360 or 365")


@attrs.frozen
class Hardship:
    kind: HardshipKind = attrs.field(metadata=doc("what happened"))
    since: dt.date | None = attrs.field(default=None, metadata=doc("when it started"))
    expected_end: dt.date | None = attrs.field(
        default=None, metadata=doc("when it is expected to end; leave out if unknown")
    )
    evidence: tuple[EvidenceKind, ...] = attrs.field(
        default=(), converter=tuple, metadata=doc("proof the borrower already holds")
    )
    description: str | None = attrs.field(
        default=None, validator=text(500), metadata=doc("a short factual description")
    )

    @expected_end.validator
    def _check_end(self, _a: attrs.Attribute[Any], v: dt.date | None) -> None:
        if v is not None and self.since is not None and v < self.since:
            raise FieldError("expected_end", "is before `since`")


@attrs.frozen
class ExpectedIncome:
    """Income the borrower expects from a date on (a new job, recovery, benefits ending), or a
    one-off sum expected then (severance pay, an insurance payout, a year-end bonus).  The plan
    schedules what fits now until that month and what fits after it, as an estimate resting on
    this expectation (docs/ledger.md)."""

    since: dt.date = attrs.field(metadata=doc("the first month it arrives"))
    monthly: Decimal | None = attrs.field(
        default=None,
        validator=money,
        metadata=doc("net monthly income from that month on (replaces monthly_income), yuan"),
    )
    one_off: Decimal | None = attrs.field(
        default=None,
        validator=money,
        metadata=doc("a one-off sum expected in that month, yuan"),
    )
    source: str | None = attrs.field(
        default=None, validator=text(200), metadata=doc("e.g. 新工作, 病愈复工 (with proof held)")
    )

    #: At least one of these must be given (the JSON Schema states it too).
    __at_least_one__ = ("monthly", "one_off")

    def __attrs_post_init__(self) -> None:
        if self.monthly is None and self.one_off is None:
            raise FieldError("monthly", "give the expected monthly income, a one-off sum, or both")


@attrs.frozen
class Borrower:
    name: str | None = attrs.field(default=None, validator=text(100), metadata=doc("全名"))
    id_number: str | None = attrs.field(
        default=None, repr=False, metadata=doc("居民身份证号码 (18 characters)", pii=True)
    )
    phone: str | None = attrs.field(default=None, repr=False, metadata=doc("手机号", pii=True))
    address: str | None = attrs.field(
        default=None, repr=False, validator=text(200), metadata=doc("postal address", pii=True)
    )
    email: str | None = attrs.field(default=None, repr=False, metadata=doc("e-mail", pii=True))
    monthly_income: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("net monthly income, yuan")
    )
    income_stability: IncomeStability = attrs.field(
        default=IncomeStability.UNKNOWN, metadata=doc("stable, unstable, none or unknown")
    )
    essential_expenses: Decimal | None = attrs.field(
        default=None,
        validator=money,
        metadata=doc("rent, food, transport, utilities, school, medicine per month, yuan"),
    )
    other_debt_payments: Decimal | None = attrs.field(
        default=None,
        validator=money,
        metadata=doc("monthly payments on debts not listed as loans here (mortgage, cards), yuan"),
    )
    dependents: int = attrs.field(default=0, validator=int_range(0, 30), metadata=doc("人数"))
    savings: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("savings and liquid assets, yuan")
    )
    employment: EmploymentStatus = attrs.field(default=EmploymentStatus.UNKNOWN)
    hardships: tuple[Hardship, ...] = attrs.field(default=(), converter=tuple)
    expected_income: tuple[ExpectedIncome, ...] = attrs.field(
        default=(),
        converter=tuple,
        metadata=doc("income expected from a later date (so payments can start after recovery)"),
    )
    documents: tuple[DocumentKind, ...] = attrs.field(
        default=(), converter=tuple, metadata=doc("documents the borrower already holds")
    )


@attrs.frozen
class Fee:
    kind: FeeKind
    amount: Decimal = attrs.field(
        validator=money, metadata=doc("yuan; for a periodic fee the amount of each period")
    )
    charged: FeeTiming = attrs.field(metadata=doc("upfront, periodic, on_overdue or one_off"))
    disclosed: bool | None = attrs.field(
        default=None, metadata=doc("whether the contract disclosed this fee; leave out if unsure")
    )
    periods: int | None = attrs.field(
        default=None,
        validator=int_range(1, MAX_TERM_MONTHS),
        metadata=doc("number of periods a periodic fee runs"),
    )
    payee: str | None = attrs.field(
        default=None, validator=text(100), metadata=doc("who collects it (lender, platform, …)")
    )
    description: str | None = attrs.field(default=None, validator=text(200))


def money_or_flag(
    _inst: Any, attribute: attrs.Attribute[Any], value: Decimal | bool | None
) -> None:
    """attrs validator: true/false, or an amount like :func:`money` (``.money`` marks it so
    the JSON Schema states the same amount rule)."""
    if isinstance(value, bool):
        return
    money(_inst, attribute, value)


money_or_flag.money = True  # type: ignore[attr-defined]


@attrs.frozen
class ScheduledPayment:
    """One due payment of the original contract."""

    due: dt.date
    amount: Decimal = attrs.field(validator=money)
    paid: Decimal | bool | None = attrs.field(
        default=None,
        validator=money_or_flag,
        metadata=doc(
            "amount paid against this row, or true (paid in full) / false (not paid); "
            "leave out if unknown"
        ),
    )

    @property
    def paid_amount(self) -> Decimal | None:
        """What was paid against the row: true → the whole amount, false → 0, None unknown."""
        if self.paid is True:
            return self.amount
        if self.paid is False:
            return Decimal(0)
        return self.paid


@attrs.frozen
class CollectionContact:
    at: dt.datetime = attrs.field(metadata=doc("local date and time (Beijing)"))
    channel: ContactChannel
    target: ContactTarget = attrs.field(
        default=ContactTarget.BORROWER, metadata=doc("who was contacted")
    )
    collector: str | None = attrs.field(
        default=None, validator=text(100), metadata=doc("company or person who made the contact")
    )
    calls: int = attrs.field(
        default=1, validator=positive_int, metadata=doc("effective calls this record stands for")
    )
    conduct: tuple[Conduct, ...] = attrs.field(
        default=(), converter=tuple, metadata=doc("what the collector did or demanded")
    )
    summary: str | None = attrs.field(
        default=None, validator=text(500), metadata=doc("what was said, in the borrower's words")
    )
    evidence: bool = attrs.field(
        default=False, metadata=doc("a recording, screenshot or message is kept")
    )


@attrs.frozen
class Loan:
    lender_name: str = attrs.field(validator=text(100), metadata=doc("legal name of the lender"))
    lender_type: LenderType
    principal: Decimal = attrs.field(validator=money, metadata=doc("contract principal, yuan"))
    id: str | None = attrs.field(
        default=None, validator=text(20), metadata=doc("short label; defaults to L1, L2, …")
    )
    platform: str | None = attrs.field(
        default=None, validator=text(100), metadata=doc("app / platform / product name")
    )
    contract_no: str | None = attrs.field(default=None, validator=text(100))
    contract_date: dt.date | None = None
    received: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("money actually received, yuan")
    )
    rate: Rate | None = attrs.field(default=None, metadata=doc("contract interest rate"))
    interest_agreed: bool | None = attrs.field(
        default=None, metadata=doc("the contract contains an interest clause")
    )
    term_months: int | None = attrs.field(default=None, validator=int_range(1, MAX_TERM_MONTHS))
    repayment_method: RepaymentMethod | None = attrs.field(
        default=None,
        metadata=doc("还款方式: equal_instalment, equal_principal, interest_only or bullet"),
    )
    instalments_paid: int | None = attrs.field(
        default=None,
        validator=int_range(0, MAX_TERM_MONTHS),
        metadata=doc("instalments paid in full so far (instead of, or besides, `repaid`)"),
    )
    fees: tuple[Fee, ...] = attrs.field(default=(), converter=tuple)
    schedule: tuple[ScheduledPayment, ...] = attrs.field(default=(), converter=tuple)
    repaid: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("total repaid so far, yuan")
    )
    outstanding: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("total the lender now claims, yuan")
    )
    outstanding_principal: Decimal | None = attrs.field(default=None, validator=money)
    outstanding_interest: Decimal | None = attrs.field(default=None, validator=money)
    overdue_since: dt.date | None = None
    penalty_rate: Rate | None = attrs.field(default=None, metadata=doc("罚息/逾期利率"))
    penalty_multiple: Decimal | None = attrs.field(
        default=None,
        validator=up_to_ten("must be a multiple between 0 and 10, e.g. 1.5", zero=False),
        metadata=doc("罚息 as a multiple of the contract rate, e.g. 1.5 for 合同利率上浮50%"),
    )
    penalty_adds: bool | None = attrs.field(
        default=None,
        metadata=doc(
            "after default the penalty rate is charged on top of the contract rate (true) "
            "or instead of it (false); leave out if the contract does not say"
        ),
    )
    penalty_interest: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("penalty interest accrued so far, yuan")
    )
    late_fees: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("late fees / 违约金 accrued so far, yuan")
    )
    charged_rate: Rate | None = attrs.field(
        default=None, metadata=doc("rate the latest statement actually charges, if different")
    )
    compound_interest: bool = attrs.field(
        default=False, metadata=doc("interest is charged on unpaid interest (复利/利滚利)")
    )
    collection_contacts: tuple[CollectionContact, ...] = attrs.field(default=(), converter=tuple)

    @instalments_paid.validator
    def _check_paid_count(self, _a: attrs.Attribute[Any], v: int | None) -> None:
        n = len(self.schedule) or self.term_months
        if v is not None and n is not None and v > n:
            raise FieldError("instalments_paid", "is more than the number of instalments")

    @received.validator
    def _check_received(self, _a: attrs.Attribute[Any], v: Decimal | None) -> None:
        if v is not None and v > self.principal:
            raise FieldError("received", "is larger than the contract principal")


@attrs.frozen
class Party:
    name: str | None = attrs.field(default=None, validator=text(100))
    kind: PartyKind = PartyKind.LENDER
    id_number: str | None = attrs.field(
        default=None, repr=False, metadata=doc("身份证号 of a natural person", pii=True)
    )
    uscc: str | None = attrs.field(
        default=None, metadata=doc("统一社会信用代码 of an organisation (18 characters)")
    )


@attrs.frozen
class Instalment:
    due: dt.date | None = None
    amount: Decimal | None = attrs.field(default=None, validator=money)


@attrs.frozen
class Agreement:
    """A proposed (or signed) repayment agreement, as written — every field optional."""

    form: AgreementForm = attrs.field(metadata=doc("paper, e_contract, email, chat or phone_only"))
    loan: str | None = attrs.field(
        default=None, metadata=doc("id of the loan it settles; may be left out with one loan")
    )
    borrower: Party = attrs.field(factory=lambda: Party(kind=PartyKind.INDIVIDUAL))
    lender: Party = attrs.field(factory=Party)
    contract_ref: str | None = attrs.field(
        default=None, validator=text(100), metadata=doc("original contract number")
    )
    loan_amount: Decimal | None = attrs.field(default=None, validator=money)
    rate: Rate | None = attrs.field(default=None, metadata=doc("original contract rate"))
    repaid: Decimal | None = attrs.field(default=None, validator=money)
    remaining: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("balance before the waiver")
    )
    total: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("agreed total still to pay")
    )
    principal: Decimal | None = attrs.field(default=None, validator=money)
    interest: Decimal | None = attrs.field(default=None, validator=money)
    penalty: Decimal | None = attrs.field(default=None, validator=money)
    fees: Decimal | None = attrs.field(default=None, validator=money)
    waiver_negotiated: bool = attrs.field(
        default=False, metadata=doc("the parties talked about waiving part of the debt")
    )
    waived: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("amount waived, yuan")
    )
    instalments: tuple[Instalment, ...] = attrs.field(default=(), converter=tuple)
    plan_rate: Rate | None = attrs.field(
        default=None, metadata=doc("interest rate during the plan, as written")
    )
    breach_clause: str | None = attrs.field(default=None, validator=text(1000))
    cure_days: int | None = attrs.field(
        default=None, validator=int_range(0, 3660), metadata=doc("grace days before a breach")
    )
    allocation_order: str | None = attrs.field(
        default=None, validator=text(300), metadata=doc("order payments are applied in")
    )
    credit_reporting: str | None = attrs.field(
        default=None, validator=text(500), metadata=doc("how the plan is reported to 征信")
    )
    repayment_account: AccountKind = AccountKind.UNKNOWN
    account_holder: str | None = attrs.field(default=None, validator=text(100))
    borrower_signed: bool = False
    lender_signed: bool = False
    date: dt.date | None = attrs.field(default=None, metadata=doc("agreement date"))
    deposit_required: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("deposit demanded before the waiver applies")
    )
    intermediary: str | None = attrs.field(
        default=None, validator=text(100), metadata=doc("a paid agent involved, if any")
    )
    intermediary_fee: Decimal | None = attrs.field(default=None, validator=money)
    verification_code_requested: bool = False
    third_party_contact_consent: bool = attrs.field(
        default=False, metadata=doc("the text lets the lender contact relatives or contacts")
    )
    excludes_borrower_rights: bool = attrs.field(
        default=False,
        metadata=doc("standard terms exclude the borrower's main rights (e.g. to object, to sue)"),
    )


@attrs.frozen
class NegotiationEvent:
    date: dt.date
    kind: NegotiationEventKind
    channel: ContactChannel = ContactChannel.PHONE
    loan: str | None = attrs.field(default=None, metadata=doc("loan id"))
    counterpart: str | None = attrs.field(
        default=None, validator=text(100), metadata=doc("who the borrower dealt with")
    )
    summary: str | None = attrs.field(default=None, validator=text(1000))
    amount: Decimal | None = attrs.field(
        default=None, validator=money, metadata=doc("amount offered, if any")
    )
    outcome: Outcome = Outcome.PENDING


@attrs.frozen
class IntermediaryPayment:
    """Money paid (or demanded) outside an agreement: a deposit, 保证金, fee to an agent, …"""

    amount: Decimal = attrs.field(validator=money, metadata=doc("yuan"))
    date: dt.date | None = attrs.field(default=None, metadata=doc("when it was paid or asked"))
    payee: str | None = attrs.field(
        default=None, validator=text(100), metadata=doc("who received it (name or account)")
    )
    purpose: str | None = attrs.field(
        default=None,
        validator=text(200),
        metadata=doc("what it was called: 保证金, 押金, 定金, 前期费用, 服务费, …"),
    )
    paid: bool = attrs.field(
        default=True, metadata=doc("already paid (true) or only demanded (false)")
    )
    loan: str | None = attrs.field(default=None, metadata=doc("loan id it concerns, if any"))


@attrs.frozen
class Court:
    """A lawsuit already filed: what the court papers say (every field optional)."""

    served_on: dt.date | None = attrs.field(
        default=None,
        metadata=doc("date the 起诉状副本 (copy of the statement of claim) was received"),
    )
    case_number: str | None = attrs.field(
        default=None, validator=text(60), metadata=doc("案号, as printed on the court papers")
    )
    court: str | None = attrs.field(
        default=None, validator=text(100), metadata=doc("the court hearing the case")
    )
    procedure: CourtProcedure = attrs.field(
        default=CourtProcedure.UNKNOWN,
        metadata=doc("ordinary (普通), simplified (简易), small_claims (小额) or unknown"),
    )
    answer_deadline: dt.date | None = attrs.field(
        default=None, metadata=doc("答辩期 end date when the court's notice states one")
    )
    evidence_deadline: dt.date | None = attrs.field(
        default=None, metadata=doc("举证期限 end date when the court's notice states one")
    )
    hearing_date: dt.date | None = attrs.field(
        default=None, metadata=doc("开庭日期 on the summons (传票)")
    )


def _court_fits(inst: Any, _a: attrs.Attribute[Any], court: Court | None) -> None:
    if court is None:
        return
    if inst.lawsuit not in (LawsuitStatus.FILED, LawsuitStatus.JUDGMENT):
        raise FieldError("court", 'court details need lawsuit = "filed" or "judgment"')
    if (
        court.served_on is not None
        and court.answer_deadline is not None
        and court.answer_deadline < court.served_on
    ):
        raise FieldError("court", "answer_deadline is before served_on")


def _unique_loan_ids(_inst: Any, _a: attrs.Attribute[Any], loans: tuple[Loan, ...]) -> None:
    if not loans:
        raise FieldError("loans", "at least one loan is needed")
    # Ids after defaults: a loan without an id is "L<its position>", so an explicit "L1" on
    # another loan would make two loans share an id (and a letter go to the wrong lender).
    seen: dict[str, int] = {}
    for i, loan in enumerate(loans):
        effective = loan.id or f"L{i + 1}"
        if effective in seen:
            first = seen[effective]
            how = "the id" if loans[first].id is not None else "the default id"
            raise FieldError(
                f"loans[{i}].id",
                f"{effective!r} is already {how} of loans[{first}]"
                + ("" if loan.id is not None else " (give this loan an id of its own)"),
            )
        seen[effective] = i


_unique_loan_ids.min_items = 1  # type: ignore[attr-defined]  # read by negotiator.case.schema


@attrs.frozen
class Case:
    borrower: Borrower
    loans: tuple[Loan, ...] = attrs.field(converter=tuple, validator=_unique_loan_ids)
    agreement: Agreement | None = None
    history: tuple[NegotiationEvent, ...] = attrs.field(default=(), converter=tuple)
    payments_outside: tuple[IntermediaryPayment, ...] = attrs.field(
        default=(),
        converter=tuple,
        metadata=doc("deposits, 保证金 or fees paid or demanded outside any agreement"),
    )
    lawsuit: LawsuitStatus = attrs.field(
        default=LawsuitStatus.NONE, metadata=doc("none, threatened, filed or judgment")
    )
    as_of: dt.date | None = attrs.field(
        default=None, metadata=doc("the date the case describes; defaults to today")
    )
    court: Court | None = attrs.field(
        default=None,
        validator=_court_fits,
        metadata=doc("the lawsuit's papers: service date, 案号, court, procedure"),
    )

    def loan_ids(self) -> list[str]:
        """The id of each loan, with L1, L2, … for loans that have none."""
        return [loan.id or f"L{i + 1}" for i, loan in enumerate(self.loans)]
