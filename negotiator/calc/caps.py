"""Which interest cap applies to a loan, and how much of a charge lies above it.

Two regimes, chosen from the kind of lender (docs/legal-basis.md: spc-private-lending,
spc-private-lending-scope, spc-financial-trials-2017):

``private`` — 民间借贷 between individuals or companies (民间借贷规定, 2020-12-29 text, effective
    2021-01-01; VERIFIED-PRIMARY).  Art. 25: agreed interest above **four times the one-year
    LPR at contract formation** is not supported.  Art. 29: overdue interest, 违约金 and other
    fees *together* are capped at the same figure.  Art. 31: for contracts made before
    2020-08-20, interest up to 2020-08-19 may follow the old 24 %/36 % interpretation and
    interest from 2020-08-20 is capped at 4×LPR at the time of suit.

``licensed`` — banks, consumer-finance companies, microloan companies (including online
    microloans) and bank loans sold through a platform (助贷).  The private-lending rules do not
    apply to them (规定 art. 1; 批复 effective 2021-01-01, VERIFIED-PRIMARY).  Under 法发〔2017〕
    22号 art. 2 (issued 2017-08-09; VERIFIED-SECONDARY) a court supports a **borrower's request**
    to reduce the part of interest, compound interest, penalty interest, 违约金 and other fees
    that *in total* exceeds 24 % a year.  The court does not cut it on its own motion.

``unknown`` — the lender type does not settle the regime; no cap judgement is made.

Transitional rule (contracts before 2020-08-20), the documented conservative choice
    Without the date of suit the post-2020-08-20 cap is unknown, so :func:`cap_for` then uses
    **24 % for the whole period**.  It is the higher figure (4×LPR has never exceeded 17 %), so
    an excess computed against it is never overstated.  When ``as_of`` (the date of suit, or the
    date the position is assessed) is given, ``annual_rate`` is 4×LPR on that date and
    ``pre_transition_rate`` (24 %) is given for interest accrued up to 2020-08-19; the caller
    splits the period.

>>> cap = cap_for(Regime.PRIVATE, date(2024, 11, 1))
>>> cap.annual_rate, cap.lpr.rate if cap.lpr else None
(Decimal('0.1240'), Decimal('0.0310'))
>>> excess_interest(Decimal("10000"), Decimal("2000"), cap.annual_rate, 365)
Decimal('760.00')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum

import attrs

from negotiator.basis.params import load_parameters
from negotiator.calc.lpr import LprLookup, lpr_on
from negotiator.calc.rates import DayCount
from negotiator.case.models import LenderType
from negotiator.errors import InputError
from negotiator.money import ZERO, to_fen

__all__ = [
    "LICENSED_TOTAL_CAP",
    "PRE_TRANSITION_CAP",
    "TRANSITION_DATE",
    "Cap",
    "Citation",
    "CombinedCheck",
    "LenderType",
    "Recomputation",
    "Regime",
    "cap_for",
    "cap_for_lender",
    "combined_overdue_cap",
    "excess_interest",
    "recompute_at_cap",
    "regime_for",
    "within_cap",
]

#: (instrument, article, effective date as YYYY-MM-DD plus any qualifier).
Citation = tuple[str, str, str]

_P = load_parameters()
#: 法发〔2017〕22号 art. 2: total charges above 24 %/yr reducible on the borrower's request.
LICENSED_TOTAL_CAP = _P.decimal("licensed_total_cap")
#: Upper figure of the 2015 interpretation kept for pre-2020-08-20 interest by 规定 art. 31.
PRE_TRANSITION_CAP = _P.decimal("pre_transition_cap")
#: First day of the 4×LPR standard (法释〔2020〕6号 effective date; 规定 art. 31).
TRANSITION_DATE = _P.date("private_lending_transition")
_FOUR = _P.decimal("lpr_cap_multiple")

_GUIDING = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定（2020年第二次修正）"
_REPLY = "最高人民法院关于新民间借贷司法解释适用范围问题的批复"
_FINANCE = "最高人民法院关于进一步加强金融审判工作的若干意见（法发〔2017〕22号）"
_CODE = "中华人民共和国民法典"

CITE_PRIVATE_CAP: Citation = (_GUIDING, "第二十五条", "2021-01-01")
CITE_PRIVATE_COMBINED: Citation = (_GUIDING, "第二十九条", "2021-01-01")
CITE_TRANSITION: Citation = (_GUIDING, "第三十一条", "2021-01-01")
CITE_SCOPE: Citation = (_GUIDING, "第一条", "2021-01-01")
CITE_REPLY: Citation = (_REPLY, "全文", "2021-01-01")
CITE_LICENSED: Citation = (_FINANCE, "第二条", "2017-08-09 (date issued)")
CITE_USURY: Citation = (_CODE, "第六百八十条", "2021-01-01")


class Regime(StrEnum):
    """The legal cap regime (see module docs)."""

    PRIVATE = "private"
    LICENSED = "licensed"
    UNKNOWN = "unknown"


_REGIMES: dict[LenderType, Regime] = {
    LenderType.BANK: Regime.LICENSED,
    LenderType.CONSUMER_FINANCE: Regime.LICENSED,
    LenderType.MICROLOAN: Regime.LICENSED,
    LenderType.BANK_VIA_PLATFORM: Regime.LICENSED,
    LenderType.PRIVATE: Regime.PRIVATE,
    LenderType.OTHER: Regime.UNKNOWN,
}


@attrs.frozen
class Cap:
    """A yearly cap on charges, with the reasoning behind it.

    ``annual_rate`` is ``None`` only for :attr:`Regime.UNKNOWN`.  ``pre_transition_rate`` is set
    for private contracts made before 2020-08-20 and applies to interest accrued up to
    2020-08-19.  ``reducible_on_request`` is True when a court cuts the excess only if the
    borrower asks (licensed regime).
    """

    regime: Regime
    annual_rate: Decimal | None
    basis: str
    citations: tuple[Citation, ...]
    lpr: LprLookup | None = None
    note: str | None = None
    pre_transition_rate: Decimal | None = None
    reducible_on_request: bool = False


def regime_for(lender_type: LenderType | str) -> Regime:
    """The cap regime for a lender type; unknown strings raise :class:`InputError`.

    >>> regime_for("microloan"), regime_for("private"), regime_for("other")
    (<Regime.LICENSED: 'licensed'>, <Regime.PRIVATE: 'private'>, <Regime.UNKNOWN: 'unknown'>)
    """
    try:
        kind = LenderType(lender_type)
    except ValueError:
        allowed = ", ".join(t.value for t in LenderType)
        raise InputError(
            "lender_type", f"unknown lender type {str(lender_type)[:30]!r}; use one of {allowed}"
        ) from None
    return _REGIMES[kind]


def _private_cap(contract_date: date, as_of: date | None) -> Cap:
    if contract_date >= TRANSITION_DATE:
        lookup = lpr_on(contract_date)
        note = None
        if lookup.after_last_verified:
            note = (
                f"The contract date is after the LPR data was last verified "
                f"({lookup.last_verified.isoformat()}); the latest known LPR was used — check "
                "the LPR published for the contract date."
            )
        return Cap(
            regime=Regime.PRIVATE,
            annual_rate=_FOUR * lookup.rate,
            basis=(
                "Private lending: agreed interest above four times the one-year LPR at contract "
                "formation is not supported; overdue interest, 违约金 and other fees together "
                "are capped at the same figure."
            ),
            citations=(CITE_PRIVATE_CAP, CITE_PRIVATE_COMBINED, CITE_USURY),
            lpr=lookup,
            note=note,
        )
    old_rule = (
        f"The contract was made before {TRANSITION_DATE.isoformat()}: interest accrued up to "
        "2020-08-19 may follow the earlier interpretation (24 % supported, above 36 % void); "
        "interest from 2020-08-20 is capped at four times the one-year LPR at the time of suit."
    )
    if as_of is None or as_of < TRANSITION_DATE:
        return Cap(
            regime=Regime.PRIVATE,
            annual_rate=PRE_TRANSITION_CAP,
            basis=(
                "Private lending, transitional rule; the date of suit is not known, so the "
                "higher 24 % figure is used for the whole period (conservative: it never "
                "overstates the excess)."
            ),
            citations=(CITE_TRANSITION, CITE_PRIVATE_CAP, CITE_USURY),
            note=old_rule + " Give the date of suit or assessment to compute the later cap.",
            pre_transition_rate=PRE_TRANSITION_CAP,
        )
    lookup = lpr_on(as_of)
    note = old_rule + (
        f" annual_rate is 4×LPR on {as_of.isoformat()} and applies from 2020-08-20; "
        "pre_transition_rate applies to interest accrued up to 2020-08-19."
    )
    if lookup.after_last_verified:
        note += " The assessment date is after the LPR data was last verified."
    return Cap(
        regime=Regime.PRIVATE,
        annual_rate=_FOUR * lookup.rate,
        basis=(
            "Private lending, transitional rule: four times the one-year LPR at the time of suit "
            "for interest from 2020-08-20."
        ),
        citations=(CITE_TRANSITION, CITE_PRIVATE_CAP, CITE_PRIVATE_COMBINED, CITE_USURY),
        lpr=lookup,
        note=note,
        pre_transition_rate=PRE_TRANSITION_CAP,
    )


def cap_for(regime: Regime | str, contract_date: date, *, as_of: date | None = None) -> Cap:
    """The cap for a regime and contract date (``as_of``: date of suit, transitional rule only).

    >>> cap_for("licensed", date(2023, 5, 1)).annual_rate
    Decimal('0.24')
    >>> cap_for("unknown", date(2023, 5, 1)).annual_rate is None
    True
    >>> cap_for("private", date(2019, 1, 1)).annual_rate
    Decimal('0.24')
    >>> cap_for("private", date(2019, 1, 1), as_of=date(2025, 6, 1)).annual_rate
    Decimal('0.1200')
    """
    try:
        reg = Regime(regime)
    except ValueError:
        raise InputError("regime", f"unknown regime {str(regime)[:30]!r}") from None
    if reg is Regime.PRIVATE:
        return _private_cap(contract_date, as_of)
    if reg is Regime.LICENSED:
        return Cap(
            regime=reg,
            annual_rate=LICENSED_TOTAL_CAP,
            basis=(
                "Licensed lender: on the borrower's request a court reduces the part of "
                "interest, compound interest, penalty interest, 违约金 and other fees that in "
                "total exceeds 24 % a year; the private-lending 4×LPR rules do not apply."
            ),
            citations=(CITE_LICENSED, CITE_SCOPE, CITE_REPLY),
            reducible_on_request=True,
        )
    return Cap(
        regime=reg,
        annual_rate=None,
        basis=(
            "The lender type does not show whether the private-lending rules (4×LPR at "
            "formation) or the licensed-lender 24 % standard applies; check who the lender "
            "(贷款人) named in the contract is and whether it holds a lending licence."
        ),
        citations=(CITE_SCOPE, CITE_REPLY),
    )


_LENDER_NOTES: dict[LenderType, str] = {
    LenderType.MICROLOAN: (
        "Microloan companies: a PBoC/NFRA guideline of about 2025-12-24 (reported, "
        "VERIFIED-SECONDARY) treats new loans above 24 % as non-compliant and targets at most "
        "4×LPR by the end of 2027; that is a supervisory rule, not a court cap."
    ),
    LenderType.BANK_VIA_PLATFORM: (
        "Bank loans via a platform made on or after 2025-10-01: 金规〔2025〕9号 art. 6 counts "
        "credit-enhancement fees in the total financing cost and bars platform operators from "
        "charging the borrower; a 24 % ceiling is reported but its exact wording is UNVERIFIED."
    ),
}


def cap_for_lender(
    lender_type: LenderType | str, contract_date: date, *, as_of: date | None = None
) -> Cap:
    """:func:`cap_for` of :func:`regime_for`, with a note on lender-specific supervisory rules."""
    cap = cap_for(regime_for(lender_type), contract_date, as_of=as_of)
    extra = _LENDER_NOTES.get(LenderType(lender_type))
    if extra is None:
        return cap
    return attrs.evolve(cap, note=f"{cap.note} {extra}" if cap.note else extra)


def _check_amount(value: Decimal, field: str) -> None:
    if not value.is_finite() or value < 0:
        raise InputError(field, "must be a non-negative amount")


def _check_period(days: int, basis: int) -> None:
    if days < 0:
        raise InputError("days", f"must not be negative, got {days}")
    if basis not in (DayCount.BANK_360, DayCount.ACTUAL_365):
        raise InputError("basis", f"day-count basis must be 360 or 365, got {basis}")


def _allowed(principal: Decimal, cap_rate: Decimal, days: int, basis: int) -> Decimal:
    return principal * cap_rate * days / int(basis)


def excess_interest(
    outstanding_principal: Decimal,
    charged: Decimal,
    cap_rate: Decimal,
    days: int,
    basis: int = DayCount.ACTUAL_365,
) -> Decimal:
    """What ``charged`` exceeds ``cap_rate × outstanding_principal × days / basis`` by, to the fen.

    The allowance is rounded to the fen first, then compared; the result is never negative.
    The default basis is 365 (actual days over a 365-day year); pass the contract's basis where
    it states one — with 360 the allowance is 365/360 times larger.

    >>> excess_interest(Decimal("10000"), Decimal("100"), Decimal("0.24"), 30)
    Decimal('0.00')
    """
    _check_amount(outstanding_principal, "outstanding_principal")
    _check_amount(charged, "charged")
    _check_amount(cap_rate, "cap_rate")
    _check_period(days, basis)
    allowed = to_fen(_allowed(outstanding_principal, cap_rate, days, basis))
    charged = to_fen(charged)
    return charged - allowed if charged > allowed else ZERO


def within_cap(annual_rate: Decimal, cap: Cap) -> bool | None:
    """Whether a simple annual rate is at or below the cap (None when the regime is unknown).

    Compare the *simple* (单利) annualised cost, since caps are stated as simple yearly rates.
    """
    if cap.annual_rate is None:
        return None
    return annual_rate <= cap.annual_rate


@attrs.frozen
class CombinedCheck:
    """All charges for a period added together and compared with one cap."""

    cap: Cap
    total_charged: Decimal
    allowed: Decimal | None  # None when the regime is unknown
    excess: Decimal | None
    within_cap: bool | None


def combined_overdue_cap(
    cap: Cap,
    outstanding_principal: Decimal,
    days: int,
    *,
    interest: Decimal = ZERO,
    overdue_interest: Decimal = ZERO,
    compound_interest: Decimal = ZERO,
    liquidated_damages: Decimal = ZERO,
    fees: Decimal = ZERO,
    basis: int = DayCount.ACTUAL_365,
) -> CombinedCheck:
    """Add every charge for a period of ``days`` and compare the total with the cap.

    * private regime — 规定 art. 29: overdue interest (逾期利息/罚息), 违约金 and other fees
      together may not exceed 4×LPR at formation;
    * licensed regime — 法发〔2017〕22号 art. 2: interest, compound interest, penalty interest,
      违约金 and other fees together above 24 % a year are reducible on the borrower's request.

    ``allowed = cap × outstanding_principal × days / basis`` (to the fen); ``excess`` is the
    total above it (never negative).  For an unknown regime only the total is reported.

    >>> lic = cap_for("licensed", date(2023, 1, 1))
    >>> chk = combined_overdue_cap(lic, Decimal("10000"), 365, overdue_interest=Decimal("1825"),
    ...                            liquidated_damages=Decimal("1000"))
    >>> chk.allowed, chk.excess, chk.within_cap
    (Decimal('2400.00'), Decimal('425.00'), False)
    """
    parts = {
        "interest": interest,
        "overdue_interest": overdue_interest,
        "compound_interest": compound_interest,
        "liquidated_damages": liquidated_damages,
        "fees": fees,
    }
    for field, value in parts.items():
        _check_amount(value, field)
    _check_amount(outstanding_principal, "outstanding_principal")
    _check_period(days, basis)
    total = to_fen(sum(parts.values(), ZERO))
    if cap.annual_rate is None:
        return CombinedCheck(
            cap=cap, total_charged=total, allowed=None, excess=None, within_cap=None
        )
    allowed = to_fen(_allowed(outstanding_principal, cap.annual_rate, days, basis))
    excess = total - allowed if total > allowed else ZERO
    return CombinedCheck(
        cap=cap, total_charged=total, allowed=allowed, excess=excess, within_cap=excess == 0
    )


@attrs.frozen
class Recomputation:
    """A loan's payments re-applied as a court would at the cap (see :func:`recompute_at_cap`).

    All amounts are yuan to the fen.  ``charged`` is everything paid beyond the money received
    (payments − received); ``allowed`` the interest the cap permits on the balance actually
    outstanding; ``excess`` what was (or would be) paid beyond principal plus that interest.
    ``excess == max(0, charged − allowed)`` holds exactly.
    """

    received: Decimal
    paid: Decimal
    charged: Decimal
    allowed: Decimal
    excess: Decimal
    unpaid_principal: Decimal
    unpaid_interest: Decimal


def recompute_at_cap(
    received: Decimal,
    payments: Sequence[tuple[int, Decimal]],
    cap_rate: Decimal,
    units_per_year: int,
) -> Recomputation:
    """Apply each payment to interest at ``cap_rate`` and then to principal; report the excess.

    ``payments`` are ``(time, amount)`` with ``time`` counted in units since the money was
    received (days with ``units_per_year=365``, months with ``12``).  Between two payments the
    balance earns **simple** interest ``to_fen(balance × cap_rate × Δt / units_per_year)``; unpaid
    interest is carried separately and never earns interest (规定 art. 27: interest does not
    become principal beyond the cap).  Each payment pays carried interest first, then principal
    (民法典 art. 561 order without the costs head); what remains after the principal is cleared
    is paid above the cap.  This is the recalculation a court makes when it cuts the agreed
    charges to the cap, so ``excess`` is the amount of the schedule's charges above the cap.

    >>> r = recompute_at_cap(Decimal("1000"), [(12, Decimal("1300"))], Decimal("0.24"), 12)
    >>> r.allowed, r.excess
    (Decimal('240.00'), Decimal('60.00'))
    """
    _check_amount(received, "received")
    _check_amount(cap_rate, "cap_rate")
    if units_per_year < 1:
        raise InputError("units_per_year", f"must be at least 1, got {units_per_year}")
    balance = to_fen(received)
    carried = ZERO
    allowed = ZERO
    over = ZERO
    paid = ZERO
    previous = 0
    for i, (when, amount) in enumerate(sorted(payments, key=lambda p: p[0])):
        _check_amount(amount, f"payments[{i}]")
        if when < previous:
            raise InputError(f"payments[{i}]", "falls before the money was received")
        interest = to_fen(balance * cap_rate * (when - previous) / units_per_year)
        allowed += interest
        carried += interest
        pay = to_fen(amount)
        paid += pay
        to_interest = min(pay, carried)
        carried -= to_interest
        pay -= to_interest
        to_principal = min(pay, balance)
        balance -= to_principal
        over += pay - to_principal
        previous = when
    return Recomputation(
        received=to_fen(received),
        paid=paid,
        charged=paid - to_fen(received),
        allowed=allowed,
        excess=over,
        unpaid_principal=balance,
        unpaid_interest=carried,
    )
