"""Per-loan figures: what is owed, how overdue, the true cost, the cap and how far above it.

Everything here is computed by the calculators in :mod:`negotiator.calc`; nothing is judged.  The
fee, collection and complaint rules read these figures through the ``loan``, ``fee``,
``contact``, ``contact_day`` and ``complaint`` facts.  docs/fees.md explains each figure with a
worked example; the short version:

``received`` / ``upfront_deducted``
    Money the borrower actually got: ``Loan.received`` when given, otherwise the principal less
    every fee charged up front.  ``upfront_deducted = principal − received``.
``cost`` (:class:`~negotiator.calc.cost.AnnualisedCost`)
    IRR of the money received against every scheduled payment plus every non-contingent fee
    (PBoC 公告〔2021〕第3号).  Contingent charges (late fees, 违约金, collection, prepayment,
    anything charged only on default) are not part of the contract's cost; they are judged
    with the overdue charges.  A cost that cannot be computed leaves ``cost`` None and says why
    in ``cost_error``; it never raises.
``annual_cost``
    The yearly rate at which the loan costs the borrower now (compound fraction): the larger of
    the contract's compound cost and, for an overdue loan, the overdue cost (penalty daily rate
    over 365 days — compounded daily when the contract charges 复利 — plus recurring late fees
    spread over the outstanding principal).  ``annual_cost_basis`` says which one it is.
``cap``
    The regime's yearly cap (:mod:`negotiator.calc.caps`).  When the regime or the contract date
    is unknown the highest cap that could apply (24 %) is used and ``cap.upper_bound`` is True,
    so an excess reported against it is never overstated.
``excess_over_cap``
    Yuan above the cap: the larger of the schedule re-applied at the cap
    (:func:`~negotiator.calc.caps.recompute_at_cap`) and the lender's whole claim so far
    (repaid + outstanding − received) against the cap on the money received since the contract
    date (an allowance that can only be too generous, so the excess is a lower bound).
``overdue_*``
    Overdue interest + 违约金 + other default charges for the overdue days against the cap on the
    outstanding principal (民间借贷规定 art. 29; 法发〔2017〕22号 art. 2).

Unknown input gives ``None`` (never zero); rules test ``exists`` / ``missing`` explicitly.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any

import attrs

from ..basis.params import Parameters, load_parameters
from ..calc import caps as capcalc
from ..calc.consequences import STANDARD_HORIZONS, standard_projections
from ..calc.cost import (
    AnnualisedCost,
    annualised_cost_dated,
    annualised_cost_periodic,
)
from ..calc.ledger import (
    EXCESS_THRESHOLD,
    LATE_FEE_PERIOD_DAYS,
    LoanLedger,
    build_ledger,
    overdue_daily,
)
from ..calc.rates import format_percent, from_annual, to_annual
from ..calc.upfront import UpfrontResult, upfront_deduction
from ..case.models import (
    Case,
    CollectionContact,
    Conduct,
    ContactChannel,
    ContactTarget,
    Fee,
    FeeKind,
    FeeTiming,
    LenderType,
    Loan,
    Rate,
    RateUnit,
    RepaymentMethod,
)
from ..errors import CalculationError, InputError
from ..money import ZERO, to_fen

__all__ = [
    "CONTINGENT_KINDS",
    "MONEY_CEILING",
    "ZHUDAI_EFFECTIVE",
    "CapFigures",
    "ContactDay",
    "ContactFigures",
    "FeeFigures",
    "LoanAnalysis",
    "analyse_loan",
    "analyse_loans",
    "annual_rate",
    "daily_rate",
]

#: Fees owed only on default or on an event (not part of the contract's cost of credit).
CONTINGENT_KINDS = frozenset(
    {FeeKind.LATE_FEE, FeeKind.PENALTY, FeeKind.COLLECTION, FeeKind.PREPAYMENT}
)
#: Fixed-sum damages for late payment (违约金 / 滞纳金).
DAMAGES_KINDS = frozenset({FeeKind.LATE_FEE, FeeKind.PENALTY})
#: Fees the 助贷 notice bars a platform from collecting (platform fees; 咨询费/顾问费 labels).
PLATFORM_KINDS = frozenset({FeeKind.PLATFORM, FeeKind.CONSULTING})
#: 金规〔2025〕9号 takes effect for bank loans via platforms made on or after this date.
_P = load_parameters()
ZHUDAI_EFFECTIVE = _P.date("zhudai_effective")
#: Quiet hours (国家标准《…贷后催收风控指引》, 2025): no collection from 22:00 to 08:00.
QUIET_FROM_HOUR = _P.integer("collection_quiet_from_hour")
QUIET_UNTIL_HOUR = _P.integer("collection_quiet_until_hour")
#: 21:00–22:00 is flagged as possibly restricted (older industry wording, UNVERIFIED).
LATE_EVENING_HOUR = _P.integer("collection_late_evening_hour")
#: The national collection standard's daily limit on effective calls.
CALLS_PER_DAY_MAX = _P.integer("collection_calls_per_day_max")
#: Channels whose time of contact intrudes (a letter or e-mail is read when the reader wants).
INTRUSIVE_CHANNELS = frozenset(
    {
        ContactChannel.PHONE,
        ContactChannel.SMS,
        ContactChannel.INSTANT_MESSAGE,
        ContactChannel.APP,
        ContactChannel.VISIT,
        ContactChannel.OTHER,
    }
)
THREAT_CONDUCT = frozenset(
    {
        Conduct.THREAT,
        Conduct.VIOLENCE,
        Conduct.CONFINEMENT,
        Conduct.HOME_INTRUSION,
        Conduct.STALKING,
    }
)
ABUSIVE_CONDUCT = frozenset(
    {Conduct.INSULT, Conduct.IMPERSONATING_AUTHORITY, Conduct.FAKE_LEGAL_DOCUMENT}
)
_DAYS_PER_YEAR = 365
_WORK_PREC = 60
#: Amounts beyond this (absurd inputs compounding for years) are reported as this figure.
MONEY_CEILING = Decimal("1000000000000.00")


def _noise_free(amount: Decimal) -> Decimal:
    """An excess below :data:`~negotiator.calc.ledger.EXCESS_THRESHOLD` (1 yuan) is zero."""
    return ZERO if amount < EXCESS_THRESHOLD else amount


def _fen_or_ceiling(amount: Decimal) -> Decimal:
    """``to_fen(amount)``, but never above :data:`MONEY_CEILING` (a lower bound then)."""
    return MONEY_CEILING if amount > MONEY_CEILING else to_fen(amount)


def annual_rate(rate: Rate | None) -> Decimal | None:
    """A contract rate as a simple yearly fraction, by the contract's own day-count basis."""
    if rate is None:
        return None
    return to_annual(rate.value, rate.unit, rate.basis)


def daily_rate(rate: Rate | None) -> Decimal | None:
    """A contract rate as a daily fraction, by the contract's own day-count basis."""
    if rate is None:
        return None
    if rate.unit is RateUnit.DAILY:
        return rate.value
    return from_annual(to_annual(rate.value, rate.unit, rate.basis), RateUnit.DAILY, rate.basis)


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------


@attrs.frozen
class CapFigures:
    """The cap that applies to a loan and where it comes from."""

    regime: str  # "private", "licensed" or "unknown"
    rate: Decimal | None  # yearly fraction; None when no cap can be named
    #: The cap is the highest that could apply (lender type or contract date unknown).
    upper_bound: bool
    reducible_on_request: bool
    basis: str
    note: str | None = None
    lpr_rate: Decimal | None = None
    lpr_from: dt.date | None = None  # the LPR entry's effective date
    lpr_on: dt.date | None = None  # the date the LPR was looked up for
    lpr_after_last_verified: bool = False
    calc_cap: capcalc.Cap | None = None

    def to_figures(self) -> dict[str, Any]:
        return {
            "regime": self.regime,
            "rate": self.rate,
            "rate_percent": format_percent(self.rate) if self.rate is not None else None,
            "upper_bound": self.upper_bound,
            "reducible_on_request": self.reducible_on_request,
            "basis": self.basis,
            "note": self.note,
            "lpr_rate": self.lpr_rate,
            "lpr_from": self.lpr_from,
            "lpr_on": self.lpr_on,
        }


@attrs.frozen
class FeeFigures:
    index: int
    fee: Fee
    #: Times the fee is charged (periods for a periodic fee, 1 otherwise).
    count: int
    total: Decimal  # amount × count
    contingent: bool  # owed only on default or on an event
    disclosure: str  # "yes", "no" or "unknown"
    #: Collected by the platform (kind platform / consulting, or the payee is the platform).
    to_platform: bool


@attrs.frozen
class ContactFigures:
    index: int
    contact: CollectionContact
    quiet_hours: bool  # 22:00–08:00 on an intrusive channel
    late_evening: bool  # 21:00–22:00 on an intrusive channel
    third_party: bool  # someone other than the borrower was contacted
    threats: tuple[str, ...]  # threat / violence / confinement / intrusion / stalking
    abusive: tuple[str, ...]  # insult / impersonating authority / fake legal documents


@attrs.frozen
class ContactDay:
    """What one lender's collectors did on one calendar day."""

    day: dt.date
    calls: int  # effective phone calls to the borrower
    contacts: int  # contact records of any kind
    quiet_contacts: int


@attrs.frozen
class LoanAnalysis:
    id: str
    loan: Loan
    overdue_days: int
    owed: Decimal  # best known figure of what the lender claims now
    #: "private", "licensed" or "unknown" (see negotiator.calc.caps)
    regime: str = "unknown"
    #: The yearly rate the loan costs now, as a compound fraction (module docs; docs/fees.md).
    annual_cost: Decimal | None = None
    #: Penalty (overdue) interest per day as a fraction, if the contract states one.
    overdue_daily_rate: Decimal | None = None
    #: Extra charges if nothing is paid for N more days (N = 30, 90, 180), from the loan's terms.
    projected_extra: Mapping[int, Decimal] = attrs.field(factory=dict)

    # --- rates --------------------------------------------------------------------------------
    nominal_rate: Decimal | None = None  # contract rate, simple yearly
    charged_rate: Decimal | None = None  # rate the statement charges, simple yearly
    rate_increase: Decimal | None = None  # charged − contract, when both are known (≥ 0)
    penalty_rate: Decimal | None = None  # overdue rate, simple yearly
    #: "contract" or "overdue": which cost ``annual_cost`` is.
    annual_cost_basis: str | None = None
    overdue_annual_cost: Decimal | None = None
    # --- money received -----------------------------------------------------------------------
    received: Decimal = ZERO
    upfront_deducted: Decimal = ZERO
    upfront_fees: Decimal = ZERO  # fees charged up front (part of the deduction)
    upfront: UpfrontResult | None = None
    # --- true cost ----------------------------------------------------------------------------
    cost: AnnualisedCost | None = None
    #: "periodic" (PBoC per-period IRR), "dated_irregular" (irregular due dates: a daily IRR)
    #: or "assumed_level" (no schedule and no method stated: 等额本息 assumed).
    cost_method: str | None = None
    cost_error: str | None = None
    # --- caps ---------------------------------------------------------------------------------
    cap: CapFigures | None = None
    cap_base: Decimal = ZERO  # outstanding principal the caps are applied to
    rate_tested: Decimal | None = None  # the higher of contract and charged rate
    rate_excess_per_year: Decimal | None = None
    contract_recompute: capcalc.Recomputation | None = None
    claim_charges: Decimal | None = None
    claim_allowed: Decimal | None = None
    claim_excess: Decimal | None = None
    claim_days: int | None = None
    excess_over_cap: Decimal | None = None
    # --- overdue charges ----------------------------------------------------------------------
    penalty_interest: Decimal | None = None  # accrued, or estimated from the contract's rate
    penalty_interest_estimated: bool = False
    default_damages: Decimal = ZERO  # 违约金 / late fees accrued
    other_overdue_fees: Decimal = ZERO
    overdue_charges: Decimal | None = None
    overdue_allowed: Decimal | None = None
    overdue_excess: Decimal | None = None
    penalty_excess_per_year: Decimal | None = None
    penalty_interest_charged: bool = False
    loss_estimate: Decimal | None = None
    compound_charged: Decimal | None = None
    compound_allowed: Decimal | None = None
    compound_excess: Decimal | None = None
    #: The contract charges 复利 but the case states no amount of it: the overdue charges
    #: compared with the cap leave it out, so they and their excess are lower bounds.
    compound_unknown: bool = False
    # --- interest without agreement -----------------------------------------------------------
    interest_charged: bool = False
    # --- fees, contacts, projections ----------------------------------------------------------
    fees: tuple[FeeFigures, ...] = ()
    undisclosed_total: Decimal = ZERO
    contacts: tuple[ContactFigures, ...] = ()
    days: tuple[ContactDay, ...] = ()
    projection_base: Decimal = ZERO
    projection_base_estimated: bool = False
    projection_rate_source: str | None = None  # "penalty_rate" or "contract_rate"
    zhudai_rule_applies: bool = False
    repaid_total: Decimal | None = None
    #: The loan's ledger: schedule, claimed and lawful balance with provenance (docs/ledger.md).
    ledger: LoanLedger | None = None

    # --- issues for the complaint routing -----------------------------------------------------

    def charge_issues(self) -> tuple[str, ...]:
        """Names of the charge problems the figures show (the fee rules' own conditions)."""
        out: list[str] = []
        if self.upfront_deducted > 0:
            out.append("upfront_deduction")
        if (self.rate_excess_per_year or ZERO) > 0 or (self.excess_over_cap or ZERO) > 0:
            out.append("above_cap")
        if (self.overdue_excess or ZERO) > 0:
            out.append("overdue_above_cap")
        if (self.compound_excess or ZERO) > 0:
            out.append("compounding")
        if (self.rate_increase or ZERO) > 0:
            out.append("rate_raised")
        if self.undisclosed_total > 0:
            out.append("undisclosed_fee")
        if any(
            f.fee.kind is FeeKind.COLLECTION and f.disclosure != "yes" and f.total > 0
            for f in self.fees
        ) or any(Conduct.COLLECTION_FEE_DEMANDED in c.contact.conduct for c in self.contacts):
            out.append("collection_fee")
        if self.zhudai_rule_applies and any(f.to_platform and f.total > 0 for f in self.fees):
            out.append("platform_fee")
        if self.loan.interest_agreed is False and self.interest_charged:
            out.append("interest_not_agreed")
        return tuple(out)

    def collection_issues(self) -> tuple[str, ...]:
        out: list[str] = []
        if any(c.quiet_hours for c in self.contacts):
            out.append("quiet_hours")
        if any(d.calls > CALLS_PER_DAY_MAX for d in self.days):
            out.append("excessive_calls")
        if any(c.third_party or Conduct.DISCLOSED_DEBT in c.contact.conduct for c in self.contacts):
            out.append("third_party")
        if any(c.abusive for c in self.contacts):
            out.append("abusive")
        if any(c.threats for c in self.contacts):
            out.append("threats")
        return tuple(out)

    def threatened(self) -> bool:
        return any(c.threats for c in self.contacts)

    def debt_above_cap(self) -> bool:
        """Part of the debt looks unlawful, not merely reducible on request.

        True when a private (or unidentified) lender charges above the cap, or interest is
        charged without an interest clause.  A licensed lender's charges above 24 % are only
        reducible on the borrower's request, so they do not count here.
        """
        issues = set(self.charge_issues())
        if "interest_not_agreed" in issues:
            return True
        above = {"above_cap", "overdue_above_cap", "compounding"} & issues
        return bool(above) and self.regime != "licensed"

    def to_figures(self) -> dict[str, Any]:
        cost = self.cost
        return {
            "id": self.id,
            "lender_name": self.loan.lender_name,
            "lender_type": self.loan.lender_type.value,
            "regime": self.regime,
            "overdue_days": self.overdue_days,
            "owed": self.owed,
            "annual_cost": self.annual_cost,
            "annual_cost_percent": _pct(self.annual_cost),
            "annual_cost_basis": self.annual_cost_basis,
            "projected_extra": {str(k): v for k, v in self.projected_extra.items()},
            "overdue_daily_rate": self.overdue_daily_rate,
            "nominal_rate_percent": _pct(self.nominal_rate),
            "charged_rate_percent": _pct(self.charged_rate),
            "penalty_rate_percent": _pct(self.penalty_rate),
            "received": self.received,
            "upfront_deducted": self.upfront_deducted,
            "cost_simple_percent": _pct(cost.simple) if cost else None,
            "cost_compound_percent": _pct(cost.compound) if cost else None,
            "cost_method": self.cost_method,
            "cost_error": self.cost_error,
            "cap": self.cap.to_figures() if self.cap else None,
            "excess_over_cap": self.excess_over_cap,
            "rate_excess_per_year": self.rate_excess_per_year,
            "overdue_charges": self.overdue_charges,
            "overdue_allowed": self.overdue_allowed,
            "overdue_excess": self.overdue_excess,
            "undisclosed_total": self.undisclosed_total,
            "charge_issues": list(self.charge_issues()),
            "collection_issues": list(self.collection_issues()),
            "ledger": self.ledger.to_json() if self.ledger else None,
        }


def _pct(rate: Decimal | None) -> str | None:
    return format_percent(rate) if rate is not None else None


# ---------------------------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------------------------


def analyse_loans(
    case: Case, ids: tuple[str, ...], as_of: dt.date, params: Parameters
) -> tuple[LoanAnalysis, ...]:
    return tuple(
        analyse_loan(loan_id, loan, as_of) for loan_id, loan in zip(ids, case.loans, strict=True)
    )


def _owed(loan: Loan, ledger: LoanLedger) -> Decimal:
    """What the lender claims now: the ledger's claimed total (see docs/ledger.md)."""
    total = ledger.claimed.total.amount
    if total is not None:
        return total
    return max(ZERO, loan.principal - (loan.repaid or ZERO))


def _projection_base(loan: Loan, repaid_total: Decimal | None) -> tuple[Decimal, bool]:
    """Principal the lender charges overdue interest on, and whether it is an estimate.

    The lender's outstanding principal when given; otherwise the contract principal less
    everything repaid (a lower bound, since repayments also paid interest).
    """
    if loan.outstanding_principal is not None:
        return loan.outstanding_principal, False
    return max(ZERO, loan.principal - (repaid_total or ZERO)), True


def _repaid_total(loan: Loan) -> Decimal | None:
    if loan.repaid is not None:
        return loan.repaid
    paid = [x for x in (p.paid_amount for p in loan.schedule) if x is not None]
    return sum(paid, ZERO) if paid else None


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _instalments(loan: Loan) -> int | None:
    if loan.schedule:
        return len(loan.schedule)
    return loan.term_months


def _fee_figures(loan: Loan) -> tuple[FeeFigures, ...]:
    n = _instalments(loan)
    platform = (loan.platform or "").strip().casefold()
    lender = loan.lender_name.strip().casefold()
    out = []
    for i, fee in enumerate(loan.fees):
        # A periodic fee runs for its own number of periods, else for every instalment.
        count = fee.periods or ((n or 1) if fee.charged is FeeTiming.PERIODIC else 1)
        payee = (fee.payee or "").strip().casefold()
        to_platform = fee.kind in PLATFORM_KINDS or bool(
            payee and platform and payee == platform and payee != lender
        )
        out.append(
            FeeFigures(
                index=i,
                fee=fee,
                count=count,
                total=to_fen(fee.amount * count),
                contingent=fee.kind in CONTINGENT_KINDS or fee.charged is FeeTiming.ON_OVERDUE,
                disclosure=_yes_no(fee.disclosed),
                to_platform=to_platform,
            )
        )
    return tuple(out)


def _cap(loan: Loan) -> CapFigures:
    regime = capcalc.regime_for(loan.lender_type).value
    upper_note = (
        "The highest cap that could apply is used (24 % a year), so any excess shown is at least "
        "what lies above the real cap."
    )
    if regime == "unknown":
        return CapFigures(
            regime=regime,
            rate=capcalc.LICENSED_TOTAL_CAP,
            upper_bound=True,
            reducible_on_request=False,
            basis=(
                "The lender's type does not settle which cap applies: 4×LPR if it is private "
                "lending, 24 % if it is a licensed institution. " + upper_note
            ),
            note="Check who the lender (贷款人) in the contract is and whether it is licensed.",
        )
    if regime == "private" and loan.contract_date is None:
        return CapFigures(
            regime=regime,
            rate=capcalc.PRE_TRANSITION_CAP,
            upper_bound=True,
            reducible_on_request=False,
            basis=(
                "Private lending: 4×LPR at contract formation, but the contract date is not "
                "given. " + upper_note
            ),
            note="Give the contract date to compute the cap from the LPR of that date.",
        )
    day = loan.contract_date or dt.date(2021, 1, 1)  # the licensed cap does not depend on it
    cap = capcalc.cap_for_lender(loan.lender_type, day)
    lpr = cap.lpr
    return CapFigures(
        regime=regime,
        rate=cap.annual_rate,
        # The transitional 24 % is the higher of the two figures art. 31 allows.
        upper_bound=cap.pre_transition_rate is not None,
        reducible_on_request=cap.reducible_on_request,
        basis=cap.basis,
        note=cap.note,
        lpr_rate=lpr.rate if lpr else None,
        lpr_from=lpr.entry.effective_from if lpr else None,
        lpr_on=lpr.on if lpr else None,
        lpr_after_last_verified=bool(lpr and lpr.after_last_verified),
        calc_cap=cap,
    )


def _calc_cap(cap: CapFigures) -> capcalc.Cap | None:
    if cap.rate is None:
        return None
    if cap.calc_cap is not None:
        return cap.calc_cap
    return capcalc.Cap(
        regime=capcalc.Regime(cap.regime),
        annual_rate=cap.rate,
        basis=cap.basis,
        citations=(),
        note=cap.note,
    )


@attrs.frozen
class _Flows:
    method: str
    payments: tuple[tuple[int, Decimal], ...]
    units_per_year: int
    #: Months a single period spans when the contract has one payment (一次还本付息).
    single_period_months: int | None = None


def _whole_months(start: dt.date | None, due: dt.date) -> int | None:
    """Whole calendar months from ``start`` to ``due`` (same day of month), else None."""
    if start is None or due.day != start.day or due <= start:
        return None
    return (due.year - start.year) * 12 + due.month - start.month


def _regular(start: dt.date | None, dues: Sequence[dt.date]) -> bool:
    """Dues fall one calendar month apart (the first a month after the contract, when known)."""
    chain = ([start] if start is not None else []) + list(dues)
    for a, b in itertools.pairwise(chain):
        months = (b.year - a.year) * 12 + b.month - a.month
        if months != 1 or not (b.day == a.day or abs(b.day - a.day) <= 3):
            return False
    return True


def _flows(
    loan: Loan, fees: Sequence[FeeFigures], nominal: Decimal | None, ledger: LoanLedger
) -> _Flows | str:
    """The contract's payments (with every non-contingent fee) or the reason there are none.

    PBoC 公告〔2021〕第3号: the per-period IRR, annualised by the number of periods in a year.
    Dated cash flows (an IRR per day) are used only when the stated due dates are irregular.
    """
    periodic = [f for f in fees if not f.contingent and f.fee.charged is FeeTiming.PERIODIC]
    one_off = [f for f in fees if not f.contingent and f.fee.charged is FeeTiming.ONE_OFF]
    sched = ledger.schedule
    single: int | None = None
    if loan.schedule:
        amounts = [p.amount for p in loan.schedule]
        dues = [p.due for p in loan.schedule]
        method = "periodic"
        months = _whole_months(loan.contract_date, dues[0]) if len(dues) == 1 else None
        if months is not None:
            single = months  # one payment after whole months: one period (一次还本付息)
        elif (
            loan.contract_date is not None
            and all(d > loan.contract_date for d in dues)
            and not _regular(loan.contract_date, dues)
        ):
            method = "dated_irregular"
    elif sched is not None:
        if loan.principal <= 0:
            return "the contract principal is zero"
        amounts = [r.payment for r in sched.rows]
        dues = []
        method = "periodic" if sched.source == "derived" else "assumed_level"
        if sched.method == RepaymentMethod.BULLET.value and not periodic:
            single = len(amounts)
            amounts = [amounts[-1]]
    else:
        return (
            "no repayment schedule, and the contract rate or the term is missing, so the "
            "payments are not known"
        )
    out = list(amounts)
    for f in periodic:
        for k in range(min(f.count, len(out))):
            out[k] += f.fee.amount
    if out:
        out[0] += sum((f.total for f in one_off), ZERO)
    if method == "dated_irregular":
        assert loan.contract_date is not None
        start = loan.contract_date
        times = [(d - start).days for d in dues]
        return _Flows(method, tuple(zip(times, out, strict=True)), _DAYS_PER_YEAR)
    if single is not None:
        return _Flows(method, ((single, out[0]),), 12, single)
    return _Flows(method, tuple((k + 1, a) for k, a in enumerate(out)), 12)


def _cost(received: Decimal, flows: _Flows, contract_date: dt.date | None) -> AnnualisedCost:
    if flows.method == "dated_irregular":
        assert contract_date is not None
        dated = [(contract_date + dt.timedelta(days=t), a) for t, a in flows.payments]
        return annualised_cost_dated(contract_date, received, dated)
    if flows.single_period_months is not None:
        # One payment after n months: the IRR of that one period, × 12/n a year (单利).
        if received <= 0:
            raise CalculationError("nothing was received, so no cost can be computed")
        if flows.payments[0][1] <= 0:
            raise CalculationError("the scheduled payment is zero, so no cost can be computed")
        n = flows.single_period_months
        with localcontext() as ctx:
            ctx.prec = _WORK_PREC
            irr = flows.payments[0][1] / received - 1
            simple = irr * 12 / n
            compound = (1 + irr) ** (Decimal(12) / n) - 1 if irr > -1 else Decimal(-1)
        return AnnualisedCost(
            periodic_rate=+irr, periods_per_year=max(1, 12 // n), simple=+simple, compound=+compound
        )
    return annualised_cost_periodic(received, [a for _, a in flows.payments])


def _contacts(loan: Loan) -> tuple[tuple[ContactFigures, ...], tuple[ContactDay, ...]]:
    figures = []
    by_day: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for i, c in enumerate(loan.collection_contacts):
        hour = c.at.hour
        intrusive = c.channel in INTRUSIVE_CHANNELS
        quiet = intrusive and (hour >= QUIET_FROM_HOUR or hour < QUIET_UNTIL_HOUR)
        late = intrusive and LATE_EVENING_HOUR <= hour < QUIET_FROM_HOUR
        figures.append(
            ContactFigures(
                index=i,
                contact=c,
                quiet_hours=quiet,
                late_evening=late,
                third_party=c.target is not ContactTarget.BORROWER,
                threats=tuple(x.value for x in c.conduct if x in THREAT_CONDUCT),
                abusive=tuple(x.value for x in c.conduct if x in ABUSIVE_CONDUCT),
            )
        )
        row = by_day[c.at.date()]
        if c.channel is ContactChannel.PHONE and c.target is ContactTarget.BORROWER:
            row[0] += c.calls
        row[1] += 1
        row[2] += int(quiet)
    days = tuple(
        ContactDay(day=d, calls=r[0], contacts=r[1], quiet_contacts=r[2])
        for d, r in sorted(by_day.items())
    )
    return tuple(figures), days


def analyse_loan(loan_id: str, loan: Loan, as_of: dt.date) -> LoanAnalysis:
    """Every figure for one loan; never raises on missing data (unknown stays None)."""
    overdue = max(0, (as_of - loan.overdue_since).days) if loan.overdue_since else 0
    fees = _fee_figures(loan)
    nominal = annual_rate(loan.rate)
    charged = annual_rate(loan.charged_rate)
    penalty = annual_rate(loan.penalty_rate)
    penalty_daily = daily_rate(loan.penalty_rate)
    repaid_total = _repaid_total(loan)

    # --- money received and 砍头息 ------------------------------------------------------------
    upfront_fees = sum((f.total for f in fees if f.fee.charged is FeeTiming.UPFRONT), ZERO)
    if loan.received is not None:
        received = loan.received
    else:
        received = max(ZERO, loan.principal - upfront_fees)
    deducted = loan.principal - received

    # --- cap ----------------------------------------------------------------------------------
    cap = _cap(loan)
    calc_cap = _calc_cap(cap)

    # Interest recognised on the money received runs at the contract rate, never above the cap.
    upfront: UpfrontResult | None = None
    if deducted > 0 and received > 0 and loan.term_months and nominal is not None:
        recognised_rate = nominal if cap.rate is None else min(nominal, cap.rate)
        upfront = upfront_deduction(
            loan.principal,
            received,
            nominal,
            months=loan.term_months,
            recognised_rate=recognised_rate,
        )

    # --- true cost from cash flows ------------------------------------------------------------
    cost: AnnualisedCost | None = None
    cost_error: str | None = None
    recompute: capcalc.Recomputation | None = None
    ledger = build_ledger(
        loan_id, loan, as_of, regime=cap.regime, cap_rate=cap.rate, cap_upper_bound=cap.upper_bound
    )
    flows = _flows(loan, fees, nominal, ledger)
    method: str | None = None
    if isinstance(flows, str):
        cost_error = flows
    else:
        method = flows.method
        try:
            cost = _cost(received, flows, loan.contract_date)
        except (CalculationError, InputError) as exc:
            cost_error = str(exc)
        if cap.rate is not None:
            recompute = capcalc.recompute_at_cap(
                received, flows.payments, cap.rate, flows.units_per_year
            )

    # --- rate against the cap -----------------------------------------------------------------
    known_rates = [r for r in (nominal, charged) if r is not None]
    rate_tested = max(known_rates) if known_rates else None
    rate_excess: Decimal | None = None
    if rate_tested is not None and cap.rate is not None:
        rate_excess = to_fen(received * max(ZERO, rate_tested - cap.rate))
    rate_increase = None
    if charged is not None and nominal is not None:
        rate_increase = max(ZERO, charged - nominal)

    # --- the lender's whole claim against the cap ---------------------------------------------
    claim_charges = claim_allowed = claim_excess = None
    claim_days: int | None = None
    if (
        loan.outstanding is not None
        and loan.contract_date is not None
        and cap.rate is not None
        and as_of > loan.contract_date
    ):
        claim_days = (as_of - loan.contract_date).days
        claim_charges = max(ZERO, (repaid_total or ZERO) + loan.outstanding - received)
        claim_allowed = to_fen(received * cap.rate * claim_days / _DAYS_PER_YEAR)
        claim_excess = _noise_free(max(ZERO, claim_charges - claim_allowed))
    # The lender's claim is the figure to test when it is known; the contract's schedule
    # re-applied at the cap is used only when no claim is stated.
    contract_excess = recompute.excess if recompute else None
    if claim_excess is not None:
        excess_over_cap: Decimal | None = claim_excess
    elif contract_excess is not None:
        excess_over_cap = _noise_free(contract_excess)
    else:
        excess_over_cap = None

    # --- overdue charges ----------------------------------------------------------------------
    damages_fees = [f for f in fees if f.fee.kind in DAMAGES_KINDS]
    if loan.late_fees is not None:
        damages = loan.late_fees
    else:
        damages = ZERO
        for f in damages_fees:
            if f.fee.charged is FeeTiming.PERIODIC:
                damages += to_fen(f.fee.amount * (overdue // LATE_FEE_PERIOD_DAYS))
            elif overdue > 0:
                damages += f.total
    other_overdue = sum(
        (
            f.total
            for f in fees
            if f.contingent
            and f.fee.kind not in DAMAGES_KINDS
            and f.fee.kind is not FeeKind.PREPAYMENT
        ),
        ZERO,
    )
    # Overdue interest: as accrued, or what the contract's overdue rate gives on the lender's
    # principal for the overdue days (penalty rate — or a multiple of the contract rate, on top
    # of it when the contract says so — else the contract rate runs on).  The estimate and the
    # cap's allowance are computed on one principal basis: the outstanding principal, never
    # more than the money received.
    base, estimated = _projection_base(loan, repaid_total)
    led_daily, _led_source = overdue_daily(loan)
    proj_daily: Decimal | None
    source: str | None
    if penalty_daily is not None or loan.penalty_multiple is not None:
        proj_daily, source = led_daily, "penalty_rate"
    elif loan.rate is not None:
        proj_daily, source = daily_rate(loan.rate), "contract_rate"
    else:
        proj_daily, source = None, None
    if penalty is None and loan.penalty_multiple is not None and nominal is not None:
        penalty = nominal * loan.penalty_multiple + (nominal if loan.penalty_adds else ZERO)
    elif penalty is not None and loan.penalty_adds and nominal is not None:
        penalty = penalty + nominal
    cap_base = min(base, received)
    penalty_accrued = loan.penalty_interest
    penalty_estimated = False
    if penalty_accrued is None and overdue > 0 and proj_daily is not None:
        penalty_accrued = to_fen(cap_base * proj_daily * overdue)
        penalty_estimated = True
    # Contract interest that keeps running after default counts towards the same total cap
    # (法发〔2017〕22号 art. 2); when a stated 罚息 is charged on top of it, add it (estimated).
    running_interest = ZERO
    if (
        loan.penalty_adds
        and loan.penalty_interest is not None
        and overdue > 0
        and loan.rate is not None
    ):
        running_interest = to_fen(cap_base * (daily_rate(loan.rate) or ZERO) * overdue)
        penalty_estimated = True
    overdue_charges = overdue_allowed = overdue_excess = None
    if overdue > 0 and calc_cap is not None:
        check = capcalc.combined_overdue_cap(
            calc_cap,
            cap_base,
            overdue,
            overdue_interest=(penalty_accrued or ZERO) + running_interest,
            liquidated_damages=damages,
            fees=other_overdue,
        )
        overdue_charges, overdue_allowed, overdue_excess = (
            check.total_charged,
            check.allowed,
            None if check.excess is None else _noise_free(check.excess),
        )
    penalty_excess: Decimal | None = None
    if penalty is not None and cap.rate is not None:
        penalty_excess = to_fen(cap_base * max(ZERO, penalty - cap.rate))
    penalty_charged = (loan.penalty_interest or ZERO) > 0 or (
        penalty_daily is not None and penalty_daily > 0 and overdue > 0
    )
    loss_estimate: Decimal | None = None
    if nominal is not None and overdue > 0:
        loss_estimate = to_fen(cap_base * nominal * overdue / _DAYS_PER_YEAR)

    # --- compounding (规定 art. 27) ------------------------------------------------------------
    compound_charged = compound_allowed = compound_excess = None
    if loan.compound_interest and cap.rate is not None:
        d = penalty_daily if penalty_daily is not None else daily_rate(loan.rate)
        with localcontext() as ctx:
            ctx.prec = _WORK_PREC
            if overdue > 0 and d is not None:
                compound_charged = _fen_or_ceiling(cap_base * ((1 + d) ** overdue - 1))
                compound_allowed = to_fen(cap_base * cap.rate * overdue / _DAYS_PER_YEAR)
            elif loan.term_months and nominal is not None:
                n = loan.term_months
                compound_charged = _fen_or_ceiling(received * ((1 + nominal / 12) ** n - 1))
                compound_allowed = to_fen(received * cap.rate * n / 12)
        if compound_charged is not None and compound_allowed is not None:
            compound_excess = _noise_free(max(ZERO, compound_charged - compound_allowed))

    # --- projections and the cost of staying overdue ------------------------------------------
    late_per_period = sum(
        (f.fee.amount for f in damages_fees if f.fee.charged is FeeTiming.PERIODIC), ZERO
    )
    projected: dict[int, Decimal] = {}
    if proj_daily is not None or late_per_period > 0:
        try:
            projected = standard_projections(
                base,
                proj_daily or ZERO,
                late_per_period,
                LATE_FEE_PERIOD_DAYS,
                compound=loan.compound_interest,
            )
        except ArithmeticError:  # compounding an absurd rate for months: beyond any figure
            projected = dict.fromkeys(STANDARD_HORIZONS, MONEY_CEILING)
    overdue_cost: Decimal | None = None
    if overdue > 0 and proj_daily is not None:
        with localcontext() as ctx:
            ctx.prec = _WORK_PREC
            if loan.compound_interest:
                yearly = (1 + proj_daily) ** _DAYS_PER_YEAR - 1
            else:
                yearly = proj_daily * _DAYS_PER_YEAR
            if late_per_period > 0 and base:
                yearly += late_per_period * _DAYS_PER_YEAR / LATE_FEE_PERIOD_DAYS / base
            overdue_cost = +yearly
    # When the contract's cash flows are known but give no rate (nothing received, say), the
    # cost is undefined: the overdue cost alone would understate it, so nothing is reported.
    candidates: list[tuple[Decimal, str]] = []
    if cost is not None:
        candidates.append((cost.compound, "contract"))
    if overdue_cost is not None and (cost is not None or method is None):
        candidates.append((overdue_cost, "overdue"))
    annual_cost, annual_basis = max(candidates, key=lambda c: c[0]) if candidates else (None, None)

    interest_charged = (
        any(r is not None and r > 0 for r in (nominal, charged))
        or (loan.outstanding_interest or ZERO) > 0
    )
    contacts, days = _contacts(loan)
    return LoanAnalysis(
        id=loan_id,
        loan=loan,
        overdue_days=overdue,
        owed=_owed(loan, ledger),
        regime=cap.regime,
        annual_cost=annual_cost,
        overdue_daily_rate=penalty_daily,
        projected_extra=projected,
        nominal_rate=nominal,
        charged_rate=charged,
        rate_increase=rate_increase,
        penalty_rate=penalty,
        annual_cost_basis=annual_basis,
        overdue_annual_cost=overdue_cost,
        received=received,
        upfront_deducted=deducted,
        upfront_fees=upfront_fees,
        upfront=upfront,
        cost=cost,
        cost_method=method,
        cost_error=cost_error,
        cap=cap,
        cap_base=cap_base,
        rate_tested=rate_tested,
        rate_excess_per_year=rate_excess,
        contract_recompute=recompute,
        claim_charges=claim_charges,
        claim_allowed=claim_allowed,
        claim_excess=claim_excess,
        claim_days=claim_days,
        excess_over_cap=excess_over_cap,
        penalty_interest=penalty_accrued,
        penalty_interest_estimated=penalty_estimated,
        default_damages=damages,
        other_overdue_fees=other_overdue,
        overdue_charges=overdue_charges,
        overdue_allowed=overdue_allowed,
        overdue_excess=overdue_excess,
        penalty_excess_per_year=penalty_excess,
        penalty_interest_charged=penalty_charged,
        loss_estimate=loss_estimate,
        compound_charged=compound_charged,
        compound_allowed=compound_allowed,
        compound_excess=compound_excess,
        compound_unknown=loan.compound_interest and overdue > 0,
        interest_charged=interest_charged,
        fees=fees,
        undisclosed_total=sum((f.total for f in fees if f.disclosure == "no"), ZERO),
        contacts=contacts,
        days=days,
        projection_base=base,
        projection_base_estimated=estimated,
        projection_rate_source=source,
        zhudai_rule_applies=(
            loan.lender_type is LenderType.BANK_VIA_PLATFORM
            and loan.contract_date is not None
            and loan.contract_date >= ZHUDAI_EFFECTIVE
        ),
        repaid_total=repaid_total,
        ledger=ledger,
    )
