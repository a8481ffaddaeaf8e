"""The borrower's monthly budget and what savings can spare.

Figures (all yuan, to the fen; see docs/knowledge-base.md):

* ``disposable`` = income − essential expenses − other debt payments (may be negative);
* ``affordable_monthly`` = disposable × (1 − safety margin), rounded *down* to the yuan, never
  below 0 (:func:`negotiator.calc.budget.compute_budget`);
* ``emergency_reserve`` = the larger of ``reserve_months`` × essential expenses and
  ``emergency_reserve_share`` × savings — money that is never offered to a lender.
  ``reserve_months`` follows the hardship's horizon: it is ``emergency_reserve_months`` (3),
  except when every ongoing hardship has an expected end date and the income already covers the
  essential expenses — then it is the whole months left until the last of them ends, at least
  ``emergency_reserve_months_min`` (1).  A hardship that ends on a known, near date needs a
  cushion only until then; this is what lets a partial lump sum show good faith (seed 000 §三.4);
* ``lump_sum_available`` = savings − reserve, rounded down to the yuan (0 when the budget is not
  known: without the expenses no reserve can be judged, so no lump sum is proposed).

Unknown inputs stay ``None`` here; the preparation checklist reports them as missing.

*Budget path* (``later``): income the borrower expects from a later month
(``borrower.expected_income``) changes what is affordable from that month on — the same rule on
the expected income — and a one-off sum expected then first tops up the emergency reserve (when
the savings fall short of it); the rest can be offered, rounded down to the yuan.  Every figure
of the path is an *estimate* resting on the stated expectation; expectations dated on or before
the case date are not used (the current income is ``monthly_income``).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import attrs

from ..basis.params import Parameters, load_parameters
from ..calc.budget import compute_budget
from ..case.models import Case, IncomeStability
from ..money import ZERO, to_fen

__all__ = [
    "BudgetAnalysis",
    "BudgetStep",
    "analyse_budget",
    "month_of",
    "reserve_months",
    "scheduled_elsewhere",
    "whole_months",
]

Month = tuple[int, int]


def month_of(day: dt.date) -> Month:
    return (day.year, day.month)


def scheduled_elsewhere(
    case: Case, ids: tuple[str, ...], own: str | None, as_of: dt.date
) -> dict[Month, Decimal]:
    """Other loans' unpaid scheduled payments due from ``as_of`` on, by calendar month — what
    the month's budget must also pay besides the lender of ``own``.

    Arrears already overdue are not counted: they are being negotiated separately and cannot
    be paid out of the same month's income as well.
    """
    out: dict[Month, Decimal] = {}
    for loan_id, loan in zip(ids, case.loans, strict=True):
        if loan_id == own:
            continue
        for p in loan.schedule:
            unpaid = p.amount - (p.paid_amount or ZERO)
            if p.due >= as_of and unpaid > 0:
                key = (p.due.year, p.due.month)
                out[key] = out.get(key, ZERO) + unpaid
    return out


@attrs.frozen
class BudgetStep:
    """From ``since``'s month on, the budget the borrower expects (estimated, from the stated
    expectation ``borrower.expected_income``)."""

    since: dt.date
    income: Decimal  # expected monthly income from that month (the current one if unchanged)
    affordable_monthly: Decimal  # the affordable amount on that income, whole yuan
    one_off: Decimal  # the part of a one-off sum expected that month that can be offered
    one_off_stated: Decimal  # the one-off sum as stated (0 when none)
    source: str | None

    def to_figures(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "income": self.income,
            "affordable_monthly": self.affordable_monthly,
            "one_off": self.one_off,
            "one_off_stated": self.one_off_stated,
            "source": self.source,
            "provenance": "estimated",
            "basis": "borrower.expected_income",
        }


@attrs.frozen
class SavingsFigures:
    """The borrower's savings: what is kept back for emergencies and what could be offered."""

    savings: Decimal = ZERO
    #: Whether the borrower stated savings (None in the case = unknown).
    savings_known: bool = True
    #: Savings kept back for emergencies (never offered to a lender).
    emergency_reserve: Decimal = ZERO
    #: Savings beyond the reserve, rounded down to the yuan (0 when the budget is unknown).
    lump_sum_available: Decimal = ZERO
    #: Months of essential expenses the reserve holds, and why: "standard" (the parameter) or
    #: "hardship_ends" (the months left until a dated hardship ends).
    reserve_months: int = attrs.field(
        factory=lambda: load_parameters().integer("emergency_reserve_months")
    )
    reserve_reason: str = "standard"
    #: The last expected end of the ongoing hardships ("hardship_ends" only).
    hardship_end: dt.date | None = None


@attrs.frozen
class BudgetAnalysis:
    known: bool  # income and essential expenses are both given
    income: Decimal | None
    essential_expenses: Decimal | None
    other_debt_payments: Decimal
    disposable: Decimal | None  # income − essential − other debts (may be negative)
    safety_margin: Decimal
    affordable_monthly: Decimal  # what a plan may ask each month (0 when unknown or negative)
    #: Whether the borrower stated other debt payments (None in the case = unknown).
    other_debts_known: bool = True
    income_stability: IncomeStability = IncomeStability.UNKNOWN
    savings: SavingsFigures = attrs.field(factory=SavingsFigures)
    #: The budget path: what is expected to be affordable from later months on (module docs).
    later: tuple[BudgetStep, ...] = ()

    def affordable_in(self, month: Month) -> Decimal:
        """The affordable monthly amount in ``month`` (year, month) along the budget path."""
        amount = self.affordable_monthly
        for step in self.later:
            if month_of(step.since) <= month:
                amount = step.affordable_monthly
        return amount

    @property
    def expects_change(self) -> bool:
        return bool(self.later)

    def to_figures(self) -> dict[str, Any]:
        return {
            "known": self.known,
            "monthly_income": self.income,
            "essential_expenses": self.essential_expenses,
            "other_debt_payments": self.other_debt_payments,
            "other_debts_known": self.other_debts_known,
            "disposable": self.disposable,
            "safety_margin": str(self.safety_margin),
            "affordable_monthly": self.affordable_monthly,
            "savings": self.savings.savings,
            "savings_known": self.savings.savings_known,
            "income_stability": self.income_stability.value,
            "emergency_reserve": self.savings.emergency_reserve,
            "lump_sum_available": self.savings.lump_sum_available,
            "reserve_months": self.savings.reserve_months,
            "reserve_reason": self.savings.reserve_reason,
            "hardship_end": (
                self.savings.hardship_end.isoformat() if self.savings.hardship_end else None
            ),
            "later": [step.to_figures() for step in self.later],
        }


def _floor_yuan(amount: Decimal) -> Decimal:
    return to_fen(amount.to_integral_value(ROUND_FLOOR))


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end``, a part-month not counting (≥ 0).

    >>> whole_months(dt.date(2026, 11, 20), dt.date(2027, 1, 5))
    1
    >>> whole_months(dt.date(2026, 11, 20), dt.date(2027, 1, 20))
    2
    """
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def reserve_months(
    case: Case, as_of: dt.date, params: Parameters, disposable: Decimal | None
) -> tuple[int, str, dt.date | None]:
    """(months of essential expenses kept as the reserve, why, the hardship's end)."""
    full = params.integer("emergency_reserve_months")
    ongoing = [
        h for h in case.borrower.hardships if h.expected_end is None or h.expected_end > as_of
    ]
    ends = [h.expected_end for h in ongoing if h.expected_end is not None]
    if not ongoing or len(ends) < len(ongoing) or disposable is None or disposable < 0:
        return full, "standard", None
    end = max(ends)
    months = max(params.integer("emergency_reserve_months_min"), whole_months(as_of, end))
    if months >= full:
        return full, "standard", None
    return months, "hardship_ends", end


def analyse_budget(case: Case, as_of: dt.date, params: Parameters) -> BudgetAnalysis:
    b = case.borrower
    margin = params.decimal("safety_margin")
    other = b.other_debt_payments if b.other_debt_payments is not None else ZERO
    known = b.monthly_income is not None and b.essential_expenses is not None
    disposable: Decimal | None = None
    affordable = ZERO
    if b.monthly_income is not None and b.essential_expenses is not None:
        budget = compute_budget(b.monthly_income, b.essential_expenses, other, margin)
        disposable = to_fen(budget.disposable)
        affordable = budget.affordable_monthly
    savings = _savings(case, as_of, params, disposable)
    gap = savings.emergency_reserve - savings.savings
    return BudgetAnalysis(
        known=known,
        income=b.monthly_income,
        essential_expenses=b.essential_expenses,
        other_debt_payments=other,
        disposable=disposable,
        safety_margin=margin,
        affordable_monthly=affordable,
        other_debts_known=b.other_debt_payments is not None,
        income_stability=b.income_stability,
        savings=savings,
        later=_path(case, as_of, margin, other, gap) if known else (),
    )


def _savings(
    case: Case, as_of: dt.date, params: Parameters, disposable: Decimal | None
) -> SavingsFigures:
    """The emergency reserve (months of essential expenses, or a share of the savings when
    larger) and the savings beyond it; with no known budget nothing is kept or offered."""
    b = case.borrower
    savings = b.savings if b.savings is not None else ZERO
    if b.monthly_income is None or b.essential_expenses is None:
        return SavingsFigures(
            savings=savings,
            savings_known=b.savings is not None,
            reserve_months=params.integer("emergency_reserve_months"),
        )
    months, reason, end = reserve_months(case, as_of, params, disposable)
    reserve = to_fen(
        max(
            b.essential_expenses * months,
            savings * params.decimal("emergency_reserve_share"),
        )
    )
    return SavingsFigures(
        savings=savings,
        savings_known=b.savings is not None,
        emergency_reserve=reserve,
        lump_sum_available=_floor_yuan(savings - reserve) if savings > reserve else ZERO,
        reserve_months=months,
        reserve_reason=reason,
        hardship_end=end,
    )


def _path(
    case: Case, as_of: dt.date, margin: Decimal, other: Decimal, reserve_gap: Decimal
) -> tuple[BudgetStep, ...]:
    """The budget steps of the expected income after ``as_of``, by month (module docs)."""
    b = case.borrower
    if b.monthly_income is None or b.essential_expenses is None:
        return ()
    future = sorted((e for e in b.expected_income if e.since > as_of), key=lambda e: e.since)
    steps: list[BudgetStep] = []
    income = b.monthly_income
    gap = max(ZERO, reserve_gap)  # what the savings lack of the emergency reserve
    for e in future:
        if e.monthly is not None:
            income = e.monthly
        affordable = compute_budget(income, b.essential_expenses, other, margin).affordable_monthly
        stated = e.one_off or ZERO
        top_up = min(gap, stated)
        gap -= top_up
        step = BudgetStep(
            since=e.since,
            income=to_fen(income),
            affordable_monthly=affordable,
            one_off=_floor_yuan(stated - top_up),
            one_off_stated=to_fen(stated),
            source=e.source,
        )
        if steps and month_of(steps[-1].since) == month_of(e.since):
            prev = steps[-1]  # two expectations in one month: one step
            step = attrs.evolve(
                step,
                one_off=to_fen(prev.one_off + step.one_off),
                one_off_stated=to_fen(prev.one_off_stated + step.one_off_stated),
                source=step.source or prev.source,
            )
            steps[-1] = step
        else:
            steps.append(step)
    return tuple(steps)
