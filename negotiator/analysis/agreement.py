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
from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any

import attrs

from ..basis.params import Parameters, load_parameters
from ..calc.cost import annualised_cost_dated, annualised_cost_periodic
from ..calc.ledger import EXCESS_THRESHOLD
from ..case.models import (
    AccountKind,
    Agreement,
    AgreementForm,
    Case,
    LenderType,
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
    "LIMITATION_YEARS",
    "RATE_TOLERANCE",
    "SNAP_DAYS",
    "Affordability",
    "AgreementAnalysis",
    "MonthLoad",
    "analyse_agreement",
    "implied_plan_rate",
    "other_obligations",
    "payee_state",
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

    def to_figures(self) -> dict[str, Any]:
        return {
            "month": f"{self.year:04d}-{self.month:02d}",
            "instalments": list(self.instalments),
            "amount": self.amount,
            "other_due": self.other_due,
            "room": self.room,
            "excess": self.excess,
            "expected": self.expected,
        }


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

    def to_figures(self) -> dict[str, Any]:
        worst = self.worst
        return {
            "basis": "affordable_monthly",
            "affordable_monthly": self.affordable_monthly,
            "disposable": self.disposable,
            "months": [m.to_figures() for m in self.months],
            "shortfall": self.shortfall,
            "worst_month": worst.to_figures() if worst else None,
            "excess_total": self.excess_total,
            "savings_available": self.savings_available,
            "savings_used": self.savings_used,
            "unaffordable": self.unaffordable,
            "exceeds_disposable": self.exceeds_disposable,
            "expected_from": self.expected_from,
        }


@attrs.frozen
class AgreementAnalysis:
    agreement: Agreement
    loan_id: str | None
    lender_type: LenderType | None
    written: bool
    #: None when no number is written or it is valid; else "length"/"format"/"checksum"/
    #: "birth_date" (see :func:`negotiator.ids.ric_problem`).
    borrower_id_problem: str | None
    #: For a valid number: whether its area code is listed in GB/T 2260 (None otherwise).
    borrower_id_area_listed: bool | None
    lender_party_ok: bool
    lender_uscc_problem: str | None
    missing_amounts: tuple[str, ...]
    incomplete_instalments: tuple[int, ...]
    zero_instalments: tuple[int, ...]
    unordered_instalments: tuple[int, ...]
    duplicate_dates: tuple[dt.date, ...]
    early_instalments: tuple[int, ...]
    instalments_sum: Decimal | None
    waived: Decimal | None  # the waiver the identities use (0 when none was negotiated)
    settled_balance: Decimal | None  # remaining − waived
    plan_payments: Decimal | None  # total, or the instalments' sum when no total is written
    breakdown_sum: Decimal | None
    breakdown_complete: bool
    principal_base: Decimal | None
    principal_floor: Decimal | None  # base − repaid: what must still be owed at least
    stated_rate: Decimal | None  # plan rate as written, simple annual; None when not written
    implied_rate: Decimal | None  # nominal annual rate the schedule implies; None if not computed
    affordability: Affordability | None
    limitation_from: dt.date | None  # the latest event the limitation period may run from
    limitation_may_have_expired: bool
    requests: tuple[Request, ...] = ()
    # --- against the ledger (docs/ledger.md) -------------------------------------------------
    claimed_total: Decimal | None = None  # the ledger's claimed balance of the loan
    lawful_total: Decimal | None = None  # the ledger's lawful balance (an upper bound)
    above_claimed: Decimal = ZERO  # plan payments above the claimed balance (≥ 1 yuan)
    above_lawful: Decimal = ZERO  # plan payments above the lawful balance (≥ 1 yuan)
    #: A waiver that a single late payment revives in full (the breach clause restores it).
    clawback: bool = False
    #: The borrower's monthly budget for this lender: the plan's split across lenders.
    share: Decimal | None = None
    #: Whether the agreement's named payee is the lender: ``lender``, ``other`` or ``unknown``.
    payee: str = "unknown"

    # ---- derived yes/no answers the facts carry --------------------------------------------

    @property
    def sum_difference(self) -> Decimal | None:
        total = self.agreement.total
        if total is None or self.instalments_sum is None:
            return None
        return self.instalments_sum - total

    @property
    def plan_shortfall(self) -> Decimal | None:
        """How much less than ``remaining − waived`` the plan pays (None when it covers it)."""
        if self.settled_balance is None or self.plan_payments is None:
            return None
        gap = self.settled_balance - self.plan_payments
        return gap if gap > 0 else None

    @property
    def breakdown_mismatch(self) -> bool:
        remaining = self.agreement.remaining
        if self.breakdown_sum is None or remaining is None:
            return False
        if self.breakdown_complete:
            return self.breakdown_sum != remaining
        return self.breakdown_sum > remaining

    @property
    def principal_unaccounted(self) -> bool:
        a = self.agreement
        if self.principal_floor is None:
            return False
        if a.remaining is not None and a.remaining < self.principal_floor:
            return True
        return a.principal is not None and a.principal < self.principal_floor

    @property
    def principal_above_loan(self) -> bool:
        a = self.agreement
        return a.principal is not None and a.loan_amount is not None and a.principal > a.loan_amount

    @property
    def rate_checked(self) -> bool:
        return self.implied_rate is not None

    @property
    def rate_mismatch(self) -> bool:
        if self.implied_rate is None:
            return False
        stated = self.stated_rate if self.stated_rate is not None else ZERO
        return abs(self.implied_rate - stated) > RATE_TOLERANCE

    @property
    def missing(self) -> tuple[str, ...]:
        """Keys of every item the agreement leaves out (the completeness checks)."""
        a = self.agreement
        out: list[str] = []
        if a.borrower.name is None:
            out.append("borrower_name")
        if a.borrower.id_number is None:
            out.append("borrower_id")
        if a.lender.name is None:
            out.append("lender_name")
        if a.contract_ref is None:
            out.append("contract_ref")
        out.extend(self.missing_amounts)
        if not a.instalments or self.incomplete_instalments:
            out.append("schedule")
        if a.waiver_negotiated and a.waived is None:
            out.append("waiver_terms")
        if a.breach_clause is None:
            out.append("breach_clause")
        if not a.lender_signed:
            out.append("lender_signature")
        if not a.borrower_signed:
            out.append("borrower_signature")
        if a.date is None:
            out.append("date")
        if a.credit_reporting is None:
            out.append("credit_reporting")
        if a.allocation_order is None:
            out.append("allocation_order")
        if a.repayment_account is AccountKind.UNKNOWN:
            out.append("payment_channel")
        return tuple(out)

    def missing_amount_words(self, lang: str) -> list[str]:
        index = 1 if lang == "en" else 0
        return [_AMOUNT_WORDS[k][index] for k in self.missing_amounts]

    def to_figures(self) -> dict[str, Any]:
        a = self.agreement
        aff = self.affordability
        counter = aff.counter if aff is not None else None
        return {
            "loan": self.loan_id,
            "form": a.form.value,
            "written": self.written,
            "missing": list(self.missing),
            "missing_amounts": list(self.missing_amounts),
            "requests": [r.to_figures() for r in self.requests],
            "borrower_id": {
                "given": a.borrower.id_number is not None,
                "problem": self.borrower_id_problem,
                "area_listed": self.borrower_id_area_listed,
            },
            "lender": {
                "name": a.lender.name,
                "kind": a.lender.kind.value,
                "party_ok": self.lender_party_ok,
                "uscc_given": a.lender.uscc is not None,
                "uscc_problem": self.lender_uscc_problem,
            },
            "schedule": {
                "instalments": [
                    {"number": i + 1, "due": x.due, "amount": x.amount}
                    for i, x in enumerate(a.instalments)
                ],
                "count": len(a.instalments),
                "sum": self.instalments_sum,
                "total": a.total,
                "difference": self.sum_difference,
                "incomplete": list(self.incomplete_instalments),
                "zero_amounts": list(self.zero_instalments),
                "out_of_order": list(self.unordered_instalments),
                "duplicate_dates": list(self.duplicate_dates),
                "before_agreement": list(self.early_instalments),
            },
            "balance": {
                "loan_amount": a.loan_amount,
                "repaid": a.repaid,
                "remaining": a.remaining,
                "waived": self.waived,
                "settled_balance": self.settled_balance,
                "plan_payments": self.plan_payments,
                "plan_shortfall": self.plan_shortfall,
                "breakdown_sum": self.breakdown_sum,
                "breakdown_complete": self.breakdown_complete,
                "principal_base": self.principal_base,
                "principal_floor": self.principal_floor,
            },
            "rate": {
                "stated": _rate_text(self.stated_rate),
                "implied": _rate_text(self.implied_rate),
                "tolerance": _rate_text(RATE_TOLERANCE),
                "checked": self.rate_checked,
                "mismatch": self.rate_mismatch,
            },
            "ledger": {
                "claimed_total": self.claimed_total,
                "lawful_total": self.lawful_total,
                "above_claimed": self.above_claimed,
                "above_lawful": self.above_lawful,
                "share": self.share,
            },
            "clawback": self.clawback,
            "affordability": aff.to_figures() if aff is not None else None,
            "shortfall": aff.shortfall if aff is not None and aff.unaffordable else None,
            "counter_proposal": counter.to_figures() if counter is not None else None,
            "limitation": {
                "runs_from": self.limitation_from,
                "may_have_expired": self.limitation_may_have_expired,
                "years": LIMITATION_YEARS,
            },
            "allocation_default": ["costs", "interest", "principal"],
        }


def _rate_text(rate: Decimal | None) -> str | None:
    if rate is None:
        return None
    return str(rate.quantize(Decimal("0.000001")).normalize())


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


#: Former private name, kept for callers that imported it.

_ScheduleProblems = tuple[
    tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[dt.date, ...], tuple[int, ...]
]


def _check_schedule(a: Agreement) -> _ScheduleProblems:
    """Instalment numbers that are incomplete, zero, out of order; repeated dates; early ones."""
    rows = list(enumerate(a.instalments, start=1))
    incomplete = tuple(n for n, x in rows if x.due is None or x.amount is None)
    zero = tuple(n for n, x in rows if x.amount is not None and x.amount == 0)
    dated = [(n, x.due) for n, x in rows if x.due is not None]
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
    early = tuple(n for n, due in dated if a.date is not None and due < a.date)
    return incomplete, zero, tuple(unordered), tuple(duplicates), early


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
    dated = [
        (n, x.due, x.amount)
        for n, x in enumerate(a.instalments, start=1)
        if x.due is not None and x.amount is not None
    ]
    if not dated or len(dated) != len(a.instalments):
        return None
    by_month: dict[Month, list[tuple[int, Decimal]]] = {}
    for number, due, amount in dated:
        by_month.setdefault(_month(due), []).append((number, amount))
    # With several lenders the plan splits the budget and this lender gets its share; in a
    # month where other lenders' fixed schedules leave less, the smaller figure applies.  The
    # budget path (income expected from a later month) changes both from that month on: the
    # same path the plan schedules by (``share_path``: this lender's share from a month on).
    path = {month_of(st.since): st.affordable_monthly for st in budget.later}
    shares = dict(share_path)
    changes = sorted(set(path) | set(shares))

    def bases(key: Month) -> tuple[Decimal, Decimal]:
        """(this lender's room before other lenders, the whole affordable amount) in a month."""
        whole = budget.affordable_in(key)
        mine = share
        for m in changes:
            if m <= key and m in shares:
                mine = shares[m]
        return (whole if mine is None else min(mine, whole)), whole

    room_base, _whole = bases(month_of(as_of))
    months = []
    for key in sorted(by_month):
        items = by_month[key]
        amount = sum((amt for _, amt in items), ZERO)
        other = others.get(key, ZERO)
        base, whole = bases(key)
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
                expected=bool(changes) and key >= changes[0],
            )
        )
    result = Affordability(
        affordable_monthly=room_base,
        disposable=budget.disposable,
        months=tuple(months),
        savings_available=budget.savings.lump_sum_available,
        counter=None,
        expected_from=min((st.since for st in budget.later), default=None),
    )
    if not result.unaffordable or total is None:
        return result
    first = min(due for _, due, _ in dated)
    if first < as_of:
        first = _next_month(as_of)
    # propose_schedule subtracts ``others`` from the room; with a share, only the part of the
    # other payments that the share's headroom does not absorb (min(share, budget − other)).
    adjusted: dict[Month, Decimal] = {}
    for k, v in others.items():
        base, whole = bases(k)
        adjusted[k] = max(ZERO, v - (whole - base))
    room_from = [(m, bases(m)[0]) for m in changes]
    counter = propose_schedule(
        total, first, room_base, adjusted, max_months=max_months, room_from=room_from
    )
    return attrs.evolve(result, counter=counter)


def _limitation(
    case: Case, ids: tuple[str, ...], loan_id: str | None, on: dt.date
) -> tuple[dt.date | None, bool]:
    if loan_id is None:
        return None, False
    loan = case.loans[ids.index(loan_id)]
    if loan.overdue_since is None:
        return None, False
    events = [loan.overdue_since]
    events += [p.due for p in loan.schedule]
    events += [c.at.date() for c in loan.collection_contacts]
    events += [
        e.date for e in case.history if e.loan == loan_id or (e.loan is None and len(ids) == 1)
    ]
    latest = max(d for d in events if d <= on) if any(d <= on for d in events) else None
    if latest is None:
        return None, False
    return latest, _limitation_end(latest) < on


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


def _requests(x: AgreementAnalysis) -> tuple[Request, ...]:
    a = x.agreement
    out: list[Request] = []
    private = x.lender_type is LenderType.PRIVATE

    def add(key: str, **figures: Any) -> None:
        if applies(key, private=private):
            out.append(make_request(key, private=private, **figures))

    if not x.written:
        add("written_confirmation")
    if a.borrower.name is None:
        add("borrower_name")
    if a.borrower.id_number is None:
        add("borrower_id")
    elif x.borrower_id_problem is not None:
        add("borrower_id_check", problem=x.borrower_id_problem)
    if a.lender.name is None:
        add("lender_name")
    if not x.lender_party_ok:
        add("lender_entity", party_kind=a.lender.kind.value)
    if x.lender_uscc_problem is not None:
        add("lender_uscc_check", problem=x.lender_uscc_problem)
    if a.contract_ref is None:
        add("contract_ref")
    if x.missing_amounts:
        add("amounts", missing=list(x.missing_amounts))
    if not a.instalments or x.incomplete_instalments:
        add("schedule", incomplete=list(x.incomplete_instalments))
    diff = x.sum_difference
    if diff is not None and diff != 0:
        add("schedule_sum", sum=x.instalments_sum, total=a.total, difference=diff)
    if x.unordered_instalments or x.duplicate_dates or x.early_instalments:
        add(
            "schedule_dates",
            out_of_order=list(x.unordered_instalments),
            duplicate_dates=list(x.duplicate_dates),
            before_agreement=list(x.early_instalments),
        )
    if x.zero_instalments:
        add("schedule_amounts", zero_amounts=list(x.zero_instalments))
    if x.plan_shortfall is not None:
        add(
            "balance_plan",
            settled_balance=x.settled_balance,
            plan_payments=x.plan_payments,
            difference=x.plan_shortfall,
        )
    if x.breakdown_mismatch:
        add("balance_breakdown", breakdown_sum=x.breakdown_sum, remaining=a.remaining)
    if x.principal_unaccounted or x.principal_above_loan:
        add(
            "balance_principal",
            loan_amount=a.loan_amount,
            repaid=a.repaid,
            remaining=a.remaining,
            principal=a.principal,
            principal_floor=x.principal_floor,
        )
    if x.rate_mismatch:
        add("plan_rate", stated=_rate_text(x.stated_rate), implied=_rate_text(x.implied_rate))
    if a.waiver_negotiated and a.waived is None:
        add("waiver_terms")
    if a.breach_clause is None:
        add("breach_clause")
    if not a.cure_days:
        add("cure_period")
    if not a.lender_signed:
        add("lender_signature")
    if a.date is None:
        add("date")
    if a.credit_reporting is None:
        add("credit_reporting")
    if a.allocation_order is None:
        add("allocation_order")
    if a.repayment_account is AccountKind.UNKNOWN:
        add("payment_channel")
    if a.repayment_account is AccountKind.PERSONAL and not private:
        add("official_account")
    if private and x.payee == "other":
        add("payee_is_lender", account_holder=a.account_holder)
    if a.deposit_required is not None and a.deposit_required > 0:
        add("no_deposit", deposit=a.deposit_required)
    if a.third_party_contact_consent:
        add("no_third_party_consent")
    if a.excludes_borrower_rights:
        add("no_unfair_terms")
    aff = x.affordability
    if aff is not None and aff.unaffordable and aff.counter is not None and aff.counter.possible:
        add("affordable_schedule", months=aff.counter.months, largest=aff.counter.largest)
    return tuple(out)


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
    agreement = case.agreement
    if agreement is None:
        raise InputError("agreement", "the case has no proposed agreement")
    a = agreement
    if a.loan is not None and a.loan not in ids:
        raise InputError("agreement.loan", f"names no loan of the case (loans: {', '.join(ids)})")
    if a.loan is None and len(ids) > 1:
        raise InputError("agreement.loan", "the case has several loans: say which one it settles")
    loan_id = a.loan or ids[0]
    loan = case.loans[ids.index(loan_id)]

    # --- parties ---------------------------------------------------------------------------
    on = a.date or as_of
    id_problem = ric_problem(a.borrower.id_number, on=on) if a.borrower.id_number else None
    area_listed = (
        ric_area_listed(a.borrower.id_number)
        if a.borrower.id_number is not None and id_problem is None
        else None
    )
    party_ok = a.lender.kind is PartyKind.LENDER or (
        a.lender.kind is PartyKind.INDIVIDUAL and loan.lender_type is LenderType.PRIVATE
    )
    uscc = uscc_problem(a.lender.uscc) if a.lender.uscc is not None else None

    # --- amounts and schedule ---------------------------------------------------------------
    missing_amounts = tuple(f for f in AMOUNT_FIELDS if getattr(a, f) is None)
    incomplete, zero, unordered, duplicates, early = _check_schedule(a)
    amounts = [x.amount for x in a.instalments]
    inst_sum = (
        sum((x for x in amounts if x is not None), ZERO)
        if amounts and all(x is not None for x in amounts)
        else None
    )
    if a.waived is not None:
        waived: Decimal | None = a.waived
    else:
        waived = None if a.waiver_negotiated else ZERO
    settled = a.remaining - waived if a.remaining is not None and waived is not None else None
    plan_payments = a.total if a.total is not None else inst_sum
    parts = [a.principal, a.interest, a.penalty, a.fees]
    given = [p for p in parts if p is not None]
    breakdown_sum = sum(given, ZERO) if given else None
    base = a.loan_amount
    if base is not None and loan.received is not None and loan.received < base:
        base = loan.received
    floor = base - a.repaid if base is not None and a.repaid is not None else None

    # --- rate ---------------------------------------------------------------------------------
    stated = annual_rate(a.plan_rate)
    implied = None
    covers = settled is not None and plan_payments is not None and plan_payments >= settled
    if (
        covers
        and settled is not None
        and settled > 0
        and a.date is not None
        and a.instalments
        and not incomplete
    ):
        payments = [(x.due, x.amount) for x in a.instalments]
        implied = implied_plan_rate(
            a.date, settled, [(d, amt) for d, amt in payments if d is not None and amt is not None]
        )

    # --- affordability ------------------------------------------------------------------------
    others = other_obligations(case, ids, loan_id, as_of)
    counter_total = a.total if a.total is not None else inst_sum
    affordability = _affordability(
        a,
        budget,
        others,
        counter_total,
        as_of,
        params.integer("instalments_max"),
        share,
        share_path,
    )
    ledger = next((la.ledger for la in loans if la.id == loan_id), None)
    claimed_total = ledger.claimed.total.amount if ledger is not None else None
    lawful_total = ledger.lawful.total.amount if ledger is not None else None

    def above(limit: Decimal | None) -> Decimal:
        if limit is None or plan_payments is None:
            return ZERO
        diff = plan_payments - limit
        return to_fen(diff) if diff >= EXCESS_THRESHOLD else ZERO

    limitation_from, expired = _limitation(case, ids, loan_id, on)

    result = AgreementAnalysis(
        agreement=a,
        loan_id=loan_id,
        lender_type=loan.lender_type,
        written=a.form in _WRITTEN_FORMS,
        borrower_id_problem=id_problem,
        borrower_id_area_listed=area_listed,
        lender_party_ok=party_ok,
        lender_uscc_problem=uscc,
        missing_amounts=missing_amounts,
        incomplete_instalments=incomplete,
        zero_instalments=zero,
        unordered_instalments=unordered,
        duplicate_dates=duplicates,
        early_instalments=early,
        instalments_sum=to_fen(inst_sum) if inst_sum is not None else None,
        waived=waived,
        settled_balance=settled,
        plan_payments=plan_payments,
        breakdown_sum=breakdown_sum,
        breakdown_complete=len(given) == len(parts),
        principal_base=base,
        principal_floor=floor,
        stated_rate=stated,
        implied_rate=implied,
        affordability=affordability,
        limitation_from=limitation_from,
        limitation_may_have_expired=expired,
        claimed_total=claimed_total,
        lawful_total=lawful_total,
        above_claimed=above(claimed_total),
        above_lawful=above(lawful_total),
        clawback=clawback_clause(a),
        share=share,
        payee=payee_state(a, (loan.lender_name, a.lender.name)),
    )
    return attrs.evolve(result, requests=_requests(result))
