"""Facts about the proposed agreement (one per case that has one).

Every comparison between two figures (instalments against the total, the balance identities,
the written rate against the schedule, each month against the budget) is made in
:mod:`negotiator.analysis.agreement`; the fact carries the answers as yes/no fields or counts,
and the figures themselves as fields or extras for the messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..analysis import CaseAnalysis
from ..analysis.agreement import RATE_TOLERANCE
from ..calc.caps import Regime
from ..case.models import AccountKind, AgreementForm, LenderType, PartyKind
from .schema import Fact, FactKind, Field, FieldType, choice, extra, flag, integer, money, rate

__all__ = ["AGREEMENT", "KINDS", "derive"]

_ID_STATES = ("missing", "valid", "length", "format", "checksum", "birth_date")
_USCC_STATES = ("missing", "valid", "length", "format", "checksum")
_PARTY_WORDS: dict[str, tuple[str, str]] = {
    PartyKind.LENDER.value: ("贷款机构", "the lender"),
    PartyKind.COLLECTION_AGENCY.value: ("催收机构", "a collection agency"),
    PartyKind.INDIVIDUAL.value: ("个人", "a private person"),
    PartyKind.PLATFORM.value: ("平台", "a platform"),
}

AGREEMENT = FactKind(
    name="agreement",
    doc="The proposed repayment agreement: what it states, whether its figures agree with each "
    "other, and whether its schedule fits the borrower's budget.",
    fields={
        "form": choice("paper, e_contract, email, chat or phone_only", AgreementForm),
        "written": flag("a written form: paper, e-contract or e-mail (民法典 469)"),
        "borrower_name_given": flag("the borrower's name is written"),
        "borrower_id": choice(
            "the borrower's 身份证号: missing, valid, or what is wrong with it "
            "(length, format, checksum, birth_date)",
            _ID_STATES,
        ),
        "borrower_id_area_listed": Field(
            FieldType.BOOL,
            "a valid 身份证号's area code is in the GB/T 2260 list (absent when not valid)",
        ),
        "lender_name_given": flag("the lending party's name is written"),
        "lender_kind": choice("what the creditor party is", PartyKind),
        "lender_party_ok": flag(
            "the creditor party is the lender itself (or, for a private loan, the lending person)"
        ),
        "lender_uscc": choice(
            "the lender's 统一社会信用代码: missing, valid, or what is wrong with it", _USCC_STATES
        ),
        "contract_ref_given": flag("the original contract number is written"),
        "amounts_missing": integer(
            "how many of loan amount, contract rate, repaid, remaining and total are missing",
            required=True,
        ),
        "instalments": integer("number of instalments listed", required=True),
        "instalments_incomplete": integer("instalments lacking a date or an amount", required=True),
        "instalments_zero": integer("instalments whose amount is 0", required=True),
        "dates_out_of_order": integer("instalments dated before an earlier one", required=True),
        "dates_duplicated": integer("dates used by more than one instalment", required=True),
        "dates_before_agreement": integer(
            "instalments dated before the agreement date", required=True
        ),
        "waiver_negotiated": flag("a waiver was discussed"),
        "waived_given": flag("the amount waived is written"),
        "breach_clause_given": flag("the agreement says what happens if an instalment is missed"),
        "cure_days": integer("grace days before a late instalment is a breach"),
        "borrower_signed": flag("signed by the borrower"),
        "lender_signed": flag("signed or sealed by the lender"),
        "date_given": flag("the agreement date is written"),
        "credit_reporting_given": flag("how the plan is reported to 征信 is written"),
        "allocation_order_given": flag("the order payments are applied in is written"),
        "repayment_account": choice("where payments go", AccountKind),
        "sum_mismatch": flag("the instalments do not add up to the agreed total (to the fen)"),
        "instalments_sum": money("sum of the instalments, when every amount is written"),
        "total": money("the agreed total, when written"),
        "plan_short": flag("the plan pays less than remaining − waived"),
        "waiver_exceeds_balance": flag("the amount waived is larger than the remaining balance"),
        "breakdown_mismatch": flag(
            "principal + interest + penalty + fees does not match the remaining balance"
        ),
        "principal_unaccounted": flag(
            "remaining (or remaining principal) + repaid is less than the amount lent"
        ),
        "principal_above_loan": flag("the remaining principal is larger than the loan amount"),
        "plan_rate_given": flag("a rate for the plan period is written"),
        "rate_checked": flag("the schedule's implied rate could be computed"),
        "rate_mismatch": flag(
            "the written plan rate (0 when none) and the implied rate differ by more than the "
            "tolerance"
        ),
        "stated_rate": rate("the plan rate as written, simple annual"),
        "implied_rate": rate("the nominal annual rate the schedule implies"),
        "budget_checked": flag("the budget is known and every instalment is complete"),
        "unaffordable": flag(
            "some month asks more than the affordable amount left after other lenders' "
            "scheduled payments, and savings beyond the reserve do not cover it"
        ),
        "exceeds_disposable": flag("some month asks more than the whole disposable income"),
        "counter_possible": flag("a fitting schedule of at most the maximum length exists"),
        "shortfall": money("the largest amount by which one month exceeds what the budget leaves"),
        "third_party_contact_consent": flag("the text lets the lender contact third parties"),
        "excludes_borrower_rights": flag("standard terms exclude the borrower's main rights"),
        "limitation_may_have_expired": flag(
            "more than 3 years passed since the last known event on the loan"
        ),
        "above_claimed": money("plan payments above the loan's claimed balance (the ledger)"),
        "above_lawful": money("plan payments above the loan's lawful balance (the ledger)"),
        "clawback": flag("a late payment revives the waived amounts or the original terms"),
        "private_lender": flag("the loan it settles is from a private person"),
        "below_usual_minimum": flag(
            "a regular instalment (any but the last) to a licensed lender is below "
            "`instalment_usual_minimum`"
        ),
        "beyond_usual_term": flag(
            "the plan with a licensed lender has more than `instalments_max` instalments"
        ),
        "regime": choice("cap regime of the loan it settles (unknown if none matches)", Regime),
        "payee": choice(
            "the named payee is the lender itself, someone else, or not named",
            ("lender", "other", "unknown"),
        ),
    },
    extras={
        "usual_minimum": extra("money", "parameter: the usual minimum instalment"),
        "smallest_instalment": extra("money", "the smallest regular instalment (all but the last)"),
        "missing_amounts": extra("list", "keys of the missing amounts"),
        "missing_amounts_zh": extra("list", "the missing amounts, in Chinese"),
        "missing_amounts_en": extra("list", "the missing amounts, in English"),
        "incomplete_instalments": extra("list", "numbers of instalments lacking date or amount"),
        "zero_instalments": extra("list", "numbers of instalments whose amount is 0"),
        "out_of_order_instalments": extra("list", "numbers of instalments out of date order"),
        "duplicate_dates": extra("list", "dates used twice"),
        "early_instalments": extra("list", "numbers of instalments before the agreement date"),
        "agreement_date": extra("date", "the agreement date"),
        "sum_difference": extra("money", "instalments' sum − total"),
        "sum_gap": extra("money", "the size of that difference"),
        "loan_amount": extra("money", "loan amount"),
        "repaid": extra("money", "amount repaid"),
        "remaining": extra("money", "remaining balance before the waiver"),
        "waived": extra("money", "amount waived (0 when no waiver)"),
        "settled_balance": extra("money", "remaining − waived"),
        "plan_payments": extra("money", "what the plan pays in all"),
        "plan_shortfall": extra("money", "remaining − waived − plan payments"),
        "breakdown_sum": extra("money", "principal + interest + penalty + fees, as written"),
        "principal": extra("money", "remaining principal as written"),
        "principal_floor": extra("money", "amount lent − repaid: what must at least be owed"),
        "rate_tolerance": extra("rate", "largest accepted gap between written and implied rate"),
        "affordable_monthly": extra("money", "what a plan may ask per month"),
        "disposable": extra("money", "income − essential expenses − other debt payments"),
        "worst_month": extra("text", "the month that exceeds the budget most (YYYY-MM)"),
        "worst_amount": extra("money", "what the agreement asks in that month"),
        "worst_room": extra("money", "what the budget leaves in that month"),
        "other_due": extra("money", "other lenders' scheduled payments in that month"),
        "claimed_total": extra("money", "the loan's claimed balance (the ledger)"),
        "lawful_total": extra("money", "the loan's lawful balance, at most (the ledger)"),
        "share": extra("money", "the monthly budget the plan gives this lender"),
        "savings_available": extra("money", "savings beyond the emergency reserve"),
        "counter_months": extra("int", "instalments of the counter-proposal"),
        "counter_largest": extra("money", "largest instalment of the counter-proposal"),
        "counter_first_due": extra("date", "first due date of the counter-proposal"),
        "max_months": extra("int", "longest plan proposed"),
        "lender_name": extra("text", "the creditor party's name as written"),
        "lender_kind_zh": extra("text", "what the creditor party is, in Chinese"),
        "lender_kind_en": extra("text", "what the creditor party is, in English"),
        "cure_days_shown": extra("int", "grace days as written"),
        "limitation_runs_from": extra("date", "the last known event on the loan"),
        "account_holder": extra("text", "the payee named in the agreement"),
        "loan_lender_name": extra("text", "the lender of the loan it settles"),
        "breach_clause": extra("text", "the breach clause as written"),
    },
)

KINDS = (AGREEMENT,)


def _count(values: tuple[Any, ...]) -> int:
    return len(values)


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    x = a.agreement
    if x is None:
        return
    g = x.agreement
    aff = x.affordability
    counter = aff.counter if aff is not None else None
    worst = aff.worst if aff is not None else None
    la = next((la for la in a.loans if la.id == x.loan_id), None)
    regime = la.regime if la is not None else "unknown"
    loan_lender = la.loan.lender_name if la is not None else None
    minimum = a.params.decimal("instalment_usual_minimum")
    regular = [i.amount for i in g.instalments[:-1] if i.amount is not None and i.amount > 0]
    smallest = min(regular) if regular else None
    id_state = "missing" if g.borrower.id_number is None else (x.borrower_id.problem or "valid")
    uscc_state = "missing" if g.lender.uscc is None else (x.lender.uscc_problem or "valid")
    values: dict[str, Any] = {
        "form": g.form.value,
        "written": x.written,
        "borrower_name_given": g.borrower.name is not None,
        "borrower_id": id_state,
        "borrower_id_area_listed": x.borrower_id.area_listed,
        "lender_name_given": g.lender.name is not None,
        "lender_kind": g.lender.kind.value,
        "lender_party_ok": x.lender.party_ok,
        "lender_uscc": uscc_state,
        "contract_ref_given": g.contract_ref is not None,
        "amounts_missing": len(x.missing_amounts),
        "instalments": len(g.instalments),
        "instalments_incomplete": _count(x.schedule.incomplete),
        "instalments_zero": _count(x.schedule.zero_amounts),
        "dates_out_of_order": _count(x.schedule.out_of_order),
        "dates_duplicated": _count(x.schedule.duplicate_dates),
        "dates_before_agreement": _count(x.schedule.before_agreement),
        "waiver_negotiated": g.waiver_negotiated,
        "waived_given": g.waived is not None,
        "breach_clause_given": g.breach_clause is not None,
        "cure_days": g.cure_days,
        "borrower_signed": g.borrower_signed,
        "lender_signed": g.lender_signed,
        "date_given": g.date is not None,
        "credit_reporting_given": g.credit_reporting is not None,
        "allocation_order_given": g.allocation_order is not None,
        "repayment_account": g.repayment_account.value,
        "sum_mismatch": x.schedule.difference is not None and x.schedule.difference != 0,
        "instalments_sum": x.schedule.instalments_sum,
        "total": g.total,
        "plan_short": x.balance.plan_shortfall is not None
        and x.balance.settled_balance is not None
        and x.balance.settled_balance >= 0,
        "waiver_exceeds_balance": x.balance.settled_balance is not None
        and x.balance.settled_balance < 0,
        "breakdown_mismatch": x.balance.breakdown_mismatch,
        "principal_unaccounted": x.balance.principal_unaccounted,
        "principal_above_loan": x.balance.principal_above_loan,
        "plan_rate_given": g.plan_rate is not None,
        "rate_checked": x.rate.checked,
        "rate_mismatch": x.rate.mismatch,
        "stated_rate": x.rate.stated,
        "implied_rate": x.rate.implied,
        "budget_checked": aff is not None,
        "unaffordable": aff is not None and aff.unaffordable,
        "exceeds_disposable": aff is not None and aff.unaffordable and aff.exceeds_disposable,
        "counter_possible": counter is not None and counter.possible,
        "shortfall": aff.shortfall if aff is not None and aff.unaffordable else None,
        "third_party_contact_consent": g.third_party_contact_consent,
        "excludes_borrower_rights": g.excludes_borrower_rights,
        "limitation_may_have_expired": x.limitation.may_have_expired,
        "above_claimed": x.ledger.above_claimed,
        "above_lawful": x.ledger.above_lawful,
        "clawback": x.clawback,
        "private_lender": x.lender_type is LenderType.PRIVATE,
        "below_usual_minimum": x.lender_type is not LenderType.PRIVATE
        and smallest is not None
        and smallest < minimum,
        "beyond_usual_term": x.lender_type is not LenderType.PRIVATE
        and len(g.instalments) > a.params.integer("instalments_max"),
        "regime": regime,
        "payee": x.payee,
    }
    kind_zh, kind_en = _PARTY_WORDS[g.lender.kind.value]
    extras: dict[str, Any] = {
        "missing_amounts": list(x.missing_amounts),
        "missing_amounts_zh": x.missing_amount_words("zh-Hans"),
        "missing_amounts_en": x.missing_amount_words("en"),
        "incomplete_instalments": list(x.schedule.incomplete),
        "zero_instalments": list(x.schedule.zero_amounts),
        "out_of_order_instalments": list(x.schedule.out_of_order),
        "duplicate_dates": list(x.schedule.duplicate_dates),
        "early_instalments": list(x.schedule.before_agreement),
        "agreement_date": g.date,
        "sum_difference": x.schedule.difference,
        "sum_gap": abs(x.schedule.difference) if x.schedule.difference is not None else None,
        "loan_amount": g.loan_amount,
        "repaid": g.repaid,
        "remaining": g.remaining,
        "waived": x.balance.waived,
        "settled_balance": x.balance.settled_balance,
        "plan_payments": x.balance.plan_payments,
        "plan_shortfall": x.balance.plan_shortfall,
        "breakdown_sum": x.balance.breakdown_sum,
        "principal": g.principal,
        "principal_floor": x.balance.principal_floor,
        "rate_tolerance": RATE_TOLERANCE,
        "affordable_monthly": aff.affordable_monthly if aff is not None else None,
        "disposable": aff.disposable if aff is not None else None,
        "worst_month": f"{worst.year:04d}-{worst.month:02d}" if worst is not None else None,
        "worst_amount": worst.amount if worst is not None else None,
        "worst_room": worst.room if worst is not None else None,
        "other_due": worst.other_due if worst is not None else None,
        "savings_available": aff.savings_available if aff is not None else None,
        "counter_months": counter.months if counter is not None and counter.possible else None,
        "counter_largest": counter.largest if counter is not None else None,
        "counter_first_due": counter.rows[0].due if counter is not None and counter.rows else None,
        "max_months": a.params.integer("instalments_max"),
        "usual_minimum": minimum,
        "smallest_instalment": smallest,
        "lender_name": g.lender.name,
        "lender_kind_zh": kind_zh,
        "lender_kind_en": kind_en,
        "cure_days_shown": g.cure_days,
        "limitation_runs_from": x.limitation.runs_from,
        "claimed_total": x.ledger.claimed_total,
        "lawful_total": x.ledger.lawful_total,
        "share": x.ledger.share,
        "account_holder": g.account_holder,
        "loan_lender_name": loan_lender,
        "breach_clause": g.breach_clause,
    }
    yield Fact(kind="agreement", id="agreement", subject="agreement", values=values, extras=extras)
