"""The reply to a lender's repayment proposal (回复对方的还款方案): accept it with the changes the
agreement check asks for, or answer it with a counter-offer.

Every figure is read from the analysis, never worked out here:

* the proposal and its evaluation — the plan's offer for the loan in ``counter`` mode
  (:class:`negotiator.analysis.plan.LenderOffer` with its ``on_table``
  :class:`~negotiator.analysis.plan.OfferEvaluation`): affordable against the borrower's share of
  the budget? above the claimed or the lawful balance (the ledger)?
* the counter-offer — the same plan offer's whole-yuan figures ("前N期X元、末期Y元", the lender's
  total cut to the lawful balance, paid at the borrower's share), which is what the plan's
  ``STRATEGY_OFFER_ON_TABLE`` advice states; the rows are only dated here
  (:func:`negotiator.analysis.counter.offer_schedule`, due dates off weekends and holidays);
* the changes — the agreement check's request list
  (:attr:`negotiator.analysis.agreement.AgreementAnalysis.requests`).

The reply works when the proposal carries red flags (a personal account, a deposit before the
waiver, a breach clause that revives the waiver): those elements are *declined* by key
(:data:`DECLINES`) and the template words the refusal; the flagged instruction itself (the
payee, the deposit amount) is never printed as something the borrower will do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from ..analysis import CaseAnalysis
from ..analysis.agreement import AgreementAnalysis
from ..analysis.counter import REQUEST_TEXTS, offer_schedule
from ..analysis.plan import LenderOffer
from ..calc.dates import add_months
from ..case.models import AccountKind, Case, LenderType
from ..errors import InputError
from ..money import ZERO
from .agreement_draft import CURE_DAYS
from .proposal import PlanLine, agreement_is_for
from .views import loan_index

__all__ = ["DECISIONS", "DECLINES", "ReplyView", "reply_date", "reply_view"]

#: What the reply does with the proposal.
#: ``accept`` — affordable, not above the lawful balance: accept with the changes;
#: ``counter`` — unaffordable, above the lawful balance, or its figures unknown: counter-offer;
#: ``pause`` — the budget leaves nothing for this lender: no instalment can be promised.
DECISIONS = ("accept", "counter", "pause")

#: Red flags the reply declines, worded by the template (never restated as the borrower's act):
#: ``personal_account`` (a licensed lender's payee is a person), ``third_party_payee`` (a private
#: lender's payee is someone else), ``payment_app`` (the text routes money to a person or app),
#: ``deposit`` (a deposit or fee before the waiver), ``clawback`` (the breach clause revives the
#: waived amounts or the original terms), ``third_party_contact`` and ``unfair_terms``.
DECLINES = (
    "personal_account",
    "third_party_payee",
    "payment_app",
    "deposit",
    "clawback",
    "third_party_contact",
    "unfair_terms",
)

#: Request keys the reply words itself (as a decline, in the breach-clause paragraph, or as the
#: counter-offer), instead of the check's default text.
_OWN_WORDING = frozenset(
    {
        "official_account",
        "no_deposit",
        "no_third_party_consent",
        "no_unfair_terms",
        "affordable_schedule",
        "breach_clause",
        "cure_period",
        "payment_channel",
        "payee_is_lender",
    }
)
#: Requests that do not apply to an individual lender (no 征信 reporting).
_NOT_PRIVATE = frozenset({"credit_reporting"})
#: The requests worded to the company itself (贵司), where the check's default speaks of it.
_COMPANY_TEXTS: Mapping[str, tuple[str, str]] = {
    "lender_name": ("请在协议中写明贵司的法定全称。", "Please state your full legal name."),
    "lender_entity": (
        "协议的债权方应是贵司本身，而不是催收公司、平台或个人；请由贵司作为一方签署。",
        "The creditor party must be you, the lender, not a collector, a platform or a private "
        "person; please sign as the party.",
    ),
    "lender_signature": (
        "请贵司在协议上签字并加盖公章（电子合同为电子签章）。",
        "Please sign and seal the agreement (an electronic seal for an e-contract).",
    ),
}
#: The requests worded for an individual lender: no 公章, App or company wording.
_PRIVATE_TEXTS: Mapping[str, tuple[str, str]] = {
    "lender_name": (
        "请写明出借人的姓名（与身份证一致）。",
        "Please state the lender's full name as on the identity card.",
    ),
    "lender_entity": (
        "协议的出借方应是您本人，而不是他人或中介；请由您本人作为一方签字。",
        "The lender party must be you yourself, not another person or an agent; please sign "
        "as the party.",
    ),
    "lender_signature": ("请您在协议上签字。", "Please sign the agreement."),
}


@attrs.frozen
class ReplyView:
    """What the reply says, all figures from the analysis (see the module notes)."""

    decision: str  # one of DECISIONS
    received: bool  # the case holds the proposal (otherwise the letter has fill-ins for it)
    offered_on: dt.date | None  # the proposal's date
    # --- the proposal, as the lender made it ------------------------------------------------
    table_remaining: Decimal | None  # the balance before the waiver it states
    table_waived: Decimal  # the waiver in it
    table_total: Decimal | None  # what it asks in all
    table_count: int  # its instalments
    table_text_zh: str | None  # 每月X元，共N期 / 前N期每月X元、末期Y元 (when it has that shape)
    table_text_en: str | None
    table_largest: Decimal | None
    table_first_due: dt.date | None
    table_last_due: dt.date | None
    # --- measured against the budget and the ledger ------------------------------------------
    share: Decimal | None  # the borrower's monthly budget for this lender
    affordable: bool | None
    claimed_total: Decimal | None  # the ledger's claimed balance
    lawful_total: Decimal | None  # the ledger's lawful balance (an upper bound)
    lawful_estimated: bool  # the lawful balance is an estimate, not a stated figure
    above_lawful: Decimal  # the proposal's total above the lawful balance (0: not above)
    above_claimed: Decimal  # the proposal's total above the lender's own claim
    # --- the counter-offer (decision "counter") ------------------------------------------------
    counter_total: Decimal | None
    counter_text_zh: str | None
    counter_text_en: str | None
    counter_rows: tuple[PlanLine, ...]
    counter_too_long: bool  # more instalments than the plan's usual maximum
    max_instalments: int
    # --- the changes and the declines --------------------------------------------------------
    changes: tuple[str, ...]  # worded requests from the check (in the letter's language)
    declines: tuple[str, ...]  # keys of DECLINES
    breach_missing: bool  # the proposal says nothing about a late payment
    cure_days: int  # the grace period to ask for (the proposal's own, or CURE_DAYS)
    cure_given: bool  # the proposal already grants a grace period
    waiver: bool  # the proposal waives something (so a reviving clause matters)
    reserve: bool  # carry the reservation of rights (disputed total or above the lawful)
    own_account_ok: bool  # a private lender repaid into his own account: say so, plainly
    channel_missing: bool  # the proposal names no repayment channel: ask for one
    budget_known: bool  # the case states income and essential spending


def _missing_amounts(x: AgreementAnalysis, lang: str) -> str:
    """The check's ``amounts`` request, naming the figures the proposal leaves out."""
    words = x.missing_amount_words(lang)
    if lang == "en":
        return f"Please state in the agreement: {', '.join(words)}."
    return f"请在协议中写明{'、'.join(words)}。"


def reply_date(case: Case, analysis: CaseAnalysis, loan_id: str, day: dt.date) -> dt.date:
    """The reply is dated on or after the proposal it answers."""
    ag = case.agreement
    if ag is not None and agreement_is_for(analysis, loan_id) and ag.date is not None:
        return max(day, ag.date)
    return day


def _offer(analysis: CaseAnalysis, loan_id: str) -> LenderOffer | None:
    return next((o for o in analysis.plan.offers if o.loan_id == loan_id), None)


def _first_due(day: dt.date, table_first: dt.date | None) -> dt.date:
    """The counter-offer keeps the lender's first due date when it is still ahead; otherwise
    one month after the letter (on a day every month has)."""
    if table_first is not None and table_first > day:
        return table_first if table_first.day <= 28 else table_first.replace(day=28)
    return add_months(dt.date(day.year, day.month, min(day.day, 28)), 1)


def reply_view(
    case: Case,
    analysis: CaseAnalysis,
    loan_id: str,
    day: dt.date,
    lang: str,
    *,
    disputed: bool = False,
) -> ReplyView:
    """The reply to the proposal on the table for ``loan_id``, dated ``day``.

    Raises :class:`InputError` when the proposal is already signed by both sides: a signed
    agreement is kept to, not answered (the action plan carries its payment calendar).
    """
    from ..facts.scam import personal_payment_field

    loan = case.loans[loan_index(analysis, loan_id)]
    private = loan.lender_type is LenderType.PRIVATE
    x: AgreementAnalysis | None = (
        analysis.agreement if agreement_is_for(analysis, loan_id) else None
    )
    ag = x.agreement if x is not None else None
    if ag is not None and ag.borrower_signed and ag.lender_signed:
        raise InputError(
            "agreement",
            "the agreement is signed by both sides: there is no proposal left to answer. Keep "
            "to it; the action plan lists every payment date and what to do if one slips",
        )
    o = _offer(analysis, loan_id)
    table = o.on_table if o is not None else None
    index = 1 if lang == "en" else 0

    # --- the decision ---------------------------------------------------------------------
    share = table.share if table is not None else (o.share.monthly if o is not None else None)
    above_lawful = table.above_lawful if table is not None else ZERO
    above_claimed = table.above_claimed if table is not None else ZERO
    budget_known = analysis.budget.known
    # without a known budget nothing can be said to fit or not: affordability is unknown
    affordable = table.affordable if table is not None and budget_known else None
    if not budget_known:
        share = None
    if (
        table is not None
        and table.total is not None
        and affordable is True
        and above_lawful == ZERO
    ):
        decision = "accept"
    elif o is not None and o.offer is not None:
        decision = "counter"
    elif o is not None and o.share.monthly <= ZERO and analysis.budget.known:
        decision = "pause"
    else:
        decision = "counter"

    # --- the proposal's own figures -------------------------------------------------------
    dated = [i.due for i in ag.instalments if i.due is not None] if ag is not None else []
    table_first = min(dated) if dated else None
    table_last = max(dated) if dated else None
    shaped = table.offer if table is not None else None

    # --- the counter-offer (the plan's figures, dated) ------------------------------------
    rows: tuple[PlanLine, ...] = ()
    counter = o.offer if o is not None and decision == "counter" else None
    max_n = analysis.plan.capacity.instalments_max
    if counter is not None:
        plan = offer_schedule(
            counter.monthly,
            counter.count,
            counter.last,
            _first_due(day, table_first),
            max_months=max_n,
        )
        rows = tuple(PlanLine(r.number, r.due, r.amount) for r in plan.rows)

    # --- ledger -----------------------------------------------------------------------------
    la = analysis.loans[loan_index(analysis, loan_id)]
    lawful_fig = la.ledger.lawful.total if la.ledger is not None else None
    claimed = la.ledger.claimed.total.amount if la.ledger is not None else None

    # --- red flags, declined ----------------------------------------------------------------
    declines: list[str] = []
    own_ok = False
    if ag is not None:
        if private:
            # the check compares the named payee with the lender (payee_state)
            if x is not None and x.payee == "other":
                declines.append("third_party_payee")
            else:
                own_ok = True
        elif ag.repayment_account is AccountKind.PERSONAL:
            declines.append("personal_account")
        elif personal_payment_field(case) is not None:
            declines.append("payment_app")
        if ag.deposit_required is not None and ag.deposit_required > 0:
            declines.append("deposit")
        if x is not None and x.clawback:
            declines.append("clawback")
        if ag.third_party_contact_consent:
            declines.append("third_party_contact")
        if ag.excludes_borrower_rights:
            declines.append("unfair_terms")

    # --- the changes the check asks for ---------------------------------------------------
    texts = {**REQUEST_TEXTS, **(_PRIVATE_TEXTS if private else _COMPANY_TEXTS)}
    keys = [r.key for r in x.requests] if x is not None else ["written_confirmation"]
    changes = tuple(
        _missing_amounts(x, lang) if k == "amounts" and x is not None else texts[k][index]
        for k in dict.fromkeys(keys)
        if k not in _OWN_WORDING and not (private and k in _NOT_PRIVATE)
    )
    cure_given = ag is not None and bool(ag.cure_days)
    cure = ag.cure_days if ag is not None and ag.cure_days else CURE_DAYS
    waiver = ag is not None and ((ag.waived or ZERO) > 0 or ag.waiver_negotiated)
    return ReplyView(
        decision=decision,
        received=ag is not None,
        offered_on=ag.date if ag is not None else None,
        table_remaining=ag.remaining if ag is not None else None,
        table_waived=table.waived if table is not None else ZERO,
        table_total=table.total if table is not None else None,
        table_count=table.count if table is not None else 0,
        table_text_zh=shaped.text() if shaped is not None else None,
        table_text_en=shaped.text("en") if shaped is not None else None,
        table_largest=table.largest if table is not None else None,
        table_first_due=table_first,
        table_last_due=table_last,
        share=share if share is not None and share > 0 else None,
        affordable=affordable,
        claimed_total=claimed,
        lawful_total=lawful_fig.amount if lawful_fig is not None else None,
        lawful_estimated=lawful_fig is not None and lawful_fig.is_estimate,
        above_lawful=above_lawful,
        above_claimed=above_claimed,
        counter_total=counter.total if counter is not None else None,
        counter_text_zh=counter.text() if counter is not None else None,
        counter_text_en=counter.text("en") if counter is not None else None,
        counter_rows=rows,
        counter_too_long=counter is not None and counter.count > max_n,
        max_instalments=max_n,
        changes=changes,
        declines=tuple(declines),
        breach_missing=ag is None or ag.breach_clause is None,
        cure_days=cure,
        cure_given=cure_given,
        waiver=waiver,
        reserve=disputed or above_lawful > ZERO,
        own_account_ok=own_ok,
        channel_missing=ag is None or ag.repayment_account is AccountKind.UNKNOWN,
        budget_known=budget_known,
    )
