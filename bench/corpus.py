"""A fixed, generated corpus of typical cases for the benchmarks, the batch tests and the soak.

A *typical* case, as legal-aid services see them: one borrower with a budget and a hardship,
three overdue online loans (each with two or three fees and a few collection contacts) and a
proposed twelve-instalment repayment agreement for the first loan.  Amounts, dates, lender
types, fee kinds and collector conduct vary with a seeded random generator, so a run is
reproducible byte for byte: the same ``seed`` and ``n`` always give the same file.

Usage::

    python bench/corpus.py 10000 -o /tmp/corpus.jsonl        # JSON lines, one case a line
    python bench/corpus.py 3 --pretty                          # look at a few cases

In code: ``from corpus import make_case, cases``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

__all__ = ["AS_OF", "SEED", "cases", "make_case", "write_jsonl"]

#: Every generated case describes the situation on this day (so reports are reproducible).
AS_OF = dt.date(2025, 11, 20)
SEED = 20251120

_LENDERS = [
    ("某某消费金融有限公司", "consumer_finance", "消费分期"),
    ("某某网络小额贷款有限公司", "microloan", "借呗类"),
    ("某某商业银行股份有限公司", "bank_via_platform", "某某借款App"),
    ("某某银行股份有限公司", "bank", "信用贷"),
    ("某某小额贷款有限公司", "microloan", "急用钱"),
]
_FEES = [
    ("guarantee", "upfront"),
    ("service", "periodic"),
    ("membership", "upfront"),
    ("insurance", "periodic"),
    ("late_fee", "on_overdue"),
    ("consulting", "upfront"),
]
_CHANNELS = ["phone", "sms", "instant_message", "app"]
_TARGETS = ["borrower", "borrower", "borrower", "relative", "employer", "contact_list"]
_CONDUCT = [
    [],
    [],
    [],
    ["insult"],
    ["threat"],
    ["disclosed_debt"],
    ["demanded_personal_account"],
    ["impersonating_authority"],
]


def _yuan(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _money(rng: random.Random, low: int, high: int, step: int = 100) -> Decimal:
    return Decimal(rng.randrange(low, high + 1, step))


def _add_months(day: dt.date, months: int) -> dt.date:
    # Days 1-28 only, so the arithmetic is never ambiguous.
    y, m = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + y, m + 1, day.day)


def _loan(rng: random.Random, index: int) -> dict[str, Any]:
    name, lender_type, platform = _LENDERS[(index + rng.randrange(len(_LENDERS))) % len(_LENDERS)]
    principal = _money(rng, 3000, 50000)
    term = rng.choice([6, 12, 12, 24])
    contract_date = AS_OF - dt.timedelta(days=rng.randrange(200, 900))
    contract_date = contract_date.replace(day=min(contract_date.day, 28))
    fees = []
    upfront_total = Decimal(0)
    for kind, timing in rng.sample(_FEES, rng.choice([2, 3])):
        if timing == "upfront":
            amount = (principal * Decimal(rng.choice([3, 5, 8, 10])) / 100).quantize(Decimal(1))
            upfront_total += amount
        elif timing == "periodic":
            amount = (principal * Decimal(rng.choice([1, 2])) / 100).quantize(Decimal(1))
        else:
            amount = _money(rng, 50, 500, 10)
        fee: dict[str, Any] = {"kind": kind, "amount": _yuan(amount), "charged": timing}
        if timing == "periodic":
            fee["periods"] = term
        if rng.random() < 0.7:
            fee["disclosed"] = rng.random() < 0.5
        fees.append(fee)
    rate_unit, rate_value = rng.choice(
        [("annual", "0.18"), ("annual", "0.239"), ("daily", "0.0005"), ("monthly", "0.02")]
    )
    overdue_since = AS_OF - dt.timedelta(days=rng.randrange(20, 400))
    repaid = (principal * Decimal(rng.randrange(5, 60)) / 100).quantize(Decimal(1))
    outstanding = principal - repaid + (principal * Decimal(rng.randrange(5, 40)) / 100)
    contacts = []
    for _ in range(rng.randrange(2, 6)):
        at = dt.datetime.combine(
            AS_OF - dt.timedelta(days=rng.randrange(1, 60)),
            dt.time(rng.choice([7, 9, 12, 15, 19, 21, 23]), rng.randrange(60)),
        )
        contact: dict[str, Any] = {
            "at": at.isoformat(timespec="minutes"),
            "channel": rng.choice(_CHANNELS),
            "target": rng.choice(_TARGETS),
            "calls": rng.choice([1, 1, 2, 5]),
            "evidence": rng.random() < 0.6,
        }
        conduct = rng.choice(_CONDUCT)
        if conduct:
            contact["conduct"] = conduct
        contacts.append(contact)
    loan: dict[str, Any] = {
        "id": f"L{index + 1}",
        "lender_name": name,
        "lender_type": lender_type,
        "platform": platform,
        "principal": _yuan(principal),
        "contract_date": contract_date.isoformat(),
        "rate": {"value": rate_value, "unit": rate_unit, "basis": 360},
        "interest_agreed": True,
        "term_months": term,
        "fees": fees,
        "repaid": _yuan(repaid),
        "outstanding": _yuan(outstanding),
        "overdue_since": overdue_since.isoformat(),
        "late_fees": _yuan(_money(rng, 0, 800, 10)),
        "collection_contacts": contacts,
    }
    if upfront_total and rng.random() < 0.5:
        loan["received"] = _yuan(principal - upfront_total)
    return loan


def _agreement(rng: random.Random, loan: dict[str, Any]) -> dict[str, Any]:
    outstanding = Decimal(loan["outstanding"])
    waived = (outstanding * Decimal(rng.choice([0, 5, 10, 20])) / 100).quantize(Decimal(1))
    total = outstanding - waived
    each = (total / 12).quantize(Decimal("0.01"))
    first = _add_months(AS_OF.replace(day=rng.randrange(1, 29)), 1)
    instalments = []
    for i in range(12):
        amount = each if i < 11 else total - each * 11
        instalments.append({"due": _add_months(first, i).isoformat(), "amount": _yuan(amount)})
    agreement: dict[str, Any] = {
        "form": rng.choice(["paper", "e_contract", "chat", "email"]),
        "loan": loan["id"],
        "lender": {"name": loan["lender_name"], "kind": "lender"},
        "remaining": _yuan(outstanding),
        "total": _yuan(total),
        "waiver_negotiated": bool(waived),
        "instalments": instalments,
        "repayment_account": rng.choice(["official_company", "in_app", "personal", "unknown"]),
        "borrower_signed": False,
        "lender_signed": rng.random() < 0.5,
        "date": AS_OF.isoformat(),
    }
    if waived:
        agreement["waived"] = _yuan(waived)
    if rng.random() < 0.6:
        agreement["cure_days"] = rng.choice([0, 3, 7, 15])
    if rng.random() < 0.15:
        agreement["deposit_required"] = _yuan(_money(rng, 200, 2000))
    if rng.random() < 0.7:
        agreement["credit_reporting"] = "按协议履行期间不再上报新的逾期记录"
    return agreement


def make_case(rng: random.Random) -> dict[str, Any]:
    """One typical case as plain data (what a case file holds)."""
    income = _money(rng, 3000, 15000)
    expenses = (income * Decimal(rng.randrange(40, 90)) / 100).quantize(Decimal(1))
    borrower: dict[str, Any] = {
        "monthly_income": _yuan(income),
        "income_stability": rng.choice(["stable", "unstable", "unknown"]),
        "essential_expenses": _yuan(expenses),
        "dependents": rng.randrange(0, 4),
        "employment": rng.choice(["employed", "unemployed", "self_employed"]),
        "hardships": [
            {
                "kind": rng.choice(["unemployment", "illness", "income_drop", "family_event"]),
                "since": (AS_OF - dt.timedelta(days=rng.randrange(60, 500))).isoformat(),
                "evidence": rng.sample(["medical_records", "pay_slips", "bank_statements"], 1),
            }
        ],
        "documents": rng.sample(
            ["loan_contract", "repayment_records", "statement", "bank_statements", "id_card"],
            rng.randrange(1, 5),
        ),
    }
    if rng.random() < 0.4:
        borrower["savings"] = _yuan(_money(rng, 0, 5000))
    loans = [_loan(rng, i) for i in range(3)]
    return {
        "as_of": AS_OF.isoformat(),
        "borrower": borrower,
        "loans": loans,
        "agreement": _agreement(rng, loans[0]),
        "lawsuit": rng.choice(["none", "none", "threatened"]),
    }


def cases(n: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """``n`` cases, always the same ones for the same ``seed``."""
    rng = random.Random(seed)
    for _ in range(n):
        yield make_case(rng)


def write_jsonl(path: str, n: int, seed: int = SEED) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for case in cases(n, seed):
            out.write(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of cases")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("-o", "--output", help="write JSON lines here (default: stdout)")
    parser.add_argument("--pretty", action="store_true", help="indented JSON, for reading")
    args = parser.parse_args(argv)
    if args.output:
        write_jsonl(args.output, args.n, args.seed)
        return 0
    for case in cases(args.n, args.seed):
        indent = 2 if args.pretty else None
        sep = None if args.pretty else (",", ":")
        sys.stdout.write(json.dumps(case, ensure_ascii=False, indent=indent, separators=sep) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
