"""Fee and cost legality through the whole pipeline, with figures worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from negotiator.analysis import analyse
from negotiator.analysis.loans import analyse_loan
from negotiator.api import advise, evaluate
from negotiator.case.load import load_case
from negotiator.case.models import Fee, FeeKind, FeeTiming, LenderType, Loan, Rate, RateUnit

D = Decimal


def _case(loan: dict[str, Any], as_of: str = "2025-09-01") -> dict[str, Any]:
    return {"as_of": as_of, "borrower": {}, "loans": [loan]}


def _one(report: Any, code: str) -> Any:
    found = report.by_code(code)
    assert len(found) == 1, [f.rule for f in found]
    return found[0]


def test_upfront_deduction_whole_pipeline_by_hand() -> None:
    # A private loan: contract principal 10,000, 8,000 received, 12 % a year, 6 months.
    case = _case(
        {
            "lender_name": "张某",
            "lender_type": "private",
            "principal": "10000",
            "received": "8000",
            "contract_date": "2025-06-01",
            "rate": {"value": "0.12", "unit": "annual"},
            "interest_agreed": True,
            "term_months": 6,
        }
    )
    report = advise(case)
    f = _one(report, "FEE_UPFRONT_DEDUCTION")
    assert f.severity == "violation"
    # By hand (民法典 670; 规定 26): the principal is what was received.
    principal, received, rate, years = D(10000), D(8000), D("0.12"), D(6) / D(12)
    claimed_interest = principal * rate * years  # 600
    recognised_interest = received * rate * years  # 480
    assert f.data["upfront_deducted"] == f"{principal - received:.2f}" == "2000.00"
    assert f.data["recognised_principal"] == "8000.00"
    assert f.data["interest_claimed"] == f"{claimed_interest:.2f}" == "600.00"
    assert f.data["interest_recognised"] == f"{recognised_interest:.2f}" == "480.00"
    assert f.data["claimed_total"] == "10600.00"
    assert f.data["owed_total"] == "8480.00"
    assert f.data["upfront_difference"] == "2120.00"
    assert "8,000.00" in f.message and "2,000.00" in f.message
    # The private cap on 2025-06-01 is 4 × 3.00 % = 12.00 % (LPR of 2025-05-20): the agreed
    # 12 % is at the cap, so the rate rule stays silent, but the deduction pushes the true
    # cost above it and the fee-inclusive rule fires.
    assert report.by_code("FEE_RATE_ABOVE_PRIVATE_CAP")[0].rule == "fee.cost-above-private-cap"
    assert len(report.by_code("FEE_RATE_ABOVE_PRIVATE_CAP")) == 1
    figures = report.figures["loans"][0]
    assert figures["received"] == D("8000") and figures["upfront_deducted"] == D("2000")
    assert figures["cap"]["lpr_from"] == dt.date(2025, 5, 20)


def test_dated_bullet_loan_cost_and_24_percent_by_hand() -> None:
    # Consumer finance: 10,000 on paper, 8,000 received on 2025-01-01, 10,000 repaid on
    # 2026-01-01 (one year, one period).  True cost (PBoC per-period method): the period's IRR
    # 10,000 / 8,000 − 1 = 25 %, one period a year: 25 % 单利 and 25 % 复利.
    # At 24 % the lender may take 8,000 × 0.24 = 1,920; it takes 2,000: 80.00 above.
    case = _case(
        {
            "lender_name": "某某消费金融有限公司",
            "lender_type": "consumer_finance",
            "principal": "10000",
            "received": "8000",
            "contract_date": "2025-01-01",
            "schedule": [{"due": "2026-01-01", "amount": "10000"}],
        },
        as_of="2025-06-01",
    )
    report = advise(case)
    la = evaluate(case).analysis.loans[0]
    assert la.price.cost is not None and la.price.cost_method == "periodic"
    assert la.price.cost.compound.quantize(D("0.000001")) == D("0.250000")
    assert la.price.cost.simple.quantize(D("0.000001")) == D("0.250000")
    assert (
        la.price.annual_cost == la.price.cost.compound and la.price.annual_cost_basis == "contract"
    )
    f = _one(report, "FEE_COST_ABOVE_24")
    assert f.severity == "warning"
    assert f.data["contract_excess"] == "80.00"
    assert f.data["excess_over_cap"] == "80.00"
    assert f.data["cap_rate"] == "0.24"
    assert report.by_code("FEE_UPFRONT_DEDUCTION")[0].data["upfront_deducted"] == "2000.00"


def test_licensed_claim_check_without_schedule() -> None:
    # Bank loan of 5,000 on 2025-01-01, nothing repaid, lender now claims 6,000 on 2025-07-01
    # (181 days).  24 % of 5,000 for 181 days = 595.07; charges 1,000: 404.93 above.
    case = _case(
        {
            "lender_name": "某某银行股份有限公司",
            "lender_type": "bank",
            "principal": "5000",
            "received": "5000",
            "contract_date": "2025-01-01",
            "outstanding": "6000",
            "repaid": "0",
        },
        as_of="2025-07-01",
    )
    f = _one(advise(case), "FEE_COST_ABOVE_24")
    assert f.data["claim_excess"] == "404.93"
    assert f.data["claim_days"] == 181
    assert f.data["cost_simple"] is None  # no schedule: cost unknown, excess still shown


def test_cost_not_computable_is_recorded_not_raised() -> None:
    # All scheduled payments zero: no internal rate of return exists.
    case = _case(
        {
            "lender_name": "某某银行股份有限公司",
            "lender_type": "bank",
            "principal": "5000",
            "contract_date": "2025-01-01",
            "schedule": [{"due": "2025-02-01", "amount": "0"}],
        }
    )
    ev = evaluate(case)
    la = ev.analysis.loans[0]
    assert la.price.cost is None and la.price.annual_cost is None
    assert la.price.cost_error is not None and "zero" in la.price.cost_error
    assert ev.analysis.loans[0].to_figures()["cost_error"] == la.price.cost_error
    assert advise(case).figures["loans"][0]["cost_error"] == la.price.cost_error


def test_missing_everything_gives_none_not_errors() -> None:
    la = analyse_loan(
        "L1",
        Loan(lender_name="X", lender_type=LenderType.OTHER, principal=D("0")),
        dt.date(2025, 1, 1),
    )
    assert la.price.cost is None and la.price.cost_error is not None
    assert la.price.annual_cost is None and la.terms.overdue_daily_rate is None
    assert la.overdue.projected_extra == {}
    assert la.caps.excess_over_cap is None and la.overdue.overdue_excess is None
    assert la.charge_issues() == () and la.collection_issues() == ()


def test_periodic_fees_enter_the_cost_and_contingent_ones_do_not() -> None:
    base = Loan(
        lender_name="X",
        lender_type=LenderType.CONSUMER_FINANCE,
        principal=D("12000"),
        rate=Rate(D("0.12"), RateUnit.ANNUAL),
        term_months=12,
    )
    day = dt.date(2025, 6, 1)
    plain = analyse_loan("L1", base, day)
    with_fee = analyse_loan(
        "L1",
        Loan(**{**_fields(base), "fees": (Fee(FeeKind.GUARANTEE, D("50"), FeeTiming.PERIODIC),)}),
        day,
    )
    with_late = analyse_loan(
        "L1",
        Loan(**{**_fields(base), "fees": (Fee(FeeKind.LATE_FEE, D("50"), FeeTiming.ON_OVERDUE),)}),
        day,
    )
    assert (
        plain.price.cost is not None
        and with_fee.price.cost is not None
        and with_late.price.cost is not None
    )
    # Without fees the level schedule costs its own rate (up to the rounding of each payment).
    assert abs(plain.price.cost.simple - D("0.12")) < D("0.0001")
    # 600/yr on ~6,500 average
    assert with_fee.price.cost.simple > plain.price.cost.simple + D("0.08")
    assert with_late.price.cost == plain.price.cost
    assert with_fee.fees[0].total == D("600.00") and with_fee.fees[0].count == 12


def _fields(loan: Loan) -> dict[str, Any]:
    import attrs

    return attrs.asdict(loan, recurse=False)


def test_overdue_cost_can_be_the_annual_cost() -> None:
    # Overdue at 万分之十 a day: 0.001 × 365 = 36.5 % a year, above a 12 % contract cost.
    loan = load_case(
        _case(
            {
                "lender_name": "X",
                "lender_type": "microloan",
                "principal": "1000",
                "rate": {"value": "0.12", "unit": "annual"},
                "term_months": 12,
                "overdue_since": "2025-08-01",
                "penalty_rate": {"value": "0.001", "unit": "daily"},
            }
        )
    ).loans[0]
    la = analyse_loan("L1", loan, dt.date(2025, 9, 1))
    assert la.terms.overdue_daily_rate == D("0.001")
    assert la.price.overdue_annual_cost == D("0.365")
    assert la.price.annual_cost == D("0.365") and la.price.annual_cost_basis == "overdue"
    # 30 days: 1,000 × 0.001 × 30 = 30.00; 90: 90.00; 180: 180.00.
    assert la.overdue.projected_extra == {30: D("30.00"), 90: D("90.00"), 180: D("180.00")}
    # 31 days
    assert la.overdue.penalty_interest == D("31.00") and la.overdue.penalty_interest_estimated


def test_penalty_projection_falls_back_to_the_contract_rate() -> None:
    loan = Loan(
        lender_name="X",
        lender_type=LenderType.PRIVATE,
        principal=D("3600"),
        rate=Rate(D("0.10"), RateUnit.ANNUAL, basis=360),
        overdue_since=dt.date(2025, 1, 1),
    )
    la = analyse_loan("L1", loan, dt.date(2025, 2, 1))
    assert la.terms.overdue_daily_rate is None
    assert la.overdue.projection_rate_source == "contract_rate"
    # 3,600 × 0.10 / 360 = 1.00 a day.
    assert la.overdue.projected_extra[30] == D("30.00")


@pytest.mark.parametrize(
    ("lender_type", "contract", "regime", "cap", "upper"),
    [
        ("private", "2024-11-01", "private", "0.1240", False),
        ("private", None, "private", "0.24", True),
        ("private", "2019-06-01", "private", "0.24", True),
        ("bank", None, "licensed", "0.24", False),
        ("microloan", "2025-01-01", "licensed", "0.24", False),
        ("other", "2025-01-01", "unknown", "0.24", True),
    ],
)
def test_cap_per_regime(
    lender_type: str, contract: str | None, regime: str, cap: str, upper: bool
) -> None:
    loan = {"lender_name": "X", "lender_type": lender_type, "principal": "1000"}
    if contract:
        loan["contract_date"] = contract
    la = analyse(load_case(_case(loan))).loans[0]
    assert la.regime == regime
    assert (
        la.caps.cap is not None and la.caps.cap.rate == D(cap) and la.caps.cap.upper_bound is upper
    )


def test_lpr_after_last_verified_is_noted() -> None:
    loan = {
        "lender_name": "X",
        "lender_type": "private",
        "principal": "1000",
        "contract_date": "2031-01-01",
    }
    la = analyse(load_case(_case(loan, as_of="2031-06-01"))).loans[0]
    assert la.caps.cap is not None and la.caps.cap.lpr_after_last_verified
    assert la.caps.cap.note is not None and "latest known LPR" in la.caps.cap.note


def test_rate_excess_uses_the_higher_charged_rate() -> None:
    # Private loan of 2025-06-01 (cap 12 %); contract 10 % but the statement charges 15 %.
    case = _case(
        {
            "lender_name": "X",
            "lender_type": "private",
            "principal": "10000",
            "contract_date": "2025-06-01",
            "rate": {"value": "0.10", "unit": "annual"},
            "charged_rate": {"value": "0.15", "unit": "annual"},
        }
    )
    report = advise(case)
    assert _one(report, "FEE_RATE_ABOVE_PRIVATE_CAP").data["rate_excess_per_year"] == "300.00"
    assert _one(report, "FEE_UNILATERAL_CHANGE").data["rate_increase"] == "0.05"


def test_english_messages_render() -> None:
    case = _case(
        {
            "lender_name": "Lender",
            "lender_type": "private",
            "principal": "10000",
            "received": "9000",
            "contract_date": "2025-06-01",
            "rate": {"value": "0.30", "unit": "annual"},
            "term_months": 12,
        }
    )
    report = advise(case, lang="en")
    messages = [f.message for f in report.findings if f.category == "fee"]
    assert messages and all("{" not in m for m in messages)
    assert any("CNY 1,000.00" in m for m in messages)
