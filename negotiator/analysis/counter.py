"""A counter-proposal the borrower can afford, and the list of changes to ask the lender for.

:func:`propose_schedule` lays out an agreed total as monthly instalments that fit the borrower's
budget month by month:

* every amount is in fen and the amounts add up **exactly** to the total;
* in every month the instalment is at most that month's room — the affordable monthly amount
  less what other lenders in the case are already scheduled to collect that month;
* the plan is as **short** as the budget allows (each month could take its full room), and,
  within that length, as **level** as possible: every month pays the same amount ``L`` (or
  ``L`` − 1 fen, the odd fen paid last, as :func:`negotiator.calc.budget.split_total` lays it
  out) except months whose room is below ``L``, which pay their whole room;
* months without any room get no instalment; no instalment is zero;
* due dates are one calendar month apart on the first date's day of the month (a day after the
  28th is brought back to the 28th so that every month has it), and are moved off Chinese
  public holidays and weekends within the same month (:mod:`negotiator.holidays`); a year the
  calendar data does not cover is left unmoved and flagged.

When no schedule of at most ``max_months`` instalments fits — the budget leaves nothing, or too
little — the result says why and carries no rows: it never invents a plan the borrower cannot
keep.

>>> p = propose_schedule(Decimal("10000"), dt.date(2026, 3, 15), Decimal("1800"))
>>> p.possible, p.months, [str(r.amount) for r in p.rows]
(True, 6, ['1666.66', '1666.66', '1666.67', '1666.67', '1666.67', '1666.67'])
>>> sum(r.amount for r in p.rows)
Decimal('10000.00')
>>> propose_schedule(Decimal("10000"), dt.date(2026, 3, 15), Decimal("0")).reason
'no_room'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import attrs

from ..calc.budget import split_total
from ..calc.dates import monthly_dates
from ..errors import InputError
from ..holidays import adjust_due_date
from ..money import ZERO, fen, from_fen, to_fen

__all__ = [
    "NOT_PRIVATE",
    "PRIVATE_TEXTS",
    "REQUEST_TEXTS",
    "CounterProposal",
    "CounterRow",
    "Request",
    "applies",
    "make_request",
    "path_schedule",
    "propose_schedule",
]

#: Month keys are (year, month).
Month = tuple[int, int]


@attrs.frozen
class CounterRow:
    number: int
    due: dt.date
    amount: Decimal
    #: The month's room (affordable amount less other lenders' scheduled payments).
    room: Decimal
    moved_from: dt.date | None = None
    calendar_known: bool = True
    holiday_zh: str | None = None
    holiday_en: str | None = None


@attrs.frozen
class CounterProposal:
    """A fitting monthly schedule for ``total``, or the reason there is none."""

    total: Decimal
    rows: tuple[CounterRow, ...]
    #: None when possible; else "nothing_to_pay", "no_room" (nothing is affordable in any
    #: month) or "too_long" (more than ``max_months`` instalments would be needed).
    reason: str | None
    max_months: int
    monthly_room: Decimal

    @property
    def possible(self) -> bool:
        return self.reason is None

    @property
    def months(self) -> int:
        return len(self.rows)

    @property
    def largest(self) -> Decimal | None:
        return max((r.amount for r in self.rows), default=None)

    @property
    def calendar_complete(self) -> bool:
        """Every due date lies in a year the holiday calendar knows."""
        return all(r.calendar_known for r in self.rows)


def offer_schedule(
    monthly: Decimal,
    count: int,
    last: Decimal,
    first_due: dt.date,
    *,
    max_months: int = 60,
    move_off_holidays: bool = True,
) -> CounterProposal:
    """The plan's offer (``count`` payments: ``monthly`` each, the last ``last``) as dated rows.

    This is the schedule "前N期X元、末期Y元" that the plan and the letters both state
    (:class:`negotiator.calc.ledger.Offer`); due dates are monthly from ``first_due`` (a day
    every month has), moved off weekends and holidays like :func:`propose_schedule`.
    """
    if count < 1:
        raise InputError("count", "must be at least 1")
    total = to_fen(monthly * (count - 1) + last)
    start = first_due if first_due.day <= 28 else first_due.replace(day=28)
    each, final = to_fen(monthly), to_fen(last)
    rows: list[CounterRow] = []
    for k, due in enumerate(_monthly(start, count)):
        amount = final if k == count - 1 else each
        if move_off_holidays:
            adj = adjust_due_date(due)
            row = CounterRow(
                k + 1,
                adj.due,
                amount,
                each,
                adj.moved_from,
                adj.known,
                adj.holiday_zh,
                adj.holiday_en,
            )
        else:
            row = CounterRow(number=k + 1, due=due, amount=amount, room=each)
        rows.append(row)
    return CounterProposal(total, tuple(rows), None, max_months, to_fen(monthly))


def path_schedule(
    total: Decimal,
    first_due: dt.date,
    room: Callable[[Month], Decimal],
    *,
    extra: Mapping[Month, Decimal] | None = None,
    max_months: int = 60,
    move_off_holidays: bool = True,
) -> CounterProposal:
    """``total`` paid month by month along a budget path: each month pays its whole room (cut
    to whole yuan) plus any one-off sum expected that month (``extra``), until the total is
    paid; the last payment carries the rest, fen included.  Months without room are skipped.

    This is the plan's schedule when the room is not the same every month (income expected
    from a later month, a one-off sum, other lenders' fixed payments): "what fits now until
    then, what fits after".  With the same room every month it is exactly
    :func:`offer_schedule` of :func:`negotiator.calc.ledger.offer_for`.  When the total is not
    paid within ``max_months`` months the result has no rows and the reason ``too_long`` (or
    ``no_room``), like :func:`propose_schedule`.

    >>> p = path_schedule(Decimal("5000"), dt.date(2026, 12, 20),
    ...                   lambda m: Decimal("500") if m < (2027, 3) else Decimal("2000"))
    >>> [str(r.amount) for r in p.rows]
    ['500.00', '500.00', '500.00', '2000.00', '1500.00']
    """
    if not total.is_finite() or total < 0 or to_fen(total) != total:
        raise InputError("total", "must be a non-negative amount to the fen")
    if max_months < 1:
        raise InputError("max_months", "must be at least 1")
    lumps = extra or {}
    start = first_due if first_due.day <= 28 else first_due.replace(day=28)
    dates = _monthly(start, max_months)
    left = to_fen(total)
    rows: list[CounterRow] = []
    first_room = ZERO
    for k, due in enumerate(dates):
        if left <= 0:
            break
        key = (due.year, due.month)
        month_room = max(ZERO, room(key)).quantize(Decimal(1), rounding=ROUND_FLOOR)
        month_room = to_fen(month_room + lumps.get(key, ZERO))
        if k == 0:
            first_room = month_room
        amount = min(month_room, left)
        if amount <= 0:
            continue
        left -= amount
        rows.append(_row(len(rows) + 1, due, amount, month_room, move_off_holidays))
    if to_fen(total) == 0:
        return CounterProposal(to_fen(total), (), "nothing_to_pay", max_months, first_room)
    if left > 0:
        reason = "too_long" if rows else "no_room"
        return CounterProposal(to_fen(total), (), reason, max_months, first_room)
    return CounterProposal(to_fen(total), tuple(rows), None, max_months, first_room)


def _row(number: int, due: dt.date, amount: Decimal, room: Decimal, move: bool) -> CounterRow:
    """Instalment ``number`` due on ``due`` (moved off a weekend or holiday when ``move``)."""
    if not move:
        return CounterRow(number=number, due=due, amount=amount, room=room)
    adj = adjust_due_date(due)
    return CounterRow(
        number,
        adj.due,
        amount,
        room,
        adj.moved_from,
        adj.known,
        adj.holiday_zh,
        adj.holiday_en,
    )


def _monthly(start: dt.date, n: int) -> list[dt.date]:
    """``n`` monthly dates from ``start`` (day ≤ 28, so the day exists in every month)."""
    index = start.year * 12 + start.month - 1
    if (index + n) // 12 > 9999:
        return monthly_dates(start, n)  # raises the usual error
    return [dt.date((index + k) // 12, (index + k) % 12 + 1, start.day) for k in range(n)]


def _water_fill(total: int, rooms: list[int]) -> list[int]:
    """Amounts (fen) for ``rooms`` summing to ``total``: level, capped by each room.

    Requires ``sum(rooms) >= total > 0``.  Finds the least level ``L`` with
    ``Σ min(room, L) >= total``; months with room < L pay their room, the others share the rest
    by :func:`split_total` (so they pay L or L − 1 fen, the larger amounts last).
    """
    if min(rooms) == max(rooms):  # every month has the same room: level to the fen
        return [fen(x) for x in split_total(from_fen(total), len(rooms))]
    lo, hi = 1, max(rooms)
    while lo < hi:
        mid = (lo + hi) // 2
        if sum(min(r, mid) for r in rooms) >= total:
            hi = mid
        else:
            lo = mid + 1
    level = lo
    capped = [r < level for r in rooms]
    rest = total - sum(r for r, c in zip(rooms, capped, strict=True) if c)
    free = sum(1 for c in capped if not c)
    shares = iter(split_total(from_fen(rest), free)) if free else iter(())
    return [r if c else fen(next(shares)) for r, c in zip(rooms, capped, strict=True)]


def _rooms(
    dates: Sequence[dt.date],
    room_fen: int,
    others: Mapping[Month, Decimal],
    room_from: Sequence[tuple[Month, Decimal]],
) -> list[int]:
    """Each month's room in fen: the monthly room (from each month of the budget path on, the
    amount given there) less what other lenders collect that month, never below 0."""
    if room_from:
        steps = sorted((m, fen(to_fen(max(ZERO, r)))) for m, r in room_from)

        def base(d: dt.date) -> int:
            out = room_fen
            for m, r in steps:
                if m <= (d.year, d.month):
                    out = r
            return out

        return [max(0, base(d) - fen(others.get((d.year, d.month), ZERO))) for d in dates]
    return [
        max(0, room_fen - fen(others[d.year, d.month])) if (d.year, d.month) in others else room_fen
        for d in dates
    ]


def propose_schedule(
    total: Decimal,
    first_due: dt.date,
    monthly_room: Decimal,
    other_due: Mapping[Month, Decimal] | None = None,
    *,
    max_months: int = 60,
    move_off_holidays: bool = True,
    room_from: Sequence[tuple[Month, Decimal]] = (),
) -> CounterProposal:
    """The shortest, most level monthly schedule of ``total`` that fits (see the module notes).

    ``monthly_room`` is what the borrower can pay in a month with no other lender to pay;
    ``other_due`` maps (year, month) to what other lenders are scheduled to collect in that
    month; ``room_from`` is the budget path — from each (year, month) on, the monthly room
    becomes the amount given (income expected from a later month).  Raises
    :class:`InputError` for a negative or sub-fen total or ``max_months`` < 1.
    """
    if not total.is_finite() or total < 0 or to_fen(total) != total:
        raise InputError("total", "must be a non-negative amount to the fen")
    if max_months < 1:
        raise InputError("max_months", "must be at least 1")
    others = other_due or {}
    room = to_fen(monthly_room) if monthly_room > 0 else ZERO

    def result(rows: tuple[CounterRow, ...], reason: str | None) -> CounterProposal:
        return CounterProposal(to_fen(total), rows, reason, max_months, room)

    cents = fen(total)
    if cents == 0:
        return result((), "nothing_to_pay")
    if room <= 0 and all(r <= 0 for _m, r in room_from):
        return result((), "no_room")
    start = first_due if first_due.day <= 28 else first_due.replace(day=28)
    dates = _monthly(start, max_months)
    rooms = _rooms(dates, fen(room), others, room_from)
    running, needed = 0, 0
    for k, r in enumerate(rooms):
        running += r
        if running >= cents:
            needed = k + 1
            break
    if needed == 0:
        return result((), "no_room" if running == 0 else "too_long")
    amounts = _water_fill(cents, rooms[:needed])
    rows: list[CounterRow] = []
    for due, amount, r in zip(dates[:needed], amounts, rooms[:needed], strict=True):
        if amount == 0:
            continue
        rows.append(_row(len(rows) + 1, due, from_fen(amount), from_fen(r), move_off_holidays))
    return result(tuple(rows), None)


# ---------------------------------------------------------------------------------------------
# What to ask the lender to add or change
# ---------------------------------------------------------------------------------------------

#: Stable request keys → (zh-Hans, en).  Letters and reports may use the key to pick their own
#: wording; these texts are the defaults.
REQUEST_TEXTS: Mapping[str, tuple[str, str]] = {
    "written_confirmation": (
        "请把商定的全部条款以书面形式（纸质协议、电子合同或电子邮件）发给我确认。",
        "Please send me every agreed term in writing (a paper agreement, an e-contract or an "
        "e-mail) for confirmation.",
    ),
    "borrower_name": (
        "请在协议中写明借款人的姓名。",
        "Please state the borrower's full name in the agreement.",
    ),
    "borrower_id": (
        "请在协议中写明借款人的身份证号码。",
        "Please state the borrower's identity card number in the agreement.",
    ),
    "borrower_id_check": (
        "协议中的身份证号码校验不通过，请核对并更正。",
        "The identity card number in the agreement fails its check; please verify and correct it.",
    ),
    "lender_name": (
        "请写明贷款机构（出借方）的法定全称。",
        "Please state the full legal name of the lending institution.",
    ),
    "lender_entity": (
        "协议的债权方应是贷款机构本身，而不是催收公司、平台或个人；请由贷款机构作为一方签署。",
        "The creditor party must be the lending institution itself, not a collector, a platform "
        "or a private person; please have the lender sign as the party.",
    ),
    "lender_uscc_check": (
        "协议中的统一社会信用代码校验不通过，请核对并更正。",
        "The unified social credit code in the agreement fails its check; please correct it.",
    ),
    "contract_ref": (
        "请写明原借款合同的编号（或订单号）。",
        "Please state the number of the original loan contract (or the order number).",
    ),
    "amounts": (
        "请补充写明以下金额或利率：借款金额、原合同利率、已还金额、剩余未还金额及应还总额中缺少的各项。",
        "Please add the missing figures among: the loan amount, the contract rate, the amount "
        "repaid, the remaining balance and the agreed total.",
    ),
    "schedule": (
        "请列明每一期的还款日期和金额。",
        "Please list the date and the amount of every instalment.",
    ),
    "schedule_sum": (
        "各期金额之和与应还总额不一致，请更正到分。",
        "The instalments do not add up to the agreed total; please correct them to the fen.",
    ),
    "schedule_dates": (
        "还款日期应按先后排列、不重复，且不早于协议日期；请更正。",
        "Instalment dates must be in order, not repeated and not before the agreement date; "
        "please correct them.",
    ),
    "schedule_amounts": (
        "每一期金额都应大于零；如某月暂停还款，请在协议中写明。",
        "Every instalment must be a positive amount; if a month is a payment holiday, please "
        "say so in the agreement.",
    ),
    "balance_plan": (
        "分期合计少于减免后的余额，差额请写明为减免，以免日后被追讨。",
        "The instalments total less than the balance after the waiver; please record the "
        "difference as waived so that it cannot be claimed later.",
    ),
    "balance_breakdown": (
        "本金、利息、罚息和费用的明细与剩余金额对不上，请核对。",
        "The split into principal, interest, penalty interest and fees does not match the "
        "remaining balance; please check it.",
    ),
    "balance_principal": (
        "借款金额、已还金额与剩余本金或剩余金额对不上，请核对并说明。",
        "The loan amount, the amount repaid and the remaining principal or balance do not "
        "reconcile; please check and explain.",
    ),
    "plan_rate": (
        "协议写明的分期利率与还款计划实际体现的年化成本不一致，请写明真实的年化利率及各项费用。",
        "The rate written for the plan differs from the annualised cost its schedule implies; "
        "please state the true annual rate and every fee.",
    ),
    "waiver_terms": (
        "请写明减免的项目和金额。",
        "Please state what is waived and the amount waived.",
    ),
    "breach_clause": (
        "请写明某一期未按时还款时如何处理。",
        "Please state what happens if an instalment is paid late or missed.",
    ),
    "cure_period": (
        "希望约定逾期宽限期（例如 3–5 天），宽限期内还款不视为违约。",
        "I ask for a grace period (for example 3–5 days) during which a late instalment is not "
        "a breach.",
    ),
    "lender_signature": (
        "请贷款机构在协议上签字或加盖公章（电子合同为电子签章）。",
        "Please have the lender sign or seal the agreement (an electronic seal for an e-contract).",
    ),
    "date": (
        "请写明协议的签订日期。",
        "Please state the date of the agreement.",
    ),
    "credit_reporting": (
        "请写明还款期间及结清后如何向征信系统报送。",
        "Please state how the plan and its completion will be reported to the credit reference "
        "system.",
    ),
    "allocation_order": (
        "请写明每笔还款按什么顺序冲抵费用、利息和本金（未写明时依法先抵费用、再抵利息、最后抵本金）。",
        "Please state the order in which each payment goes to fees, interest and principal (by "
        "default the law applies it to costs first, then interest, then principal).",
    ),
    "payment_channel": (
        "请写明官方还款渠道：贷款机构的对公账户或官方 App。",
        "Please state the official repayment channel: the lender's company account or its "
        "official app.",
    ),
    "official_account": (
        "还款只付到贷款机构的对公账户或官方 App，不付到个人账户；请更改收款账户。",
        "I will only pay into the lender's company account or through its official app, never "
        "into a personal account; please change the payee account.",
    ),
    "payee_is_lender": (
        "协议写的收款人不是出借人本人：请出借人书面确认收款账户，或改为出借人本人名下的账户；确认之前我不会转账。",
        "The payee named in the agreement is not the lender: please confirm the account in "
        "writing, or name an account in the lender's own name; I will pay nothing until then.",
    ),
    "no_deposit": (
        "请删除先交保证金或手续费才能减免的条件。",
        "Please remove the condition that a deposit or fee be paid before the waiver applies.",
    ),
    "no_third_party_consent": (
        "请删除允许联系我的亲友、同事或通讯录联系人的条款。",
        "Please remove the clause allowing contact with my relatives, colleagues or contacts.",
    ),
    "no_unfair_terms": (
        "请删除排除或限制借款人主要权利的格式条款。",
        "Please remove the standard terms that exclude or restrict the borrower's main rights.",
    ),
    "affordable_schedule": (
        "目前每期金额超出我的还款能力，请按附后的分期方案调整。",
        "The instalments exceed what I can pay; please adjust them to the schedule attached.",
    ),
}


#: Requests that do not apply to an individual lender: individuals report nothing to 征信, and
#: repaying a private lender into his own account is normal (a payee who is not the lender is
#: a red flag of its own, ``scam.personal-account.private-payee``).
NOT_PRIVATE = frozenset({"credit_reporting", "official_account"})

#: The requests worded for an individual lender: no 公章, App or company account.
PRIVATE_TEXTS: Mapping[str, tuple[str, str]] = {
    "lender_name": (
        "请写明出借人的姓名（与身份证一致）。",
        "Please state the lender's full name as on the identity card.",
    ),
    "lender_signature": (
        "请出借人在协议上签字。",
        "Please sign the agreement.",
    ),
    "payment_channel": (
        "请写明还款账户：出借人本人名下的银行账户（户名、开户银行、账号）。",
        "Please state the repayment account: a bank account in the lender's own name (holder, "
        "bank, number).",
    ),
}


@attrs.frozen
class Request:
    """One change to ask the lender for: a stable key, its figures, and whom it is worded for.

    ``private`` words it for an individual lender (no 公章, App or company account).
    """

    key: str
    figures: Mapping[str, Any] = attrs.field(factory=dict)
    private: bool = False

    def text(self, index: int) -> str:
        """The request in Chinese (``index`` 0) or English (1)."""
        texts = PRIVATE_TEXTS.get(self.key) if self.private else None
        return (texts or REQUEST_TEXTS[self.key])[index]

    @property
    def zh(self) -> str:
        """The request in Chinese."""
        return self.text(0)

    @property
    def en(self) -> str:
        """The request in English."""
        return self.text(1)


def applies(key: str, *, private: bool) -> bool:
    """Whether a request applies at all: individuals report nothing to 征信, and paying a
    private lender into his own account is normal."""
    return not (private and key in NOT_PRIVATE)


def make_request(key: str, *, private: bool = False, **figures: Any) -> Request:
    if key not in REQUEST_TEXTS:
        raise KeyError(key)
    return Request(key, figures, private)
