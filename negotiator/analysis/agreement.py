"""The proposed agreement: completeness, consistency and affordability figures.

Everything the agreement rules judge is computed here and nothing is judged: the analysis
lists what is missing, computes the identities below and says whether each holds, works out
what the schedule costs and whether each month fits the budget, and — when it does not — lays
out a counter-proposal (:mod:`negotiator.analysis.counter`).  docs/agreement-check.md documents
every check; the identities are:

* **plan covers the balance** — with ``B = remaining − waived`` (``remaining`` is the balance
  before the waiver; ``waived`` is taken as 0 when no waiver was negotiated and none is written),
  the payments the plan promises (``total``, or the sum of the instalments when no total is
  written) must not be less than ``B``.  Less means part of the balance is neither paid nor
  recorded as waived.  More is plan interest or fees, judged by the rate check;
* **breakdown** — when ``principal``, ``interest``, ``penalty`` and ``fees`` are all written they
  add up to ``remaining``; when only some are written, they do not exceed it;
* **principal accounted for** — everything lent is either repaid or still owed, and charges only
  add: ``remaining + repaid ≥ base`` where ``base`` is ``loan_amount``, or the money actually
  received when the linked loan shows less was received (民法典 670); when ``principal`` (still
  owed) is written, also ``principal + repaid ≥ base`` and ``principal ≤ loan_amount``;
* **schedule sum** — the instalments add up to ``total`` to the fen;
* **rate** — the nominal annual rate implied by the schedule (see :func:`implied_plan_rate`)
  is within :data:`RATE_TOLERANCE` of the rate the agreement writes for the plan (no written
  plan rate counts as 0: without an interest term no interest is due, 民法典 680).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any

import attrs

from ..basis.params import Parameters, load_parameters
from ..calc.cost import annualised_cost_dated, annualised_cost_periodic
from ..calc.ledger import excess_over
from ..case.models import (
    AccountKind,
    Agreement,
    AgreementForm,
    Case,
    LenderType,
    Loan,
    PartyKind,
)
from ..errors import CalculationError, InputError
from ..ids import ric_area_listed, ric_problem, uscc_problem
from ..money import ZERO, to_fen
from .budget import BudgetAnalysis, month_of, scheduled_elsewhere
from .counter import CounterProposal, Request, applies, make_request, propose_schedule
from .loans import LoanAnalysis, annual_rate

__all__ = [
    "AMOUNT_FIELDS",
    "ASKS",
    "CONFIRMATION_REQUESTS",
    "LIMITATION_YEARS",
    "RATE_TOLERANCE",
    "SNAP_DAYS",
    "TERMS",
    "Affordability",
    "AgreementAnalysis",
    "Ask",
    "BalanceCheck",
    "BorrowerIdCheck",
    "LedgerCheck",
    "LenderCheck",
    "LimitationCheck",
    "MonthLoad",
    "NumberedInstalment",
    "RateCheck",
    "ScheduleCheck",
    "Term",
    "analyse_agreement",
    "implied_plan_rate",
    "other_obligations",
    "payee_state",
    "rate_text",
]

#: Largest accepted gap between the written plan rate and the rate its schedule implies
#: (0.5 percentage points).  A monthly plan on the agreement's day of the month is solved
#: exactly (only fen rounding remains, far below 0.01 point); the tolerance absorbs the
#: conventions that differ between lenders — a daily rate on a 360- or 365-day year (≈1.4 % of
#: the rate), instalments on irregular days — while a real mismatch (an unstated fee, interest
#: on a waived amount, a monthly rate written as if yearly) is far larger.
_P = load_parameters()
RATE_TOLERANCE = _P.decimal("agreement_rate_tolerance")
#: A payment this many days or fewer from a monthly anniversary of the agreement date counts
#: as paid on that anniversary when the plan rate is worked out (see :func:`implied_plan_rate`).
SNAP_DAYS = _P.integer("agreement_snap_days")
#: The general limitation period, in years (民法典 188).
LIMITATION_YEARS = _P.integer("limitation_years")
#: The amount fields an agreement must state (seed 001 §三) and the agreed total the schedule
#: is checked against.
AMOUNT_FIELDS: tuple[str, ...] = ("loan_amount", "rate", "repaid", "remaining", "total")
_AMOUNT_WORDS: Mapping[str, tuple[str, str]] = {
    "loan_amount": ("借款金额", "loan amount"),
    "rate": ("原合同利率", "contract rate"),
    "repaid": ("已还金额", "amount repaid"),
    "remaining": ("剩余未还金额", "remaining balance"),
    "total": ("应还总额", "agreed total"),
}
_WRITTEN_FORMS = frozenset({AgreementForm.PAPER, AgreementForm.E_CONTRACT, AgreementForm.EMAIL})

Month = tuple[int, int]


@attrs.frozen
class MonthLoad:
    """One calendar month of the proposed schedule against the budget."""

    year: int
    month: int
    instalments: tuple[int, ...]  # 1-based instalment numbers due in the month
    amount: Decimal  # what the agreement asks in the month
    other_due: Decimal  # other lenders' scheduled payments in the month
    room: Decimal  # affordable − other_due, never below 0
    excess: Decimal  # max(0, amount − room)
    #: The month's room rests on income the borrower expects (estimated, budget path).
    expected: bool = False

    @property
    def key(self) -> str:
        """The month as ``YYYY-MM``."""
        return f"{self.year:04d}-{self.month:02d}"


@attrs.frozen
class Affordability:
    """The schedule month by month against ``affordable_monthly`` (not the bare disposable)."""

    affordable_monthly: Decimal
    disposable: Decimal
    months: tuple[MonthLoad, ...]
    #: Savings beyond the emergency reserve, which may cover months that ask too much.
    savings_available: Decimal
    counter: CounterProposal | None
    #: The first day of expected income the months' room rests on (None: no expectation).
    expected_from: dt.date | None = None

    @property
    def excess_total(self) -> Decimal:
        return sum((m.excess for m in self.months), ZERO)

    @property
    def unaffordable(self) -> bool:
        return self.excess_total > self.savings_available

    @property
    def savings_used(self) -> Decimal:
        return min(self.excess_total, self.savings_available)

    @property
    def worst(self) -> MonthLoad | None:
        tight = [m for m in self.months if m.excess > 0]
        return max(tight, key=lambda m: m.excess) if tight else None

    @property
    def shortfall(self) -> Decimal:
        """The largest amount by which one month asks more than the budget leaves."""
        worst = self.worst
        return worst.excess if worst else ZERO

    @property
    def exceeds_disposable(self) -> bool:
        """Some month asks more than the whole disposable income (no margin at all) allows."""
        full = max(self.disposable, ZERO)
        return any(m.amount > max(ZERO, full - m.other_due) for m in self.months)


@attrs.frozen
class BorrowerIdCheck:
    """The borrower's 身份证号 as the agreement writes it."""

    given: bool
    #: None when no number is written or it is valid; else "length"/"format"/"checksum"/
    #: "birth_date" (see :func:`negotiator.ids.ric_problem`).
    problem: str | None
    #: For a valid number: whether its area code is listed in GB/T 2260 (None otherwise).
    area_listed: bool | None


@attrs.frozen
class LenderCheck:
    """The creditor party as the agreement names it."""

    name: str | None
    kind: PartyKind
    #: The party is the lender itself (or, for a private loan, the lending person).
    party_ok: bool
    uscc_given: bool
    uscc_problem: str | None  # what is wrong with the 统一社会信用代码 (None: valid or absent)


@attrs.frozen
class NumberedInstalment:
    """One instalment as written, with its 1-based number."""

    number: int
    due: dt.date | None
    amount: Decimal | None


@attrs.frozen
class ScheduleCheck:
    """The instalments: their sum against the agreed total, and what is wrong with them."""

    instalments: tuple[NumberedInstalment, ...]
    total: Decimal | None  # the agreed total as written
    instalments_sum: Decimal | None  # when every amount is written
    incomplete: tuple[int, ...]  # numbers of instalments lacking a date or an amount
    zero_amounts: tuple[int, ...]  # numbers of instalments whose amount is 0
    out_of_order: tuple[int, ...]  # numbers of instalments dated before an earlier one
    duplicate_dates: tuple[dt.date, ...]  # dates used by more than one instalment
    before_agreement: tuple[int, ...]  # numbers of instalments dated before the agreement

    @property
    def count(self) -> int:
        return len(self.instalments)

    @property
    def complete(self) -> bool:
        """Instalments are listed and every one has a date and an amount."""
        return bool(self.instalments) and not self.incomplete

    @property
    def difference(self) -> Decimal | None:
        """The instalments' sum − the agreed total (None when either is unknown)."""
        if self.total is None or self.instalments_sum is None:
            return None
        return self.instalments_sum - self.total

    @property
    def dates_wrong(self) -> bool:
        return bool(self.out_of_order or self.duplicate_dates or self.before_agreement)


@attrs.frozen
class BalanceCheck:
    """The balance identities (see the module notes): amounts as written and derived."""

    loan_amount: Decimal | None
    repaid: Decimal | None
    remaining: Decimal | None  # the balance before the waiver
    principal: Decimal | None  # remaining principal as written
    waived: Decimal | None  # the waiver the identities use (0 when none was negotiated)
    settled_balance: Decimal | None  # remaining − waived
    plan_payments: Decimal | None  # total, or the instalments' sum when no total is written
    breakdown_sum: Decimal | None  # principal + interest + penalty + fees, as far as written
    breakdown_complete: bool  # all four parts are written
    principal_base: Decimal | None  # the loan amount, or less when less was received
    principal_floor: Decimal | None  # base − repaid: what must still be owed at least

    @property
    def plan_shortfall(self) -> Decimal | None:
        """How much less than ``remaining − waived`` the plan pays (None when it covers it)."""
        if self.settled_balance is None or self.plan_payments is None:
            return None
        gap = self.settled_balance - self.plan_payments
        return gap if gap > 0 else None

    @property
    def breakdown_mismatch(self) -> bool:
        if self.breakdown_sum is None or self.remaining is None:
            return False
        if self.breakdown_complete:
            return self.breakdown_sum != self.remaining
        return self.breakdown_sum > self.remaining

    @property
    def principal_unaccounted(self) -> bool:
        if self.principal_floor is None:
            return False
        if self.remaining is not None and self.remaining < self.principal_floor:
            return True
        return self.principal is not None and self.principal < self.principal_floor

    @property
    def principal_above_loan(self) -> bool:
        return (
            self.principal is not None
            and self.loan_amount is not None
            and self.principal > self.loan_amount
        )


@attrs.frozen
class RateCheck:
    """The plan rate as written against the rate the schedule implies."""

    stated: Decimal | None  # plan rate as written, simple annual; None when not written
    implied: Decimal | None  # nominal annual rate the schedule implies; None if not computed

    @property
    def checked(self) -> bool:
        return self.implied is not None

    @property
    def mismatch(self) -> bool:
        if self.implied is None:
            return False
        stated = self.stated if self.stated is not None else ZERO
        return abs(self.implied - stated) > RATE_TOLERANCE


@attrs.frozen
class LedgerCheck:
    """The plan's payments against the loan's ledger (docs/ledger.md) and the plan's split."""

    claimed_total: Decimal | None = None  # the ledger's claimed balance of the loan
    lawful_total: Decimal | None = None  # the ledger's lawful balance (an upper bound)
    above_claimed: Decimal = ZERO  # plan payments above the claimed balance (≥ 1 yuan)
    above_lawful: Decimal = ZERO  # plan payments above the lawful balance (≥ 1 yuan)
    #: The borrower's monthly budget for this lender: the plan's split across lenders.
    share: Decimal | None = None


@attrs.frozen
class LimitationCheck:
    """The general limitation period (民法典 188) from the latest known event on the loan."""

    runs_from: dt.date | None  # the latest event the limitation period may run from
    may_have_expired: bool


@attrs.frozen
class AgreementAnalysis:
    agreement: Agreement
    loan_id: str | None
    lender_type: LenderType | None
    written: bool
    borrower_id: BorrowerIdCheck
    lender: LenderCheck
    missing_amounts: tuple[str, ...]
    schedule: ScheduleCheck
    balance: BalanceCheck
    rate: RateCheck
    ledger: LedgerCheck
    affordability: Affordability | None
    limitation: LimitationCheck
    #: A waiver that a single late payment revives in full (the breach clause restores it).
    clawback: bool = False
    #: Whether the agreement's named payee is the lender: ``lender``, ``other`` or ``unknown``.
    payee: str = "unknown"
    requests: tuple[Request, ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        """Keys of every item the agreement leaves out (:data:`TERMS`, in its order; the
        amounts by their own keys)."""
        out: list[str] = []
        for term in TERMS:
            if term.absent(self):
                out.extend(self.missing_amounts if term.key == "amounts" else (term.key,))
        return tuple(out)

    def missing_amount_words(self, lang: str) -> list[str]:
        index = 1 if lang == "en" else 0
        return [_AMOUNT_WORDS[k][index] for k in self.missing_amounts]


def rate_text(rate: Decimal | None) -> str | None:
    """A rate as the agreement figures show it: a decimal string to six places at most."""
    if rate is None:
        return None
    return str(rate.quantize(Decimal("0.000001")).normalize())


# --- what a complete agreement states -------------------------------------------------------


@attrs.frozen
class Term:
    """One item a complete agreement states (seed 001 §三, docs/agreement-check.md).

    ``key`` is what :attr:`AgreementAnalysis.missing` lists when the item is absent (the
    amounts are listed by their own keys, :data:`AMOUNT_FIELDS`); ``request`` the request that
    asks for it (None: the borrower's own signature, asked of nobody); ``facts`` the fields of
    the ``agreement`` fact the rules read to find it absent; ``absent`` says whether it is.
    """

    key: str
    request: str | None
    facts: tuple[str, ...]
    absent: Callable[[AgreementAnalysis], bool]
    #: The request's figures when it is asked for.
    figures: Callable[[AgreementAnalysis], Mapping[str, Any]] = lambda _x: {}
    #: A written confirmation of a deal reached by phone or chat must state it
    #: (:mod:`negotiator.documents.confirmation`).
    confirm: bool = True


#: The completeness items, in the order ``missing`` lists them and the requests ask for them.
TERMS: tuple[Term, ...] = (
    Term(
        "borrower_name",
        "borrower_name",
        ("borrower_name_given",),
        lambda x: x.agreement.borrower.name is None,
        confirm=False,
    ),
    Term(
        "borrower_id",
        "borrower_id",
        ("borrower_id",),
        lambda x: not x.borrower_id.given,
        confirm=False,
    ),
    Term("lender_name", "lender_name", ("lender_name_given",), lambda x: x.lender.name is None),
    Term(
        "contract_ref",
        "contract_ref",
        ("contract_ref_given",),
        lambda x: x.agreement.contract_ref is None,
    ),
    Term(
        "amounts",
        "amounts",
        ("amounts_missing",),
        lambda x: bool(x.missing_amounts),
        lambda x: {"missing": list(x.missing_amounts)},
    ),
    Term(
        "schedule",
        "schedule",
        ("instalments", "instalments_incomplete"),
        lambda x: not x.schedule.complete,
        lambda x: {"incomplete": list(x.schedule.incomplete)},
    ),
    Term(
        "waiver_terms",
        "waiver_terms",
        ("waiver_negotiated", "waived_given"),
        lambda x: x.agreement.waiver_negotiated and x.agreement.waived is None,
    ),
    Term(
        "breach_clause",
        "breach_clause",
        ("breach_clause_given",),
        lambda x: x.agreement.breach_clause is None,
    ),
    Term(
        "lender_signature",
        "lender_signature",
        ("lender_signed",),
        lambda x: not x.agreement.lender_signed,
    ),
    Term(
        "borrower_signature",
        None,
        ("borrower_signed",),
        lambda x: not x.agreement.borrower_signed,
        confirm=False,
    ),
    Term("date", "date", ("date_given",), lambda x: x.agreement.date is None, confirm=False),
    Term(
        "credit_reporting",
        "credit_reporting",
        ("credit_reporting_given",),
        lambda x: x.agreement.credit_reporting is None,
    ),
    Term(
        "allocation_order",
        "allocation_order",
        ("allocation_order_given",),
        lambda x: x.agreement.allocation_order is None,
    ),
    Term(
        "payment_channel",
        "payment_channel",
        ("repayment_account",),
        lambda x: x.agreement.repayment_account is AccountKind.UNKNOWN,
    ),
)


@attrs.frozen
class Ask:
    """A request the check makes whenever ``when`` holds (completeness items are :class:`Term`)."""

    request: str
    when: Callable[[AgreementAnalysis], bool]
    figures: Callable[[AgreementAnalysis], Mapping[str, Any]] = lambda _x: {}
    #: A written confirmation must state it (see :attr:`Term.confirm`).
    confirm: bool = False


def _term(key: str) -> Term:
    return next(t for t in TERMS if t.key == key)


def _private(x: AgreementAnalysis) -> bool:
    return x.lender_type is LenderType.PRIVATE


def _counter_fits(x: AgreementAnalysis) -> bool:
    aff = x.affordability
    return aff is not None and aff.unaffordable and aff.counter is not None and aff.counter.possible


def _counter_figures(x: AgreementAnalysis) -> Mapping[str, Any]:
    counter = x.affordability.counter if x.affordability is not None else None
    assert counter is not None  # asked only when _counter_fits
    return {"months": counter.months, "largest": counter.largest}


#: Every request the check can make, in the order it makes them: the completeness items of
#: :data:`TERMS` among the consistency, payment and fairness checks.
ASKS: tuple[Term | Ask, ...] = (
    Ask("written_confirmation", lambda x: not x.written, confirm=True),
    _term("borrower_name"),
    _term("borrower_id"),
    Ask(
        "borrower_id_check",
        lambda x: x.borrower_id.problem is not None,
        lambda x: {"problem": x.borrower_id.problem},
    ),
    _term("lender_name"),
    Ask(
        "lender_entity",
        lambda x: not x.lender.party_ok,
        lambda x: {"party_kind": x.lender.kind.value},
    ),
    Ask(
        "lender_uscc_check",
        lambda x: x.lender.uscc_problem is not None,
        lambda x: {"problem": x.lender.uscc_problem},
    ),
    _term("contract_ref"),
    _term("amounts"),
    _term("schedule"),
    Ask(
        "schedule_sum",
        lambda x: x.schedule.difference is not None and x.schedule.difference != 0,
        lambda x: {
            "sum": x.schedule.instalments_sum,
            "total": x.schedule.total,
            "difference": x.schedule.difference,
        },
    ),
    Ask(
        "schedule_dates",
        lambda x: x.schedule.dates_wrong,
        lambda x: {
            "out_of_order": list(x.schedule.out_of_order),
            "duplicate_dates": list(x.schedule.duplicate_dates),
            "before_agreement": list(x.schedule.before_agreement),
        },
    ),
    Ask(
        "schedule_amounts",
        lambda x: bool(x.schedule.zero_amounts),
        lambda x: {"zero_amounts": list(x.schedule.zero_amounts)},
    ),
    Ask(
        "balance_plan",
        lambda x: x.balance.plan_shortfall is not None,
        lambda x: {
            "settled_balance": x.balance.settled_balance,
            "plan_payments": x.balance.plan_payments,
            "difference": x.balance.plan_shortfall,
        },
    ),
    Ask(
        "balance_breakdown",
        lambda x: x.balance.breakdown_mismatch,
        lambda x: {"breakdown_sum": x.balance.breakdown_sum, "remaining": x.balance.remaining},
    ),
    Ask(
        "balance_principal",
        lambda x: x.balance.principal_unaccounted or x.balance.principal_above_loan,
        lambda x: {
            "loan_amount": x.balance.loan_amount,
            "repaid": x.balance.repaid,
            "remaining": x.balance.remaining,
            "principal": x.balance.principal,
            "principal_floor": x.balance.principal_floor,
        },
    ),
    Ask(
        "plan_rate",
        lambda x: x.rate.mismatch,
        lambda x: {"stated": rate_text(x.rate.stated), "implied": rate_text(x.rate.implied)},
    ),
    _term("waiver_terms"),
    _term("breach_clause"),
    Ask("cure_period", lambda x: not x.agreement.cure_days, confirm=True),
    _term("lender_signature"),
    _term("date"),
    _term("credit_reporting"),
    _term("allocation_order"),
    _term("payment_channel"),
    Ask(
        "official_account",
        lambda x: x.agreement.repayment_account is AccountKind.PERSONAL and not _private(x),
    ),
    Ask(
        "payee_is_lender",
        lambda x: _private(x) and x.payee == "other",
        lambda x: {"account_holder": x.agreement.account_holder},
    ),
    Ask(
        "no_deposit",
        lambda x: (x.agreement.deposit_required or ZERO) > 0,
        lambda x: {"deposit": x.agreement.deposit_required},
    ),
    Ask("no_third_party_consent", lambda x: x.agreement.third_party_contact_consent),
    Ask("no_unfair_terms", lambda x: x.agreement.excludes_borrower_rights),
    Ask("affordable_schedule", _counter_fits, _counter_figures),
)

#: What a written confirmation of a deal reached by phone or chat must state, in request order.
CONFIRMATION_REQUESTS: tuple[str, ...] = tuple(
    a.request for a in ASKS if a.confirm and a.request is not None
)


def _asked(ask: Term | Ask, x: AgreementAnalysis) -> bool:
    if isinstance(ask, Term):
        return ask.request is not None and ask.absent(x)
    return ask.when(x)


def _requests(x: AgreementAnalysis) -> tuple[Request, ...]:
    """The requests :data:`ASKS` makes of this agreement (those that apply to its lender)."""
    private = _private(x)
    return tuple(
        make_request(ask.request, private=private, **ask.figures(x))
        for ask in ASKS
        if ask.request is not None and applies(ask.request, private=private) and _asked(ask, x)
    )


# ---------------------------------------------------------------------------------------------


def implied_plan_rate(
    start: dt.date, balance: Decimal, payments: list[tuple[dt.date, Decimal]]
) -> Decimal | None:
    """The nominal annual rate at which ``payments`` repay ``balance`` owed on ``start``.

    Payments due on ``start`` itself reduce the balance.  The rate is stated the way Chinese
    loan rates are quoted, as a monthly rate times 12 (年利率 = 月利率 × 12, the 单利 figure
    of PBoC 公告〔2021〕第3号):

    * when every later payment falls on a monthly anniversary of ``start`` — give or take
      :data:`SNAP_DAYS` days, the way due dates drift to a fixed day of the month or a working
      day — it is the monthly IRR × 12 with each payment counted on its anniversary
      (:func:`negotiator.calc.cost.annualised_cost_periodic`), exact for a level plan;
    * otherwise it is solved on the actual dates, as a daily IRR on actual/365
      (:func:`negotiator.calc.cost.annualised_cost_dated`), and restated as its monthly
      equivalent × 12.

    ``None`` when no rate exists (nothing owed after the day-one payments, no later payment, a
    payment before ``start``, or no solution).

    >>> d = dt.date
    >>> plan = [(d(2026, 2, 1), Decimal("507.51")), (d(2026, 3, 1), Decimal("507.51"))]
    >>> str(implied_plan_rate(d(2026, 1, 1), Decimal("1000"), plan).quantize(Decimal("0.0001")))
    '0.1200'
    >>> implied_plan_rate(d(2026, 1, 1), Decimal("1000"), [(d(2026, 1, 1), Decimal("1000"))])
    """
    received = balance - sum((amt for when, amt in payments if when == start), ZERO)
    later = [(when, amt) for when, amt in payments if when > start]
    if received <= 0 or not later or any(when < start for when, _ in payments):
        return None
    periods = _monthly_periods(start, [when for when, _ in later])
    try:
        if periods is not None:
            flows = [ZERO] * max(periods)
            for k, (_when, amt) in zip(periods, later, strict=True):
                flows[k - 1] += amt
            return annualised_cost_periodic(received, flows, 12).simple
        cost = annualised_cost_dated(start, received, later)
    except CalculationError:
        return None
    with localcontext() as ctx:
        ctx.prec = 40
        monthly = (1 + cost.periodic_rate) ** (Decimal(365) / 12) - 1
        return +(monthly * 12)


def _anniversary(start: dt.date, k: int) -> dt.date:
    """``start`` plus ``k`` months, the day clamped to the month's last day (for matching only)."""
    index = start.year * 12 + start.month - 1 + k
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(start.day, last))


def _monthly_periods(start: dt.date, dates: list[dt.date]) -> list[int] | None:
    """For each date, the month anniversary of ``start`` it falls on (within
    :data:`SNAP_DAYS`); None if any date is not near one."""
    out = []
    for when in dates:
        k = (when.year - start.year) * 12 + when.month - start.month  # ≥ 0: when > start
        gap, period = min(
            (abs((when - _anniversary(start, j)).days), j) for j in (k - 1, k, k + 1) if j >= 1
        )
        if gap > SNAP_DAYS:
            return None
        out.append(period)
    return out


def _limitation_end(start: dt.date) -> dt.date:
    try:
        return start.replace(year=start.year + LIMITATION_YEARS)
    except ValueError:  # 29 February → the period ends with 28 February
        return dt.date(start.year + LIMITATION_YEARS, 2, 28)


def _month(d: dt.date) -> Month:
    return (d.year, d.month)


def _next_month(d: dt.date) -> dt.date:
    year, month = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
    return dt.date(year, month, min(d.day, 28))


def other_obligations(
    case: Case, ids: tuple[str, ...], own: str | None, as_of: dt.date
) -> dict[Month, Decimal]:
    """Other loans' unpaid scheduled payments due from ``as_of`` on, by calendar month
    (:func:`negotiator.analysis.budget.scheduled_elsewhere`, which the plan uses too)."""
    return scheduled_elsewhere(case, ids, own, as_of)


_Dated = list[tuple[int, dt.date, Decimal]]


@attrs.frozen
class _Rooms:
    """What the budget leaves for this lender month by month.

    With several lenders the plan splits the budget and this lender gets its share; in a month
    where other lenders' fixed schedules leave less, the smaller figure applies.  The budget
    path (income expected from a later month) changes both from that month on: the same path
    the plan schedules by (``shares``: this lender's share from a month on).
    """

    budget: BudgetAnalysis
    share: Decimal | None
    shares: Mapping[Month, Decimal]
    changes: tuple[Month, ...]  # the months from which the budget or the share changes

    def bases(self, key: Month) -> tuple[Decimal, Decimal]:
        """(this lender's room before other lenders, the whole affordable amount) in a month."""
        whole = self.budget.affordable_in(key)
        mine = self.share
        for m in self.changes:
            if m <= key and m in self.shares:
                mine = self.shares[m]
        return (whole if mine is None else min(mine, whole)), whole

    def expected(self, key: Month) -> bool:
        """The month's room rests on an expected change of income."""
        return bool(self.changes) and key >= self.changes[0]


def _rooms(
    budget: BudgetAnalysis, share: Decimal | None, share_path: Sequence[tuple[Month, Decimal]]
) -> _Rooms:
    path = {month_of(st.since) for st in budget.later}
    shares = dict(share_path)
    return _Rooms(budget, share, shares, tuple(sorted(path | set(shares))))


def _dated(a: Agreement) -> _Dated | None:
    """(number, due, amount) of every instalment; None unless every one is complete."""
    dated = [
        (n, x.due, x.amount)
        for n, x in enumerate(a.instalments, start=1)
        if x.due is not None and x.amount is not None
    ]
    return dated if dated and len(dated) == len(a.instalments) else None


def _month_loads(
    dated: _Dated, rooms: _Rooms, others: Mapping[Month, Decimal]
) -> tuple[MonthLoad, ...]:
    by_month: dict[Month, list[tuple[int, Decimal]]] = {}
    for number, due, amount in dated:
        by_month.setdefault(_month(due), []).append((number, amount))
    months = []
    for key in sorted(by_month):
        items = by_month[key]
        amount = sum((amt for _, amt in items), ZERO)
        other = others.get(key, ZERO)
        base, whole = rooms.bases(key)
        room = max(ZERO, min(base, whole - other))
        months.append(
            MonthLoad(
                year=key[0],
                month=key[1],
                instalments=tuple(n for n, _ in items),
                amount=amount,
                other_due=other,
                room=room,
                excess=max(ZERO, amount - room),
                expected=rooms.expected(key),
            )
        )
    return tuple(months)


def _counter(
    dated: _Dated,
    rooms: _Rooms,
    others: Mapping[Month, Decimal],
    total: Decimal,
    as_of: dt.date,
    max_months: int,
) -> CounterProposal:
    """A schedule that fits each month's room, from the agreement's first due date (or the
    next month, when that has passed)."""
    first = min(due for _, due, _ in dated)
    if first < as_of:
        first = _next_month(as_of)
    # propose_schedule subtracts ``others`` from the room; with a share, only the part of the
    # other payments that the share's headroom does not absorb (min(share, budget − other)).
    adjusted: dict[Month, Decimal] = {}
    for k, v in others.items():
        base, whole = rooms.bases(k)
        adjusted[k] = max(ZERO, v - (whole - base))
    room_from = [(m, rooms.bases(m)[0]) for m in rooms.changes]
    room_base = rooms.bases(month_of(as_of))[0]
    return propose_schedule(
        total, first, room_base, adjusted, max_months=max_months, room_from=room_from
    )


def _affordability(
    a: Agreement,
    budget: BudgetAnalysis,
    others: Mapping[Month, Decimal],
    total: Decimal | None,
    as_of: dt.date,
    max_months: int,
    share: Decimal | None = None,
    share_path: Sequence[tuple[Month, Decimal]] = (),
) -> Affordability | None:
    if not budget.known or budget.disposable is None:
        return None
    dated = _dated(a)
    if dated is None:
        return None
    rooms = _rooms(budget, share, share_path)
    result = Affordability(
        affordable_monthly=rooms.bases(month_of(as_of))[0],
        disposable=budget.disposable,
        months=_month_loads(dated, rooms, others),
        savings_available=budget.savings.lump_sum_available,
        counter=None,
        expected_from=min((st.since for st in budget.later), default=None),
    )
    if not result.unaffordable or total is None:
        return result
    counter = _counter(dated, rooms, others, total, as_of, max_months)
    return attrs.evolve(result, counter=counter)


def _limitation(
    case: Case, ids: tuple[str, ...], loan_id: str | None, on: dt.date
) -> LimitationCheck:
    if loan_id is None:
        return LimitationCheck(None, False)
    loan = case.loans[ids.index(loan_id)]
    if loan.overdue_since is None:
        return LimitationCheck(None, False)
    events = [loan.overdue_since]
    events += [p.due for p in loan.schedule]
    events += [c.at.date() for c in loan.collection_contacts]
    events += [
        e.date for e in case.history if e.loan == loan_id or (e.loan is None and len(ids) == 1)
    ]
    past = [d for d in events if d <= on]
    if not past:
        return LimitationCheck(None, False)
    latest = max(past)
    return LimitationCheck(latest, _limitation_end(latest) < on)


_HOLDER_NOISE = ("（个人）", "(个人)", "个人", "本人", " ", "\u3000")


def _bare(name: str) -> str:
    for noise in _HOLDER_NOISE:
        name = name.replace(noise, "")
    return name


def payee_state(g: Agreement, lender_names: tuple[str | None, ...]) -> str:
    """Whether the named payee is the lender itself: ``lender``, ``other`` or ``unknown``.

    Names are compared without spaces and without a "（个人）" or "本人" marker, and must then be
    equal (孙某 and 孙某某 are different people).
    """
    if g.account_holder is None:
        return "unknown"
    holder = _bare(g.account_holder)
    if not holder:
        return "unknown"
    names = [_bare(n) for n in lender_names if n]
    if not names:
        return "unknown"
    return "lender" if any(holder == n for n in names) else "other"


#: Words of a breach clause that revive what was waived, or the original terms, on default.
_CLAWBACK = re.compile(
    r"(?<!不予)(?<!不得)(?<!不再)(?<!不)恢复|原合同|原约定|不予减免|取消减免|撤销减免|减免.{0,6}(失效|作废|无效|收回|追回)|"
    r"(补缴|补交|追缴|追回|收回).{0,8}(减免|罚息|利息)|全部罚息|"
    r"revive|reinstat|original (terms|contract)|waiver (is )?(cancel|void|revok)",
    re.IGNORECASE,
)


#: A negated mention ("已减免的款项不予恢复", "不恢复原合同约定的罚息") revives nothing: the
#: phrase is removed, up to the next punctuation mark, before :data:`_CLAWBACK` is searched.
_NEGATED = re.compile(r"(不予|不得|不再|不)(恢复|按原合同|按照原合同|按原约定)[^，。；,;.]*")


def clawback_clause(agreement: Agreement) -> bool:
    """A waiver is in the agreement and its breach clause revives it (or the old terms)."""
    waiver = (agreement.waived or ZERO) > 0 or agreement.waiver_negotiated
    clause = agreement.breach_clause
    if not (waiver and clause):
        return False
    return bool(_CLAWBACK.search(_NEGATED.sub("", "".join(clause.split()))))


def _instalments_total(a: Agreement) -> Decimal | None:
    """The sum of the instalments when every amount is written (None otherwise)."""
    amounts = [x.amount for x in a.instalments]
    known = [x for x in amounts if x is not None]
    return sum(known, ZERO) if amounts and len(known) == len(amounts) else None


def _select_loan(case: Case, ids: tuple[str, ...], a: Agreement) -> tuple[str, Loan]:
    """The loan the agreement settles: the one it names, or the case's only loan."""
    if a.loan is not None and a.loan not in ids:
        raise InputError("agreement.loan", f"names no loan of the case (loans: {', '.join(ids)})")
    if a.loan is None and len(ids) > 1:
        raise InputError("agreement.loan", "the case has several loans: say which one it settles")
    loan_id = a.loan or ids[0]
    return loan_id, case.loans[ids.index(loan_id)]


def _borrower_id(a: Agreement, on: dt.date) -> BorrowerIdCheck:
    number = a.borrower.id_number
    problem = ric_problem(number, on=on) if number else None
    listed = ric_area_listed(number) if number is not None and problem is None else None
    return BorrowerIdCheck(given=number is not None, problem=problem, area_listed=listed)


def _lender(a: Agreement, loan: Loan) -> LenderCheck:
    party_ok = a.lender.kind is PartyKind.LENDER or (
        a.lender.kind is PartyKind.INDIVIDUAL and loan.lender_type is LenderType.PRIVATE
    )
    return LenderCheck(
        name=a.lender.name,
        kind=a.lender.kind,
        party_ok=party_ok,
        uscc_given=a.lender.uscc is not None,
        uscc_problem=uscc_problem(a.lender.uscc) if a.lender.uscc is not None else None,
    )


def _schedule(a: Agreement, total: Decimal | None) -> ScheduleCheck:
    """Instalment numbers that are incomplete, zero, out of order; repeated dates; early ones."""
    rows = tuple(NumberedInstalment(n, x.due, x.amount) for n, x in enumerate(a.instalments, 1))
    dated = [(r.number, r.due) for r in rows if r.due is not None]
    unordered: list[int] = []
    latest: dt.date | None = None
    for number, due in dated:
        if latest is not None and due < latest:
            unordered.append(number)
        latest = due if latest is None else max(latest, due)
    seen: dict[dt.date, int] = {}
    duplicates: list[dt.date] = []
    for _number, due in dated:
        seen[due] = seen.get(due, 0) + 1
        if seen[due] == 2:
            duplicates.append(due)
    return ScheduleCheck(
        instalments=rows,
        total=a.total,
        instalments_sum=to_fen(total) if total is not None else None,
        incomplete=tuple(r.number for r in rows if r.due is None or r.amount is None),
        zero_amounts=tuple(r.number for r in rows if r.amount is not None and r.amount == 0),
        out_of_order=tuple(unordered),
        duplicate_dates=tuple(duplicates),
        before_agreement=tuple(n for n, due in dated if a.date is not None and due < a.date),
    )


def _balance(a: Agreement, loan: Loan, instalments_sum: Decimal | None) -> BalanceCheck:
    if a.waived is not None:
        waived: Decimal | None = a.waived
    else:
        waived = None if a.waiver_negotiated else ZERO
    settled = a.remaining - waived if a.remaining is not None and waived is not None else None
    parts = [a.principal, a.interest, a.penalty, a.fees]
    given = [p for p in parts if p is not None]
    base = a.loan_amount
    if base is not None and loan.received is not None and loan.received < base:
        base = loan.received
    return BalanceCheck(
        loan_amount=a.loan_amount,
        repaid=a.repaid,
        remaining=a.remaining,
        principal=a.principal,
        waived=waived,
        settled_balance=settled,
        plan_payments=a.total if a.total is not None else instalments_sum,
        breakdown_sum=sum(given, ZERO) if given else None,
        breakdown_complete=len(given) == len(parts),
        principal_base=base,
        principal_floor=base - a.repaid if base is not None and a.repaid is not None else None,
    )


def _rate(a: Agreement, balance: BalanceCheck, schedule: ScheduleCheck) -> RateCheck:
    """The written plan rate, and the rate the schedule implies when the plan covers a positive
    balance and every instalment is dated (see :func:`implied_plan_rate`)."""
    settled, paid = balance.settled_balance, balance.plan_payments
    implied = None
    if (
        settled is not None
        and paid is not None
        and paid >= settled
        and settled > 0
        and a.date is not None
        and schedule.complete
    ):
        payments = [(r.due, r.amount) for r in schedule.instalments]
        implied = implied_plan_rate(
            a.date, settled, [(d, amt) for d, amt in payments if d is not None and amt is not None]
        )
    return RateCheck(stated=annual_rate(a.plan_rate), implied=implied)


def _ledger(
    loans: tuple[LoanAnalysis, ...], loan_id: str, paid: Decimal | None, share: Decimal | None
) -> LedgerCheck:
    ledger = next((la.ledger for la in loans if la.id == loan_id), None)
    claimed = ledger.claimed.total.amount if ledger is not None else None
    lawful = ledger.lawful.total.amount if ledger is not None else None

    return LedgerCheck(
        claimed_total=claimed,
        lawful_total=lawful,
        above_claimed=excess_over(paid, claimed),
        above_lawful=excess_over(paid, lawful),
        share=share,
    )


def analyse_agreement(
    case: Case,
    ids: tuple[str, ...],
    as_of: dt.date,
    params: Parameters,
    budget: BudgetAnalysis,
    loans: tuple[LoanAnalysis, ...],
    share: Decimal | None = None,
    share_path: Sequence[tuple[Month, Decimal]] = (),
) -> AgreementAnalysis:
    """The agreement's figures; ``share`` is the plan's monthly budget for this lender and
    ``share_path`` its share from later months on (the plan's budget path)."""
    a = case.agreement
    if a is None:
        raise InputError("agreement", "the case has no proposed agreement")
    loan_id, loan = _select_loan(case, ids, a)
    on = a.date or as_of
    total = _instalments_total(a)
    schedule = _schedule(a, total)
    balance = _balance(a, loan, total)
    affordability = _affordability(
        a,
        budget,
        other_obligations(case, ids, loan_id, as_of),
        balance.plan_payments,
        as_of,
        params.integer("instalments_max"),
        share,
        share_path,
    )
    result = AgreementAnalysis(
        agreement=a,
        loan_id=loan_id,
        lender_type=loan.lender_type,
        written=a.form in _WRITTEN_FORMS,
        borrower_id=_borrower_id(a, on),
        lender=_lender(a, loan),
        missing_amounts=tuple(f for f in AMOUNT_FIELDS if getattr(a, f) is None),
        schedule=schedule,
        balance=balance,
        rate=_rate(a, balance, schedule),
        ledger=_ledger(loans, loan_id, balance.plan_payments, share),
        affordability=affordability,
        limitation=_limitation(case, ids, loan_id, on),
        clawback=clawback_clause(a),
        payee=payee_state(a, (loan.lender_name, a.lender.name)),
    )
    return attrs.evolve(result, requests=_requests(result))
