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

from ..basis.params import load_parameters
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
class LoanTerms:
    """The contract's rates (simple yearly fractions unless named daily) and the money
    actually received."""

    nominal_rate: Decimal | None = None  # contract rate
    charged_rate: Decimal | None = None  # rate the statement charges
    rate_increase: Decimal | None = None  # charged − contract, when both are known (≥ 0)
    penalty_rate: Decimal | None = None  # overdue rate (with the contract rate when it adds)
    #: Penalty (overdue) interest per day as a fraction, if the contract states one.
    overdue_daily_rate: Decimal | None = None
    rate_tested: Decimal | None = None  # the higher of contract and charged rate
    #: Interest is charged (a positive rate or outstanding interest).
    interest_charged: bool = False
    received: Decimal = ZERO
    upfront_deducted: Decimal = ZERO
    upfront_fees: Decimal = ZERO  # fees charged up front (part of the deduction)
    upfront: UpfrontResult | None = None


@attrs.frozen
class LoanCost:
    """What the loan costs: the contract's cost of credit and the yearly rate it costs now."""

    cost: AnnualisedCost | None = None
    #: "periodic" (PBoC per-period IRR), "dated_irregular" (irregular due dates: a daily IRR)
    #: or "assumed_level" (no schedule and no method stated: 等额本息 assumed).
    cost_method: str | None = None
    cost_error: str | None = None
    #: The yearly rate the loan costs now, as a compound fraction (module docs; docs/fees.md).
    annual_cost: Decimal | None = None
    #: "contract" or "overdue": which cost ``annual_cost`` is.
    annual_cost_basis: str | None = None
    overdue_annual_cost: Decimal | None = None


@attrs.frozen
class CapCheck:
    """The cap that applies and the loan's charges against it (excesses in yuan)."""

    cap: CapFigures | None = None
    cap_base: Decimal = ZERO  # outstanding principal the caps are applied to
    rate_excess_per_year: Decimal | None = None
    contract_recompute: capcalc.Recomputation | None = None
    claim_charges: Decimal | None = None
    claim_allowed: Decimal | None = None
    claim_excess: Decimal | None = None
    claim_days: int | None = None
    excess_over_cap: Decimal | None = None
    penalty_excess_per_year: Decimal | None = None
    compound_charged: Decimal | None = None
    compound_allowed: Decimal | None = None
    compound_excess: Decimal | None = None
    #: The contract charges 复利 but the case states no amount of it: the overdue charges
    #: compared with the cap leave it out, so they and their excess are lower bounds.
    compound_unknown: bool = False


@attrs.frozen
class OverdueFigures:
    """Charges since the default, against the cap, and what waiting longer would add."""

    penalty_interest: Decimal | None = None  # accrued, or estimated from the contract's rate
    penalty_interest_estimated: bool = False
    penalty_interest_charged: bool = False
    default_damages: Decimal = ZERO  # 违约金 / late fees accrued
    other_overdue_fees: Decimal = ZERO
    overdue_charges: Decimal | None = None
    overdue_allowed: Decimal | None = None
    overdue_excess: Decimal | None = None
    loss_estimate: Decimal | None = None
    #: Extra charges if nothing is paid for N more days (N = 30, 90, 180), from the loan's terms.
    projected_extra: Mapping[int, Decimal] = attrs.field(factory=dict)
    projection_base: Decimal = ZERO
    projection_base_estimated: bool = False
    projection_rate_source: str | None = None  # "penalty_rate" or "contract_rate"


@attrs.frozen
class CollectionFigures:
    """The collection contacts, each with what it shows, and the contacts per day."""

    contacts: tuple[ContactFigures, ...] = ()
    days: tuple[ContactDay, ...] = ()

    def issues(self) -> tuple[str, ...]:
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


@attrs.frozen
class LoanAnalysis:
    """Every figure of one loan, in small records by subject (see the module docs)."""

    id: str
    loan: Loan
    overdue_days: int
    owed: Decimal  # best known figure of what the lender claims now
    #: "private", "licensed" or "unknown" (see negotiator.calc.caps)
    regime: str = "unknown"
    terms: LoanTerms = attrs.field(factory=LoanTerms)
    price: LoanCost = attrs.field(factory=LoanCost)
    caps: CapCheck = attrs.field(factory=CapCheck)
    overdue: OverdueFigures = attrs.field(factory=OverdueFigures)
    collection: CollectionFigures = attrs.field(factory=CollectionFigures)
    fees: tuple[FeeFigures, ...] = ()
    undisclosed_total: Decimal = ZERO
    zhudai_rule_applies: bool = False
    repaid_total: Decimal | None = None
    #: The loan's ledger: schedule, claimed and lawful balance with provenance (docs/ledger.md).
    ledger: LoanLedger | None = None

    # --- the problems the figures show, named for the report's figures; complaint routing does
    # not use them (it follows the fired rules: docs/architecture.md) ---------------------------

    def charge_issues(self) -> tuple[str, ...]:
        """Names of the charge problems the figures show (the fee rules' own conditions)."""
        terms, caps = self.terms, self.caps
        out: list[str] = []
        if terms.upfront_deducted > 0:
            out.append("upfront_deduction")
        if (caps.rate_excess_per_year or ZERO) > 0 or (caps.excess_over_cap or ZERO) > 0:
            out.append("above_cap")
        if (self.overdue.overdue_excess or ZERO) > 0:
            out.append("overdue_above_cap")
        if (caps.compound_excess or ZERO) > 0:
            out.append("compounding")
        if (terms.rate_increase or ZERO) > 0:
            out.append("rate_raised")
        if self.undisclosed_total > 0:
            out.append("undisclosed_fee")
        if any(
            f.fee.kind is FeeKind.COLLECTION and f.disclosure != "yes" and f.total > 0
            for f in self.fees
        ) or any(
            Conduct.COLLECTION_FEE_DEMANDED in c.contact.conduct for c in self.collection.contacts
        ):
            out.append("collection_fee")
        if self.zhudai_rule_applies and any(f.to_platform and f.total > 0 for f in self.fees):
            out.append("platform_fee")
        if self.loan.interest_agreed is False and terms.interest_charged:
            out.append("interest_not_agreed")
        return tuple(out)

    def collection_issues(self) -> tuple[str, ...]:
        return self.collection.issues()

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
        terms, price, caps, overdue = self.terms, self.price, self.caps, self.overdue
        cost = price.cost
        return {
            "id": self.id,
            "lender_name": self.loan.lender_name,
            "lender_type": self.loan.lender_type.value,
            "regime": self.regime,
            "overdue_days": self.overdue_days,
            "owed": self.owed,
            "annual_cost": price.annual_cost,
            "annual_cost_percent": _pct(price.annual_cost),
            "annual_cost_basis": price.annual_cost_basis,
            "projected_extra": {str(k): v for k, v in overdue.projected_extra.items()},
            "overdue_daily_rate": terms.overdue_daily_rate,
            "nominal_rate_percent": _pct(terms.nominal_rate),
            "charged_rate_percent": _pct(terms.charged_rate),
            "penalty_rate_percent": _pct(terms.penalty_rate),
            "received": terms.received,
            "upfront_deducted": terms.upfront_deducted,
            "cost_simple_percent": _pct(cost.simple) if cost else None,
            "cost_compound_percent": _pct(cost.compound) if cost else None,
            "cost_method": price.cost_method,
            "cost_error": price.cost_error,
            "cap": caps.cap.to_figures() if caps.cap else None,
            "excess_over_cap": caps.excess_over_cap,
            "rate_excess_per_year": caps.rate_excess_per_year,
            "overdue_charges": overdue.overdue_charges,
            "overdue_allowed": overdue.overdue_allowed,
            "overdue_excess": overdue.overdue_excess,
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


def analyse_loans(case: Case, ids: tuple[str, ...], as_of: dt.date) -> tuple[LoanAnalysis, ...]:
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


def _flows(loan: Loan, fees: Sequence[FeeFigures], ledger: LoanLedger) -> _Flows | str:
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


def _contacts(loan: Loan) -> CollectionFigures:
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
    return CollectionFigures(tuple(figures), days)


def analyse_loan(loan_id: str, loan: Loan, as_of: dt.date) -> LoanAnalysis:
    """Every figure for one loan; never raises on missing data (unknown stays None)."""
    overdue_days = max(0, (as_of - loan.overdue_since).days) if loan.overdue_since else 0
    fees = _fee_figures(loan)
    repaid_total = _repaid_total(loan)
    cap = _cap(loan)
    terms = _terms(loan, fees, cap)
    ledger = build_ledger(
        loan_id, loan, as_of, regime=cap.regime, cap_rate=cap.rate, cap_upper_bound=cap.upper_bound
    )
    flows = _flows(loan, fees, ledger)
    accrual = _accrual(loan, fees, terms, repaid_total)
    return LoanAnalysis(
        id=loan_id,
        loan=loan,
        overdue_days=overdue_days,
        owed=_owed(loan, ledger),
        regime=cap.regime,
        terms=terms,
        price=_price(loan, terms, flows, accrual, overdue_days),
        caps=_cap_check(loan, as_of, terms, cap, flows, accrual.cap_base, overdue_days),
        overdue=_overdue(loan, fees, terms, _calc_cap(cap), accrual, overdue_days),
        collection=_contacts(loan),
        fees=fees,
        undisclosed_total=sum((f.total for f in fees if f.disclosure == "no"), ZERO),
        zhudai_rule_applies=(
            loan.lender_type is LenderType.BANK_VIA_PLATFORM
            and loan.contract_date is not None
            and loan.contract_date >= ZHUDAI_EFFECTIVE
        ),
        repaid_total=repaid_total,
        ledger=ledger,
    )


def _terms(loan: Loan, fees: Sequence[FeeFigures], cap: CapFigures) -> LoanTerms:
    """The contract's rates, and the money received (砍头息: what was deducted up front)."""
    nominal = annual_rate(loan.rate)
    charged = annual_rate(loan.charged_rate)
    penalty = annual_rate(loan.penalty_rate)
    if penalty is None and loan.penalty_multiple is not None and nominal is not None:
        penalty = nominal * loan.penalty_multiple + (nominal if loan.penalty_adds else ZERO)
    elif penalty is not None and loan.penalty_adds and nominal is not None:
        penalty = penalty + nominal
    upfront_fees = sum((f.total for f in fees if f.fee.charged is FeeTiming.UPFRONT), ZERO)
    if loan.received is not None:
        received = loan.received
    else:
        received = max(ZERO, loan.principal - upfront_fees)
    deducted = loan.principal - received
    # Interest recognised on the money received runs at the contract rate, never above the cap.
    upfront: UpfrontResult | None = None
    if deducted > 0 and received > 0 and loan.term_months and nominal is not None:
        upfront = upfront_deduction(
            loan.principal,
            received,
            nominal,
            months=loan.term_months,
            recognised_rate=nominal if cap.rate is None else min(nominal, cap.rate),
        )
    known = [r for r in (nominal, charged) if r is not None]
    increase = None if charged is None or nominal is None else max(ZERO, charged - nominal)
    return LoanTerms(
        nominal_rate=nominal,
        charged_rate=charged,
        rate_increase=increase,
        penalty_rate=penalty,
        overdue_daily_rate=daily_rate(loan.penalty_rate),
        rate_tested=max(known) if known else None,
        interest_charged=any(r is not None and r > 0 for r in (nominal, charged))
        or (loan.outstanding_interest or ZERO) > 0,
        received=received,
        upfront_deducted=deducted,
        upfront_fees=upfront_fees,
        upfront=upfront,
    )


@attrs.frozen
class _Accrual:
    """How overdue charges accrue: on which principal, at which daily rate."""

    base: Decimal  # the principal the lender charges overdue interest on
    base_estimated: bool
    cap_base: Decimal  # the same, never more than the money received (one basis for the caps)
    daily: Decimal | None  # the daily rate overdue interest runs at
    source: str | None  # "penalty_rate" or "contract_rate"
    late_per_period: Decimal  # periodic late fees, per LATE_FEE_PERIOD_DAYS


def _accrual(
    loan: Loan, fees: Sequence[FeeFigures], terms: LoanTerms, repaid_total: Decimal | None
) -> _Accrual:
    """Overdue interest runs at the penalty rate (or a multiple of the contract rate, on top of
    it when the contract says so), else the contract rate runs on; estimates and the cap's
    allowance use one principal basis: the outstanding principal, never more than received."""
    base, estimated = _projection_base(loan, repaid_total)
    daily: Decimal | None
    source: str | None
    if terms.overdue_daily_rate is not None or loan.penalty_multiple is not None:
        daily, source = overdue_daily(loan)[0], "penalty_rate"
    elif loan.rate is not None:
        daily, source = daily_rate(loan.rate), "contract_rate"
    else:
        daily, source = None, None
    late = sum(
        (
            f.fee.amount
            for f in fees
            if f.fee.kind in DAMAGES_KINDS and f.fee.charged is FeeTiming.PERIODIC
        ),
        ZERO,
    )
    return _Accrual(base, estimated, min(base, terms.received), daily, source, late)


def _price(
    loan: Loan, terms: LoanTerms, flows: _Flows | str, accrual: _Accrual, overdue_days: int
) -> LoanCost:
    """The contract's cost of credit from its cash flows, and the yearly rate it costs now."""
    cost: AnnualisedCost | None = None
    error: str | None = None
    method: str | None = None
    if isinstance(flows, str):
        error = flows
    else:
        method = flows.method
        try:
            cost = _cost(terms.received, flows, loan.contract_date)
        except (CalculationError, InputError) as exc:
            error = str(exc)
    overdue_cost = _overdue_cost(loan, accrual, overdue_days)
    # When the contract's cash flows are known but give no rate (nothing received, say), the
    # cost is undefined: the overdue cost alone would understate it, so nothing is reported.
    candidates: list[tuple[Decimal, str]] = []
    if cost is not None:
        candidates.append((cost.compound, "contract"))
    if overdue_cost is not None and (cost is not None or method is None):
        candidates.append((overdue_cost, "overdue"))
    annual, basis = max(candidates, key=lambda c: c[0]) if candidates else (None, None)
    return LoanCost(
        cost=cost,
        cost_method=method,
        cost_error=error,
        annual_cost=annual,
        annual_cost_basis=basis,
        overdue_annual_cost=overdue_cost,
    )


def _overdue_cost(loan: Loan, accrual: _Accrual, overdue_days: int) -> Decimal | None:
    """The yearly rate of staying overdue: the overdue daily rate over a year (compounded daily
    when the contract charges 复利) plus recurring late fees over the outstanding principal."""
    daily = accrual.daily
    if overdue_days <= 0 or daily is None:
        return None
    with localcontext() as ctx:
        ctx.prec = _WORK_PREC
        if loan.compound_interest:
            yearly = (1 + daily) ** _DAYS_PER_YEAR - 1
        else:
            yearly = daily * _DAYS_PER_YEAR
        if accrual.late_per_period > 0 and accrual.base:
            yearly += (
                accrual.late_per_period * _DAYS_PER_YEAR / LATE_FEE_PERIOD_DAYS / accrual.base
            )
        return +yearly


def _cap_check(
    loan: Loan,
    as_of: dt.date,
    terms: LoanTerms,
    cap: CapFigures,
    flows: _Flows | str,
    cap_base: Decimal,
    overdue_days: int,
) -> CapCheck:
    """The contract rate, the schedule and the lender's whole claim against the cap."""
    received = terms.received
    recompute: capcalc.Recomputation | None = None
    if not isinstance(flows, str) and cap.rate is not None:
        recompute = capcalc.recompute_at_cap(
            received, flows.payments, cap.rate, flows.units_per_year
        )
    rate_excess: Decimal | None = None
    penalty_excess: Decimal | None = None
    if cap.rate is not None and terms.rate_tested is not None:
        rate_excess = to_fen(received * max(ZERO, terms.rate_tested - cap.rate))
    if cap.rate is not None and terms.penalty_rate is not None:
        penalty_excess = to_fen(cap_base * max(ZERO, terms.penalty_rate - cap.rate))
    charges, allowed, claim_excess, days = _claim(loan, as_of, received, cap.rate)
    # The lender's claim is the figure to test when it is known; the contract's schedule
    # re-applied at the cap is used only when no claim is stated.
    excess: Decimal | None = None
    if claim_excess is not None:
        excess = claim_excess
    elif recompute is not None:
        excess = _noise_free(recompute.excess)
    compound_charged, compound_allowed, compound_excess = _compound(
        loan, terms, cap.rate, cap_base, overdue_days
    )
    return CapCheck(
        cap=cap,
        cap_base=cap_base,
        rate_excess_per_year=rate_excess,
        contract_recompute=recompute,
        claim_charges=charges,
        claim_allowed=allowed,
        claim_excess=claim_excess,
        claim_days=days,
        excess_over_cap=excess,
        penalty_excess_per_year=penalty_excess,
        compound_charged=compound_charged,
        compound_allowed=compound_allowed,
        compound_excess=compound_excess,
        compound_unknown=loan.compound_interest and overdue_days > 0,
    )


def _claim(
    loan: Loan, as_of: dt.date, received: Decimal, cap_rate: Decimal | None
) -> tuple[Decimal | None, Decimal | None, Decimal | None, int | None]:
    """The lender's whole claim so far (repaid + outstanding − received) against the cap on the
    money received since the contract date: (charges, allowed, excess, days), or Nones."""
    if (
        loan.outstanding is None
        or loan.contract_date is None
        or cap_rate is None
        or as_of <= loan.contract_date
    ):
        return None, None, None, None
    days = (as_of - loan.contract_date).days
    charges = max(ZERO, (_repaid_total(loan) or ZERO) + loan.outstanding - received)
    allowed = to_fen(received * cap_rate * days / _DAYS_PER_YEAR)
    return charges, allowed, _noise_free(max(ZERO, charges - allowed)), days


def _compound(
    loan: Loan, terms: LoanTerms, cap_rate: Decimal | None, cap_base: Decimal, overdue_days: int
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """复利 (规定 art. 27) against the cap: (charged, allowed, excess), or Nones."""
    if not loan.compound_interest or cap_rate is None:
        return None, None, None
    daily = terms.overdue_daily_rate
    if daily is None:
        daily = daily_rate(loan.rate)
    nominal = terms.nominal_rate
    charged: Decimal | None = None
    allowed: Decimal | None = None
    with localcontext() as ctx:
        ctx.prec = _WORK_PREC
        if overdue_days > 0 and daily is not None:
            charged = _fen_or_ceiling(cap_base * ((1 + daily) ** overdue_days - 1))
            allowed = to_fen(cap_base * cap_rate * overdue_days / _DAYS_PER_YEAR)
        elif loan.term_months and nominal is not None:
            n = loan.term_months
            charged = _fen_or_ceiling(terms.received * ((1 + nominal / 12) ** n - 1))
            allowed = to_fen(terms.received * cap_rate * n / 12)
    if charged is None or allowed is None:
        return charged, allowed, None
    return charged, allowed, _noise_free(max(ZERO, charged - allowed))


def _overdue(
    loan: Loan,
    fees: Sequence[FeeFigures],
    terms: LoanTerms,
    calc_cap: capcalc.Cap | None,
    accrual: _Accrual,
    overdue_days: int,
) -> OverdueFigures:
    """Overdue interest (as accrued, or estimated from the overdue rate), 违约金 and other
    default charges against the cap on the outstanding principal (民间借贷规定 art. 29;
    法发〔2017〕22号 art. 2)."""
    cap_base = accrual.cap_base
    damages = _damages(loan, fees, overdue_days)
    other = sum(
        (
            f.total
            for f in fees
            if f.contingent
            and f.fee.kind not in DAMAGES_KINDS
            and f.fee.kind is not FeeKind.PREPAYMENT
        ),
        ZERO,
    )
    accrued, running, estimated = _penalty_interest(loan, accrual, overdue_days)
    charges = allowed = excess = None
    if overdue_days > 0 and calc_cap is not None:
        check = capcalc.combined_overdue_cap(
            calc_cap,
            cap_base,
            overdue_days,
            overdue_interest=(accrued or ZERO) + running,
            liquidated_damages=damages,
            fees=other,
        )
        charges, allowed = check.total_charged, check.allowed
        excess = None if check.excess is None else _noise_free(check.excess)
    daily = terms.overdue_daily_rate
    nominal = terms.nominal_rate
    return OverdueFigures(
        penalty_interest=accrued,
        penalty_interest_estimated=estimated,
        penalty_interest_charged=(loan.penalty_interest or ZERO) > 0
        or (daily is not None and daily > 0 and overdue_days > 0),
        default_damages=damages,
        other_overdue_fees=other,
        overdue_charges=charges,
        overdue_allowed=allowed,
        overdue_excess=excess,
        loss_estimate=(
            to_fen(cap_base * nominal * overdue_days / _DAYS_PER_YEAR)
            if nominal is not None and overdue_days > 0
            else None
        ),
        projected_extra=_projected(loan, accrual),
        projection_base=accrual.base,
        projection_base_estimated=accrual.base_estimated,
        projection_rate_source=accrual.source,
    )


def _penalty_interest(
    loan: Loan, accrual: _Accrual, overdue_days: int
) -> tuple[Decimal | None, Decimal, bool]:
    """Overdue interest as accrued or estimated from the overdue rate, contract interest still
    running beside a stated 罚息, and whether either is an estimate."""
    accrued = loan.penalty_interest
    estimated = False
    if accrued is None and overdue_days > 0 and accrual.daily is not None:
        accrued = to_fen(accrual.cap_base * accrual.daily * overdue_days)
        estimated = True
    # Contract interest that keeps running after default counts towards the same total cap
    # (法发〔2017〕22号 art. 2); when a stated 罚息 is charged on top of it, add it (estimated).
    running = ZERO
    stated = loan.penalty_interest is not None
    if loan.penalty_adds and stated and overdue_days > 0 and loan.rate is not None:
        running = to_fen(accrual.cap_base * (daily_rate(loan.rate) or ZERO) * overdue_days)
        estimated = True
    return accrued, running, estimated


def _damages(loan: Loan, fees: Sequence[FeeFigures], overdue_days: int) -> Decimal:
    """违约金 / late fees accrued: as stated, else from the contract's damages fees."""
    if loan.late_fees is not None:
        return loan.late_fees
    damages = ZERO
    for f in fees:
        if f.fee.kind not in DAMAGES_KINDS:
            continue
        if f.fee.charged is FeeTiming.PERIODIC:
            damages += to_fen(f.fee.amount * (overdue_days // LATE_FEE_PERIOD_DAYS))
        elif overdue_days > 0:
            damages += f.total
    return damages


def _projected(loan: Loan, accrual: _Accrual) -> dict[int, Decimal]:
    """Extra charges if nothing is paid for 30, 90 and 180 more days."""
    if accrual.daily is None and accrual.late_per_period <= 0:
        return {}
    try:
        return standard_projections(
            accrual.base,
            accrual.daily or ZERO,
            accrual.late_per_period,
            LATE_FEE_PERIOD_DAYS,
            compound=loan.compound_interest,
        )
    except ArithmeticError:  # compounding an absurd rate for months: beyond any figure
        return dict.fromkeys(STANDARD_HORIZONS, MONEY_CEILING)
