"""The income and expenditure statement (收支说明) sent to a lender with an offer: the
borrower's income by source, essential spending, other debts' payments, what is left for
repayment and how it is split across the lenders (the plan's figures).

Every figure says what it is (:data:`BASES`):

* ``stated`` — the case states it (the borrower's own figure);
* ``derived`` — computed from stated figures by a named method (``method``);
* ``estimated`` — an expectation, not a fact (income the borrower expects from a later date);
* ``unknown`` — the case does not state it, or it depends on a figure that is unknown.  An unknown
  figure has no amount (``None``): it is never shown as 0.  In particular an unstated
  other-debt figure makes what is left unknown, although the plan's split treats it as none.

The figures satisfy, whenever they are known: surplus = income − essential spending − other
debts' payments; surplus = the margin kept back + what is available for repayment (when the
surplus is positive); the lenders' shares + any part not allocated = what is available.

The statement lists what the lenders other than the addressee receive, so a lender sees the
split is fair (pro rata); a private lender among them is not named.  Savings are left out:
the statement is about the monthly budget, and disclosing savings invites a demand for them.

Seed guidance behind it: tell the lender honestly about income, fixed spending and the cash
left (004 §真实情况); assess income, spending and other debts before proposing
(000 §二.2, 003 §1.1); keep proof of income ready (000 §二.3).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ..analysis import CaseAnalysis
from ..case.models import Case, LenderType
from ..money import ZERO, to_fen
from .views import loan_index

__all__ = ["BASES", "Figure", "IncomeExpenditure", "income_expenditure"]

BASES = ("stated", "derived", "estimated", "unknown")


@attrs.frozen
class Figure:
    """One line of the statement: a monthly amount and what it is."""

    key: str  # income / expected_income / essential / other_debts / surplus / margin /
    # available / share / unallocated
    amount: Decimal | None  # None exactly when the basis is "unknown"
    basis: str  # one of BASES
    method: str | None = None  # derived: how (pro_rata, agreement, …); estimated: from what
    label: str | None = None  # text from the case: an income's source, a lender's name
    since: dt.date | None = None  # an expected income: the first month it arrives
    this_loan: bool = False  # a share: the addressee's


def _known(key: str, amount: Decimal | None, basis: str = "stated") -> Figure:
    return Figure(key, amount, basis) if amount is not None else Figure(key, None, "unknown")


@attrs.frozen
class IncomeExpenditure:
    income: Figure  # current net monthly income (stated or unknown)
    expected: tuple[Figure, ...]  # income expected from a later date, by source (estimated)
    essential: Figure  # essential spending (stated or unknown)
    other_debts: Figure  # payments on debts not in this plan (stated or unknown)
    surplus: Figure  # income − essential − other debts (derived or unknown)
    margin: Figure | None  # the part of a positive surplus kept back (derived)
    available: Figure  # what is left for repayment, all lenders together (derived or unknown)
    shares: tuple[Figure, ...]  # each lender's part of ``available`` (the plan's split)
    unallocated: Figure | None  # the part of ``available`` no lender is given, when not 0
    margin_pct: str  # the safety margin in percent, as printed: "10"
    dependents: int
    employment: str

    def figures(self) -> tuple[Figure, ...]:
        """Every figure of the statement, in the order it prints them."""
        out = [self.income, *self.expected, self.essential, self.other_debts, self.surplus]
        if self.margin is not None:
            out.append(self.margin)
        out.extend((self.available, *self.shares))
        if self.unallocated is not None:
            out.append(self.unallocated)
        return tuple(out)


def income_expenditure(case: Case, analysis: CaseAnalysis, loan_id: str) -> IncomeExpenditure:
    """The statement sent to the lender of ``loan_id``."""
    loan_index(analysis, loan_id)
    b = case.borrower
    budget = analysis.budget
    income = _known("income", b.monthly_income)
    essential = _known("essential", b.essential_expenses)
    other = _known("other_debts", b.other_debt_payments)
    expected = tuple(
        Figure(
            "expected_income", e.monthly, "estimated", "borrower_expects", e.source, since=e.since
        )
        for e in sorted(b.expected_income, key=lambda e: e.since)
    )
    margin: Figure | None = None
    unallocated: Figure | None = None
    if any(x.basis == "unknown" for x in (income, essential, other)):
        surplus = Figure("surplus", None, "unknown", "income_less_spending")
        available = Figure("available", None, "unknown", "surplus_less_margin")
        shares = tuple(
            Figure(
                "share",
                None,
                "unknown",
                "pro_rata",
                _lender_label(case, analysis, o.loan_id, loan_id),
                this_loan=o.loan_id == loan_id,
            )
            for o in analysis.plan.offers
        )
    else:
        assert income.amount is not None and essential.amount is not None
        assert other.amount is not None
        left = to_fen(income.amount - essential.amount - other.amount)
        surplus = Figure("surplus", left, "derived", "income_less_spending")
        spare = budget.affordable_monthly if left > ZERO else ZERO
        if left > ZERO:
            margin = Figure("margin", to_fen(left - spare), "derived", "safety_margin")
        available = Figure("available", spare, "derived", "surplus_less_margin")
        shares = tuple(
            Figure(
                "share",
                o.share.monthly,
                "derived",
                "agreement" if o.mode == "keep" else "pro_rata",
                _lender_label(case, analysis, o.loan_id, loan_id),
                this_loan=o.loan_id == loan_id,
            )
            for o in analysis.plan.offers
        )
        rest = to_fen(spare - sum((s.amount or ZERO for s in shares), ZERO))
        if rest != ZERO:
            unallocated = Figure("unallocated", rest, "derived", "available_less_shares")
    return IncomeExpenditure(
        income=income,
        expected=expected,
        essential=essential,
        other_debts=other,
        surplus=surplus,
        margin=margin,
        available=available,
        shares=shares,
        unallocated=unallocated,
        margin_pct=f"{(budget.safety_margin * 100).normalize():f}",
        dependents=b.dependents,
        employment=b.employment.value,
    )


def _lender_label(case: Case, analysis: CaseAnalysis, other_id: str, loan_id: str) -> str | None:
    """The lender's name — except a private lender other than the addressee, who is not named
    to another lender (``None``: the template says "a private lender")."""
    loan = case.loans[loan_index(analysis, other_id)]
    if other_id != loan_id and loan.lender_type is LenderType.PRIVATE:
        return None
    return loan.lender_name
