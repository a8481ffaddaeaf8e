"""The ledger: one record per loan that every money figure is read from.

A :class:`LoanLedger` holds the repayment schedule, the balance the lender claims as of the case
date (by component), the balance recoverable at law under the lender's regime, the excess
between them and the rate at which recoverable charges now accrue.  Every figure is a
:class:`Figure` that says where it comes from (:class:`Provenance`).  docs/ledger.md documents
the methods with worked examples; the functions here are pure.

Lawful view (one principal basis: the amount actually received)
    ``charges claimed = repaid + claimed total − received`` (everything above the money
    received: contract interest including interest running after default, 罚息, 复利, 违约金,
    fees, and any 砍头息); ``allowed = received × cap × days since the contract / 365``
    (private lending: cap = min(contract rate, 4 × LPR at formation); licensed: 24 % on the
    total of charges); ``lawful charges = min(charges claimed, allowed)`` and ``lawful total =
    max(0, received + lawful charges − repaid)``.  The allowance runs on the whole amount
    received for the whole time, so when part has been repaid it is generous to the lender:
    the lawful total is then *at most* the figure and the excess *at least* the figure.  An
    excess below 1 yuan is reported as zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal, localcontext
from enum import StrEnum
from typing import Any

import attrs

from negotiator.basis.params import load_parameters
from negotiator.calc.rates import to_annual
from negotiator.calc.schedule import Row, RowStatus, Schedule, apply_payments, due_dates, generate
from negotiator.case.models import FeeKind, FeeTiming, Loan, Rate, RateUnit, RepaymentMethod
from negotiator.money import RATE_PLACES, ZERO, at_most_rate_places, format_amount, to_fen

__all__ = [
    "COMPOUND_NOT_STATED",
    "EXCESS_THRESHOLD",
    "Balance",
    "Bound",
    "Figure",
    "LoanLedger",
    "Offer",
    "Provenance",
    "build_ledger",
    "excess_over",
    "offer_for",
]

#: An excess below this (yuan) is rounding noise, never a finding.
EXCESS_THRESHOLD = load_parameters().decimal("excess_threshold")
_DAYS = 365
_DAMAGES = frozenset({FeeKind.LATE_FEE, FeeKind.PENALTY})
_CONTINGENT = frozenset({FeeKind.LATE_FEE, FeeKind.PENALTY, FeeKind.COLLECTION, FeeKind.PREPAYMENT})
#: The basis of the 复利 component when the contract charges it and no amount is stated: it is
#: unknown (never zero), and every total it belongs to is a lower bound.
COMPOUND_NOT_STATED = "charged, amount not stated"
#: A periodic late fee is charged once per complete period of this many days.
LATE_FEE_PERIOD_DAYS = load_parameters().integer("late_fee_period_days")


class Provenance(StrEnum):
    STATED = "stated"  # the borrower's documents (contract, statement, agreement)
    DERIVED = "derived"  # from stated terms by a named method
    ESTIMATED = "estimated"  # an assumption was needed (named in ``basis``)
    UNKNOWN = "unknown"


class Bound(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


_RANK = {Provenance.STATED: 0, Provenance.DERIVED: 1, Provenance.ESTIMATED: 2}


@attrs.frozen
class Figure:
    """One amount and where it comes from."""

    amount: Decimal | None
    provenance: Provenance
    basis: str
    bound: Bound | None = None

    @property
    def known(self) -> bool:
        return self.amount is not None

    @property
    def is_estimate(self) -> bool:
        return self.provenance is not Provenance.STATED and (
            self.provenance is not Provenance.DERIVED or self.bound is not None
        )

    def to_json(self) -> dict[str, Any]:
        # str() of a StrEnum member is its value (and much cheaper than ``.value``)
        return {
            "amount": None if self.amount is None else _amount_text(self.amount),
            "provenance": str(self.provenance),
            "basis": self.basis,
            "bound": None if self.bound is None else str(self.bound),
        }


def excess_over(amount: Decimal | None, limit: Decimal | None) -> Decimal:
    """How much ``amount`` is above ``limit``, to the fen; zero when either is unknown or the
    difference is below :data:`EXCESS_THRESHOLD` (rounding noise, never a finding)."""
    if amount is None or limit is None:
        return ZERO
    diff = amount - limit
    return to_fen(diff) if diff >= EXCESS_THRESHOLD else ZERO


def _amount_text(amount: Decimal) -> str:
    """``str(at_most_rate_places(amount))``, without rounding a figure that needs none."""
    text = str(amount)
    point = text.find(".")
    if "E" not in text and (point < 0 or len(text) - point - 1 <= RATE_PLACES):
        return text
    return str(at_most_rate_places(amount))


def stated(amount: Decimal, basis: str) -> Figure:
    return Figure(amount, Provenance.STATED, basis)


def derived(amount: Decimal, basis: str, bound: Bound | None = None) -> Figure:
    return Figure(amount, Provenance.DERIVED, basis, bound)


def estimated(amount: Decimal, basis: str, bound: Bound | None = None) -> Figure:
    return Figure(amount, Provenance.ESTIMATED, basis, bound)


def unknown(basis: str) -> Figure:
    return Figure(None, Provenance.UNKNOWN, basis)


def _weakest(figures: Sequence[Figure]) -> Provenance:
    worst = Provenance.STATED
    for f in figures:
        if f.provenance is Provenance.UNKNOWN:
            return Provenance.UNKNOWN
        if _RANK[f.provenance] > _RANK[worst]:
            worst = f.provenance
    return worst


COMPONENTS = ("principal", "interest", "penalty", "compound", "damages", "fees", "other")


@attrs.frozen
class Balance:
    """What is owed by component; the known components add up to ``total``."""

    principal: Figure
    interest: Figure  # contract interest, including interest running after default
    penalty: Figure  # 罚息 / 逾期利息
    compound: Figure  # 复利
    damages: Figure  # 违约金 / 滞纳金
    fees: Figure  # other fees
    other: Figure  # part of a stated total not itemised
    total: Figure

    def components(self) -> dict[str, Figure]:
        return {name: getattr(self, name) for name in COMPONENTS}

    def to_json(self) -> dict[str, Any]:
        out = {k: v.to_json() for k, v in self.components().items()}
        out["total"] = self.total.to_json()
        return out


def _sum_balance(parts: dict[str, Figure], basis: str, stated_total: Figure | None) -> Balance:
    """A balance whose total is the stated one, or the sum of its components."""
    if stated_total is not None:
        known = sum((f.amount for f in parts.values() if f.amount is not None), ZERO)
        rest = stated_total.amount - known if stated_total.amount is not None else None
        if rest is not None and rest >= 0 and "other" not in parts:
            parts["other"] = derived(rest, "total less itemised components")
        total = stated_total
    else:
        figs = list(parts.values())
        amount = sum((f.amount for f in figs if f.amount is not None), ZERO)
        prov = _weakest(figs)
        bound = None
        if prov is Provenance.UNKNOWN or any(f.bound is Bound.AT_LEAST for f in figs):
            prov, bound = (
                Provenance.ESTIMATED if prov is Provenance.UNKNOWN else prov,
                Bound.AT_LEAST,
            )
        total = Figure(to_fen(amount), prov, basis, bound)
    for name in COMPONENTS:
        if stated_total is not None:
            parts.setdefault(name, unknown("not itemised in the statement"))
        else:
            parts.setdefault(name, derived(ZERO, "none"))
    return Balance(total=total, **parts)


# ---------------------------------------------------------------------------------------------
# Offers
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class Offer:
    """Equal monthly payments in whole yuan and a last payment that completes the total."""

    monthly: Decimal
    count: int
    last: Decimal
    total: Decimal

    def text(self, lang: str = "zh-Hans") -> str:
        """The offer in words, amounts by the one money formatter (:func:`format_amount`)."""
        m, last = format_amount(self.monthly, lang), format_amount(self.last, lang)
        if lang == "en":
            if self.count == 1:
                return f"one payment of {last}"
            if self.last == self.monthly:
                return f"{m} a month for {self.count} months"
            return f"{m} a month for {self.count - 1} months, then {last}"
        if self.count == 1:
            return f"一次还{last}"
        if self.last == self.monthly:
            return f"每月{m}，共{self.count}期"
        return f"前{self.count - 1}期每月{m}、末期{last}"

    def to_json(self) -> dict[str, Any]:
        return {
            "monthly": str(self.monthly),
            "count": self.count,
            "last": str(self.last),
            "total": str(self.total),
            "text": self.text(),
            "text_en": self.text("en"),
        }


def offer_for(total: Decimal, monthly: Decimal) -> Offer | None:
    """Pay ``total`` in payments of ``monthly`` cut to whole yuan; None when that is zero.

    >>> offer_for(Decimal("9800"), Decimal("1000.85")).text()
    '前9期每月1,000.00元、末期800.00元'
    >>> offer_for(Decimal("21300"), Decimal("2130")).text()
    '每月2,130.00元，共10期'
    """
    whole = monthly.quantize(Decimal(1), rounding=ROUND_FLOOR)
    total = to_fen(total)
    if whole <= 0 or total <= 0:
        return None
    full, rest = divmod(total, whole)
    count = int(full)
    if rest == 0:
        return Offer(to_fen(whole), count, to_fen(whole), total)
    return Offer(to_fen(whole), count + 1, to_fen(rest), total)


# ---------------------------------------------------------------------------------------------
# The ledger
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class LoanLedger:
    loan_id: str
    as_of: dt.date
    schedule: Schedule | None
    repaid: Figure
    claimed: Balance
    lawful: Balance
    excess: Figure
    regime: str
    principal_basis: Figure
    cap_rate: Decimal | None
    accruing: Figure  # yearly fraction at which recoverable charges now accrue
    accruing_method: str

    def to_json(self) -> dict[str, Any]:
        sched = None
        if self.schedule is not None:
            s = self.schedule
            sched = {
                "method": s.method,
                "source": s.source,
                "paid_from": s.paid_from,
                "total": str(s.total),
                "paid": None if s.paid_total is None else str(s.paid_total),
                "remaining": None if s.remaining is None else str(s.remaining),
                "rows": [
                    {
                        "period": r.period,
                        "due": r.due.isoformat() if r.due else None,
                        "payment": str(r.payment),
                        "principal": str(r.principal),
                        "interest": str(r.interest),
                        "paid": None if r.paid is None else str(r.paid),
                        "status": str(r.status),
                    }
                    for r in s.rows
                ],
            }
        return {
            "loan": self.loan_id,
            "as_of": self.as_of.isoformat(),
            "regime": self.regime,
            "cap_rate": None if self.cap_rate is None else str(self.cap_rate),
            "principal_basis": self.principal_basis.to_json(),
            "repaid": self.repaid.to_json(),
            "claimed": self.claimed.to_json(),
            "lawful": self.lawful.to_json(),
            "excess": self.excess.to_json(),
            "accruing": self.accruing.to_json() | {"method": self.accruing_method},
            "schedule": sched,
        }


def yearly(rate: Rate | None) -> Decimal | None:
    return None if rate is None else to_annual(rate.value, rate.unit, rate.basis)


def _daily(rate: Rate) -> Decimal:
    if rate.unit is RateUnit.DAILY:
        return rate.value
    return to_annual(rate.value, rate.unit, rate.basis) / rate.basis


def overdue_daily(loan: Loan) -> tuple[Decimal | None, str]:
    """The daily rate charged on overdue principal, and which term it comes from."""
    base: Decimal | None = None
    how = "none"
    if loan.penalty_rate is not None:
        base, how = _daily(loan.penalty_rate), "penalty_rate"
    elif loan.penalty_multiple is not None and loan.rate is not None:
        base, how = _daily(loan.rate) * loan.penalty_multiple, "penalty_multiple"
    if base is not None and loan.penalty_adds and loan.rate is not None:
        return base + _daily(loan.rate), how + "+contract_rate"
    if base is None and loan.rate is not None:
        return _daily(loan.rate), "contract_rate_runs_on"
    return base, how


def received_of(loan: Loan) -> tuple[Decimal, bool]:
    """Money actually received, and whether it was stated."""
    if loan.received is not None:
        return loan.received, True
    upfront = sum(
        (f.amount * (f.periods or 1) for f in loan.fees if f.charged is FeeTiming.UPFRONT), ZERO
    )
    return max(ZERO, to_fen(loan.principal - upfront)), False


def _schedule(loan: Loan, as_of: dt.date) -> Schedule | None:
    rate = yearly(loan.rate)
    if rate is None and loan.interest_agreed is False:
        rate = ZERO
    if loan.schedule:
        gen: list[Row] | None = None
        method = loan.repayment_method or RepaymentMethod.EQUAL_INSTALMENT
        if rate is not None:
            gen = generate(loan.principal, rate, len(loan.schedule), method)
        rows = []
        split_ok = gen is not None and all(
            abs(g.payment - p.amount) <= 1 for g, p in zip(gen, loan.schedule, strict=True)
        )
        for k, p in enumerate(loan.schedule):
            if split_ok and gen is not None:
                g = gen[k]
                interest = min(g.interest, p.amount)
                rows.append(Row(k + 1, p.due, p.amount, p.amount - interest, interest))
            else:
                # Interest share unknown: the whole payment counts as principal (a bound).
                rows.append(Row(k + 1, p.due, p.amount, p.amount, ZERO))
        stated_paid = [p.paid_amount for p in loan.schedule]
        filled, how = apply_payments(
            rows,
            as_of,
            stated_paid=stated_paid,
            instalments_paid=loan.instalments_paid,
            repaid=loan.repaid,
            overdue_since=loan.overdue_since,
        )
        return Schedule("stated" if not split_ok else method.value, "stated", filled, how)
    if rate is None or loan.term_months is None or loan.principal <= 0:
        return None
    method = loan.repayment_method or RepaymentMethod.EQUAL_INSTALMENT
    dates = due_dates(loan.contract_date, loan.term_months) if loan.contract_date else None
    rows = generate(loan.principal, rate, loan.term_months, method, dates)
    filled, how = apply_payments(
        rows,
        as_of,
        instalments_paid=loan.instalments_paid,
        repaid=loan.repaid,
        overdue_since=loan.overdue_since,
    )
    source = "derived" if loan.repayment_method is not None else "assumed"
    return Schedule(method.value, source, filled, how)


def _unpaid_split(r: Row) -> tuple[Decimal, Decimal]:
    """Unpaid principal and interest of a row; a part payment goes to interest first."""
    paid = min(r.paid or ZERO, r.payment)
    to_interest = min(paid, r.interest)
    return r.principal - (paid - to_interest), r.interest - to_interest


def _claimed(
    loan: Loan, sched: Schedule | None, as_of: dt.date, overdue_days: int
) -> tuple[Balance, Figure]:
    """The lender's claim by component, and the total repaid."""
    # --- repaid -----------------------------------------------------------------------------
    if loan.repaid is not None:
        repaid = stated(loan.repaid, "loans.repaid")
    elif sched is not None and sched.paid_total is not None:
        prov = stated if sched.paid_from == "stated" else None
        repaid = (
            prov(sched.paid_total, "loans.schedule.paid")
            if prov
            else (
                derived(sched.paid_total, "instalments_paid × schedule")
                if sched.paid_from in ("instalments_paid", "repaid_in_order")
                else estimated(sched.paid_total, "instalments due before overdue_since paid")
            )
        )
    else:
        repaid = unknown("repaid not stated")

    # --- overdue charges (shared by both paths) ---------------------------------------------
    parts: dict[str, Figure] = {}
    if loan.penalty_interest is not None:
        parts["penalty"] = stated(loan.penalty_interest, "loans.penalty_interest")
    if loan.late_fees is not None:
        parts["damages"] = stated(loan.late_fees, "loans.late_fees")
    else:
        dmg = ZERO
        has = False
        for f in loan.fees:
            if f.kind in _DAMAGES:
                has = True
                if f.charged is FeeTiming.PERIODIC:
                    dmg += to_fen(f.amount * (overdue_days // LATE_FEE_PERIOD_DAYS))
                elif overdue_days > 0:
                    dmg += f.amount * (f.periods or 1)
        if has:
            parts["damages"] = derived(to_fen(dmg), "fee terms × overdue periods")
        elif overdue_days == 0:
            parts["damages"] = derived(ZERO, "not overdue")
        else:
            parts["damages"] = unknown("late fees not stated")
    coll = [f for f in loan.fees if f.kind is FeeKind.COLLECTION]
    if coll:
        parts["fees"] = stated(to_fen(sum((f.amount for f in coll), ZERO)), "loans.fees")
    if not loan.compound_interest:
        parts["compound"] = derived(ZERO, "no compounding in the contract")
    elif overdue_days == 0:
        parts["compound"] = derived(ZERO, "not overdue: no unpaid interest to compound")

    if loan.outstanding is not None:
        if loan.outstanding_principal is not None:
            parts["principal"] = stated(loan.outstanding_principal, "loans.outstanding_principal")
        if loan.outstanding_interest is not None:
            parts["interest"] = stated(loan.outstanding_interest, "loans.outstanding_interest")
        parts = {k: v for k, v in parts.items() if v.provenance is Provenance.STATED}
        known = sum((f.amount for f in parts.values() if f.amount is not None), ZERO)
        if known > loan.outstanding:
            # The itemised figures exceed the stated total: keep the total, itemise nothing.
            parts = {}
        if loan.compound_interest and overdue_days > 0:
            parts["compound"] = unknown(COMPOUND_NOT_STATED)
        total = stated(loan.outstanding, "loans.outstanding")
        return _sum_balance(parts, "loans.outstanding", total), repaid

    # --- from the schedule ------------------------------------------------------------------
    if sched is not None and sched.paid_total is not None:
        principal = ZERO
        interest = ZERO
        overdue_principal: list[tuple[Decimal, int]] = []
        for r in sched.rows:
            p_left, i_left = _unpaid_split(r)
            principal += p_left
            due_now = r.status is RowStatus.MISSED or (r.due is None and overdue_days > 0)
            if due_now:
                interest += i_left
                if r.due is not None:
                    overdue_principal.append((p_left, max(0, (as_of - r.due).days)))
        exact_split = sched.method != "stated"
        how = "remaining schedule" if sched.source == "stated" else f"schedule.{sched.method}"
        maker = (
            derived
            if sched.paid_from in ("stated", "instalments_paid", "repaid_in_order")
            else estimated
        )
        if sched.source == "assumed":
            maker = estimated
            how = f"assumed {sched.method} schedule from rate and term"
        parts["principal"] = (
            maker(principal, how) if exact_split else maker(principal, how, Bound.AT_MOST)
        )
        parts["interest"] = maker(interest, how + ": interest of instalments due")
        if "penalty" not in parts:
            daily, src = overdue_daily(loan)
            if overdue_days == 0:
                parts["penalty"] = derived(ZERO, "not overdue")
            elif daily is None:
                parts["penalty"] = unknown("no overdue or contract rate stated")
            else:
                if not overdue_principal and overdue_days > 0:
                    overdue_principal = [(principal, overdue_days)]
                pen = sum((p * daily * d for p, d in overdue_principal), ZERO)
                parts["penalty"] = estimated(
                    to_fen(pen), f"penalty.{src} on overdue principal since each due date"
                )
        if loan.compound_interest and "compound" not in parts:
            parts["compound"] = unknown(COMPOUND_NOT_STATED)
        return _sum_balance(parts, "sum of components", None), repaid

    # --- nothing but the principal and perhaps the amount repaid --------------------------
    if loan.repaid is not None:
        parts["principal"] = derived(
            max(ZERO, loan.principal - loan.repaid), "principal − repaid", Bound.AT_LEAST
        )
    else:
        parts["principal"] = estimated(loan.principal, "nothing repaid assumed", Bound.AT_MOST)
    parts.setdefault("interest", unknown("interest due not stated"))
    if "penalty" not in parts:
        parts["penalty"] = (
            derived(ZERO, "not overdue") if overdue_days == 0 else unknown("not stated")
        )
    if loan.compound_interest:
        parts.setdefault("compound", unknown(COMPOUND_NOT_STATED))
    return _sum_balance(parts, "sum of components", None), repaid


def _lawful(
    loan: Loan,
    claimed: Balance,
    repaid: Figure,
    received: Decimal,
    as_of: dt.date,
    regime: str,
    cap: Decimal | None,
    cap_upper: bool,
) -> tuple[Balance, Figure]:
    total = claimed.total
    if (
        cap is None
        or loan.contract_date is None
        or total.amount is None
        or as_of <= loan.contract_date
    ):
        why = "contract date not stated" if loan.contract_date is None else "no cap applies"
        zero_parts = {n: unknown(why) for n in COMPONENTS}
        return Balance(total=unknown(why), **zero_parts), unknown(why)
    paid = repaid.amount if repaid.amount is not None else ZERO
    days = (as_of - loan.contract_date).days
    rate = cap
    contract = yearly(loan.rate)
    if regime == "private" and contract is not None:
        rate = min(cap, contract)
    allowed = to_fen(received * rate * days / _DAYS)
    charges = max(ZERO, paid + total.amount - received)
    lawful_charges = min(charges, allowed)
    principal_left = max(ZERO, received - max(ZERO, paid - lawful_charges))
    charges_left = max(ZERO, lawful_charges - paid)
    lawful_total = min(total.amount, principal_left + charges_left)
    bound = None
    if paid > 0 or cap_upper or total.bound is not None or repaid.amount is None:
        bound = Bound.AT_MOST
    prov = (
        Provenance.DERIVED if total.provenance is not Provenance.ESTIMATED else Provenance.ESTIMATED
    )
    method = f"{regime} cap {rate} on amount received × days since contract / 365"
    parts = {
        "principal": Figure(
            principal_left, prov, "amount received less repaid above allowed charges"
        ),
        "interest": Figure(charges_left, prov, "all charges within the cap, in total"),
    }
    for n in ("penalty", "compound", "damages", "fees", "other"):
        parts[n] = derived(ZERO, "included in interest (capped in total)")
    lawful = Balance(total=Figure(to_fen(lawful_total), prov, method, bound), **parts)
    diff = total.amount - lawful_total
    if diff < EXCESS_THRESHOLD:
        diff = ZERO
    ex_bound = Bound.AT_LEAST if bound is Bound.AT_MOST and diff > 0 else None
    if total.bound is Bound.AT_LEAST:
        # Part of the claim is unknown (e.g. 复利 charged, amount not stated): the excess is
        # at least what the known part gives, zero included.
        ex_bound = Bound.AT_LEAST
    excess = Figure(to_fen(diff), prov, "claimed total − lawful total", ex_bound)
    return lawful, excess


def build_ledger(
    loan_id: str,
    loan: Loan,
    as_of: dt.date,
    *,
    regime: str,
    cap_rate: Decimal | None,
    cap_upper_bound: bool = False,
) -> LoanLedger:
    """The ledger of one loan as of ``as_of``; never raises on missing data."""
    overdue_days = max(0, (as_of - loan.overdue_since).days) if loan.overdue_since else 0
    sched = _schedule(loan, as_of)
    claimed, repaid = _claimed(loan, sched, as_of, overdue_days)
    received, received_stated = received_of(loan)
    basis = (
        stated(received, "loans.received")
        if received_stated
        else derived(received, "principal − fees charged up front")
    )
    lawful, excess = _lawful(
        loan, claimed, repaid, received, as_of, regime, cap_rate, cap_upper_bound
    )
    # --- what accrues from now on, recoverable at law ---------------------------------------
    daily, src = overdue_daily(loan)
    contract = yearly(loan.rate)
    running: Decimal | None
    if overdue_days > 0 and daily is not None:
        # Overdue charges accrue every calendar day: the daily rate × 365.
        running = daily * _DAYS
        method = f"overdue daily rate ({src}) × 365"
    else:
        running = contract
        method = "contract rate"
    if running is None:
        accruing = unknown("no rate stated")
    else:
        with localcontext() as ctx:
            ctx.prec = 28
            rate_now = running if cap_rate is None else min(running, cap_rate)
        if cap_rate is not None and running > cap_rate:
            method += f", capped at {cap_rate}"
        accruing = derived(rate_now, method)
    return LoanLedger(
        loan_id=loan_id,
        as_of=as_of,
        schedule=sched,
        repaid=repaid,
        claimed=claimed,
        lawful=lawful,
        excess=excess,
        regime=regime,
        principal_basis=basis,
        cap_rate=cap_rate,
        accruing=accruing,
        accruing_method=method,
    )
