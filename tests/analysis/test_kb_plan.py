"""The figures behind the knowledge base: outlook, lender order, split, lump sum, checklist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources

import pytest

from negotiator.analysis import analyse
from negotiator.analysis.checklist import evidence_gaps, official_contacts
from negotiator.analysis.plan import CostBasis, Outlook, months_until
from negotiator.basis.params import load_parameters, parse_parameters
from negotiator.case.load import load_case
from negotiator.case.models import EvidenceKind, HardshipKind

AS_OF = dt.date(2026, 11, 20)
KB_PARAMETERS = (
    "safety_margin",
    "short_term_months",
    "long_overdue_days",
    "emergency_reserve_months",
    "emergency_reserve_months_min",
    "emergency_reserve_share",
    "lump_sum_minimum",
    "instalments_typical_max",
    "instalments_max",
    "instalment_usual_minimum",
    "hold_request_days",
)


def case(borrower=None, loans=None, **extra):
    data = {
        "as_of": AS_OF,
        "borrower": borrower or {},
        "loans": loans
        or [
            {
                "lender_name": "甲消费金融有限公司",
                "lender_type": "consumer_finance",
                "principal": "10000",
                "overdue_since": dt.date(2026, 10, 1),
            }
        ],
    }
    data.update(extra)
    return load_case(data)


def loan(name, principal, *, daily=None, since=dt.date(2026, 10, 1), **more):
    out = {
        "lender_name": name,
        "lender_type": "microloan",
        "principal": principal,
        "overdue_since": since,
    }
    if daily is not None:
        out["penalty_rate"] = {"value": daily, "unit": "daily"}
    out.update(more)
    return out


# --- months and parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "months"),
    [
        (dt.date(2026, 11, 20), 0),
        (dt.date(2026, 11, 1), 0),
        (dt.date(2026, 12, 20), 1),
        (dt.date(2026, 12, 21), 2),
        (dt.date(2027, 5, 20), 6),
        (dt.date(2027, 5, 21), 7),
    ],
)
def test_months_until_counts_a_started_month_as_a_month(end, months):
    assert months_until(AS_OF, end) == months


def test_every_knowledge_base_threshold_is_a_documented_parameter():
    params = load_parameters()
    for name in KB_PARAMETERS:
        entry = params.entries[name]
        assert entry.unit and entry.doc.strip() and entry.reference.strip(), name


def test_figures_of_practice_are_dated():
    params = load_parameters()
    for name in ("instalments_max", "instalment_usual_minimum"):
        assert params.entries[name].as_of == dt.date(2026, 11, 20), name
        assert "practice" in params.entries[name].reference, name


def test_a_parameter_date_must_be_a_date():
    from negotiator.errors import RuleFileError

    text = '[param.x]\nvalue = 1\nunit = "yuan"\ndoc = "d"\nreference = "r"\nas_of = "soon"\n'
    with pytest.raises(RuleFileError, match="as_of"):
        parse_parameters(text)
    assert parse_parameters(text.replace('"soon"', "2026-11-20")).entries["x"].as_of == AS_OF


def _params_with(name: str, value: str):
    text = (resources.files("negotiator.rules") / "parameters.toml").read_text(encoding="utf-8")
    marker = f"[param.{name}]\nvalue = "
    start = text.index(marker) + len(marker)
    end = text.index("\n", start)
    return parse_parameters(text[:start] + value + text[end:])


# --- outlook -----------------------------------------------------------------------------------


def _hardship(end):
    return {"hardships": [{"kind": "unemployment", "expected_end": end}]}


def test_a_hardship_ending_within_the_horizon_is_short_term():
    plan = analyse(case(_hardship(dt.date(2027, 3, 1)))).plan
    assert (
        plan.prospects.outlook,
        plan.prospects.outlook_reason,
        plan.prospects.recovery_months,
    ) == (
        Outlook.SHORT_TERM,
        "hardship_ends",
        4,
    )


def test_a_hardship_ending_after_the_horizon_is_long_term():
    plan = analyse(case(_hardship(dt.date(2027, 8, 1)))).plan
    assert (
        plan.prospects.outlook,
        plan.prospects.outlook_reason,
        plan.prospects.recovery_months,
    ) == (
        Outlook.LONG_TERM,
        "hardship_later",
        9,
    )


def test_the_short_term_horizon_is_read_from_the_parameters():
    c = case(_hardship(dt.date(2027, 8, 1)))
    assert analyse(c, params=_params_with("short_term_months", "12")).plan.prospects.outlook is (
        Outlook.SHORT_TERM
    )


def test_a_stable_income_that_clears_the_debt_in_three_years_is_short_term():
    borrower = {
        "monthly_income": "5000",
        "essential_expenses": "4000",
        "income_stability": "stable",
    }
    plan = analyse(case(borrower)).plan
    assert plan.capacity.instalments == 12  # 10000 / 900
    assert (plan.prospects.outlook, plan.prospects.outlook_reason) == (
        Outlook.SHORT_TERM,
        "budget_fits",
    )


def test_a_budget_that_needs_more_than_36_payments_is_long_term_even_with_a_stable_income():
    borrower = {
        "monthly_income": "5000",
        "essential_expenses": "4800",
        "income_stability": "stable",
    }
    plan = analyse(case(borrower)).plan
    assert plan.capacity.instalments == 56  # 10000 / 180
    assert (plan.prospects.outlook, plan.prospects.outlook_reason) == (
        Outlook.LONG_TERM,
        "budget_short",
    )
    assert plan.capacity.fits_max and not plan.capacity.fits_typical


def test_an_unstable_income_with_nothing_else_known_is_long_term():
    plan = analyse(case({"income_stability": "unstable"})).plan
    assert (plan.prospects.outlook, plan.prospects.outlook_reason) == (
        Outlook.LONG_TERM,
        "income_unstable",
    )


def test_with_nothing_known_the_outlook_is_unknown():
    assert analyse(case()).plan.prospects.outlook is Outlook.UNKNOWN


def test_no_capacity_needs_a_known_budget_known_savings_and_no_recovery_in_sight():
    base = {"monthly_income": "2000", "essential_expenses": "2000", "savings": "0"}
    assert analyse(case(base)).plan.prospects.no_capacity
    assert not analyse(
        case({k: v for k, v in base.items() if k != "savings"})
    ).plan.prospects.no_capacity
    assert not analyse(case(base | _hardship(dt.date(2027, 1, 1)))).plan.prospects.no_capacity


# --- lenders: order and split ------------------------------------------------------------------


def test_lenders_are_ordered_by_cost_and_unknown_costs_come_last_by_balance():
    loans = [
        loan("甲", "10000", daily="0.0003"),
        loan("乙", "5000"),
        loan("丙", "3000", daily="0.0008"),
        loan("丁", "9000"),
    ]
    plan = analyse(case({}, loans)).plan
    assert [o.lender_name for o in plan.offers] == ["丙", "甲", "丁", "乙"]
    assert [o.cost.rank for o in plan.offers] == [1, 2, 3, 4]
    # Ranked by the recoverable rate accruing now (the ledger): 丙 8‱ a day × 365 = 29.2 %,
    # capped at 24 %; 甲 3‱ × 365 = 10.95 %.
    assert plan.offers[0].cost.basis is CostBasis.ACCRUING
    assert plan.offers[0].cost.rate == Decimal("0.24")
    assert plan.offers[1].cost.rate == Decimal("0.0003") * 365
    assert plan.offers[2].cost.basis is CostBasis.UNKNOWN
    assert not plan.situation.costs_known


def test_the_affordable_amount_is_split_pro_rata_to_the_fen_with_the_odd_fen_to_the_costlier():
    borrower = {"monthly_income": "1100", "essential_expenses": "1000"}  # 100 → 90 a month
    loans = [loan("甲", "1000", daily="0.0005"), loan("乙", "1000", daily="0.001")]
    loans.append(loan("丙", "1000", daily="0.0002"))
    plan = analyse(case(borrower, loans)).plan
    assert plan.capacity.affordable_monthly == Decimal("90.00")
    # 90 / 3 = 30 each exactly
    assert [o.share.monthly for o in plan.offers] == [Decimal("30.00")] * 3
    borrower = {"monthly_income": "1101", "essential_expenses": "1000"}  # 101 → 90.9 → 90
    plan = analyse(case(borrower, loans)).plan
    assert sum(o.share.monthly for o in plan.offers) == plan.capacity.affordable_monthly
    uneven = [loan("甲", "2000", daily="0.0005"), loan("乙", "1000", daily="0.001")]
    plan = analyse(case({"monthly_income": "1100", "essential_expenses": "1000"}, uneven)).plan
    # 90 × 1000/3000 = 30.00 (乙, costliest first); 90 × 2000/3000 = 60.00
    assert [(o.lender_name, o.share.monthly) for o in plan.offers] == [
        ("乙", Decimal("30.00")),
        ("甲", Decimal("60.00")),
    ]
    split = [loan("甲", "1000", daily="0.0005"), loan("乙", "2000", daily="0.001")]
    borrower = {"monthly_income": "1000.01", "essential_expenses": "900"}
    plan = analyse(case(borrower, split)).plan
    assert plan.capacity.affordable_monthly == Decimal("90.00")
    assert sum(o.share.monthly for o in plan.offers) == Decimal("90.00")


def test_each_lender_gets_the_payments_its_share_needs():
    borrower = {"monthly_income": "6000", "essential_expenses": "3500"}
    loans = [loan("甲", "21000", daily="0.0005"), loan("乙", "8600", daily="0.001")]
    offers = analyse(case(borrower, loans)).plan.offers
    # 2,250 a month split 8,600 : 21,000 in whole yuan → 653.72 / 1,596.28: 653 and 1,596,
    # the yuan left over to the larger remainder (乙).
    assert [(o.lender_name, o.share.monthly, o.share.instalments) for o in offers] == [
        ("乙", Decimal("654"), 14),
        ("甲", Decimal("1596"), 14),
    ]
    # 8,600 − 13 × 654 = 98; 21,000 − 13 × 1,596 = 252
    assert [o.offer.text() for o in offers if o.offer] == [
        "前13期每月654.00元、末期98.00元",
        "前13期每月1,596.00元、末期252.00元",
    ]


# --- lump sum ----------------------------------------------------------------------------------


def test_the_lump_sum_keeps_the_reserve_and_goes_to_the_costliest_lender_first():
    borrower = {"monthly_income": "5000", "essential_expenses": "3000", "savings": "20000"}
    loans = [loan("甲", "30000", daily="0.0003"), loan("乙", "5000", daily="0.001")]
    a = analyse(case(borrower, loans))
    # reserve = max(3 × 3000, 30 % × 20000) = 9000 → 11000 spare
    assert a.budget.savings.emergency_reserve == Decimal("9000.00")
    assert a.plan.capacity.lump_sum == Decimal("11000.00")
    assert [(o.lender_name, o.share.lump_sum) for o in a.plan.offers] == [
        ("乙", Decimal("5000")),
        ("甲", Decimal("6000")),
    ]
    assert a.plan.offers[0].share.instalments_after_lump == 0


HARD = {"monthly_income": "5000", "essential_expenses": "3000", "savings": "8000"}


@pytest.mark.parametrize(
    ("end", "months", "lump"),
    [
        (dt.date(2027, 1, 5), 1, "5000.00"),  # one whole month left: a month's reserve
        (dt.date(2027, 1, 20), 2, "2000.00"),  # two whole months left
        (dt.date(2026, 12, 1), 1, "5000.00"),  # under a month: never below the minimum
        (dt.date(2027, 3, 1), 3, "0"),  # three or more months: the full reserve
        (dt.date(2028, 1, 1), 3, "0"),
    ],
)
def test_the_reserve_follows_a_dated_hardship_and_frees_a_lump_sum(end, months, lump):
    borrower = HARD | {"hardships": [{"kind": "unemployment", "expected_end": end}]}
    a = analyse(case(borrower))
    assert a.budget.savings.reserve_months == months
    assert a.budget.savings.reserve_reason == ("hardship_ends" if months < 3 else "standard")
    assert a.budget.savings.emergency_reserve == Decimal(3000 * months).quantize(Decimal("0.01"))
    assert a.plan.capacity.lump_sum == Decimal(lump)


@pytest.mark.parametrize(
    "hardships",
    [
        [],  # no hardship: the standard reserve
        [{"kind": "illness"}],  # no end date
        [{"kind": "illness", "expected_end": dt.date(2027, 1, 5)}, {"kind": "income_drop"}],
    ],
)
def test_an_undated_or_absent_hardship_keeps_the_full_reserve(hardships):
    a = analyse(case(HARD | {"hardships": hardships}))
    assert (a.budget.savings.reserve_months, a.budget.savings.reserve_reason) == (3, "standard")
    assert a.plan.capacity.lump_sum == 0


def test_a_short_hardship_keeps_the_full_reserve_when_income_does_not_cover_the_essentials():
    borrower = HARD | {
        "essential_expenses": "5200",
        "hardships": [{"kind": "unemployment", "expected_end": dt.date(2027, 1, 5)}],
    }
    a = analyse(case(borrower))
    assert a.budget.savings.reserve_months == 3
    assert a.plan.capacity.lump_sum == 0


def test_the_short_term_example_offers_a_partial_lump_sum():
    from pathlib import Path

    a = analyse(load_case(Path(__file__).resolve().parents[2] / "examples" / "short_term.toml"))
    # new job on 2027-01-05, one whole month after 2026-11-20: reserve 2,200, 1,800 to pay now
    assert (a.budget.savings.reserve_months, a.budget.savings.emergency_reserve) == (
        1,
        Decimal("2200.00"),
    )
    assert a.plan.capacity.lump_sum == Decimal("1800.00")
    assert a.plan.capacity.instalments_after_lump == a.plan.offers[0].share.instalments_after_lump


def test_a_lump_sum_below_the_minimum_is_not_proposed():
    borrower = {"monthly_income": "5000", "essential_expenses": "3000", "savings": "9050"}
    assert analyse(case(borrower)).plan.capacity.lump_sum == 0


def test_no_lump_sum_without_knowing_the_expenses():
    assert analyse(case({"savings": "50000"})).plan.capacity.lump_sum == 0


def test_restructuring_figures():
    borrower = {"monthly_income": "3000", "essential_expenses": "2800"}
    plan = analyse(case(borrower, [loan("乙", "30000")])).plan
    assert (plan.capacity.max_payable, plan.capacity.reduction_needed) == (
        Decimal("10800.00"),
        Decimal("19200.00"),
    )
    assert not plan.capacity.fits_max


def test_long_overdue_starts_at_the_parameter():
    at = analyse(case({}, [loan("甲", "1000", since=AS_OF - dt.timedelta(days=90))])).plan
    before = analyse(case({}, [loan("甲", "1000", since=AS_OF - dt.timedelta(days=89))])).plan
    assert (at.situation.long_overdue, before.situation.long_overdue) == (True, False)


# --- checklist ---------------------------------------------------------------------------------


def test_illness_needs_both_the_records_and_the_bills():
    gaps = evidence_gaps(HardshipKind.ILLNESS, [EvidenceKind.MEDICAL_RECORDS])
    assert [g.key for g in gaps] == ["illness.medical_bills"]
    assert (
        evidence_gaps(
            HardshipKind.ILLNESS, [EvidenceKind.MEDICAL_RECORDS, EvidenceKind.MEDICAL_BILLS]
        )
        == []
    )


def test_unemployment_is_proved_by_either_certificate():
    for proof in (EvidenceKind.TERMINATION_CERTIFICATE, EvidenceKind.UNEMPLOYMENT_CERTIFICATE):
        assert evidence_gaps(HardshipKind.UNEMPLOYMENT, [proof]) == []
    assert evidence_gaps(HardshipKind.UNEMPLOYMENT, [EvidenceKind.PAY_SLIPS])


def test_a_loan_not_yet_overdue_is_not_asked_for_penalty_figures():
    c = case({}, [loan("甲", "1000", since=None, outstanding="1000", interest_agreed=False)])
    debt = analyse(c).plan.checklist[0]
    assert debt.item == "debt_details" and debt.done


def test_official_contact_is_recognised_by_channel_or_by_who_answered():
    loans = [loan("甲消费金融有限公司", "1000", id="A"), loan("乙小额贷款有限公司", "1000", id="B")]
    history = [
        {
            "date": dt.date(2026, 11, 1),
            "kind": "contact",
            "channel": "phone",
            "counterpart": "催收员",
        },
        {"date": dt.date(2026, 11, 2), "kind": "contact", "channel": "app", "loan": "B"},
    ]
    c = case({}, loans, history=history)
    a = analyse(c)
    assert official_contacts(c, a.loans) == {"A": False, "B": True}
    history[0]["counterpart"] = "甲消费金融有限公司客服"
    c = case({}, loans, history=history)
    assert official_contacts(c, analyse(c).loans) == {"A": True, "B": True}
