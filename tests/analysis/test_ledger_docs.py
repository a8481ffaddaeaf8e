"""docs/ledger.md: every worked example prints what the doc says, and its key figures are
recomputed here independently (closed-form amortisation and plain arithmetic)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest

from negotiator.analysis.loans import LoanAnalysis, analyse_loan
from negotiator.case.load import load_case
from negotiator.case.models import Case

D = Decimal
DOC = (Path(__file__).resolve().parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")
EXAMPLES = dict(
    re.findall(r"### Example `(\w+)`.*?```toml\n(.*?)```", DOC, re.S),
)
TABLES = {
    name: dict(re.findall(r"^\| ([\w.]+(?: \(yearly\))?) \| ([^|]+?) \|", body, re.M))
    for name, body in re.findall(r"### Example `(\w+)`(.*?)(?=### Example|\Z)", DOC, re.S)
}


def fen(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def ledger_of(name: str) -> tuple[LoanAnalysis, Case]:
    case = load_case(EXAMPLES[name])
    return analyse_loan("L1", case.loans[0], case.as_of), case


def test_every_example_is_documented_and_current() -> None:
    assert set(EXAMPLES) == {
        "equal_instalment",
        "equal_principal",
        "interest_only",
        "bullet",
        "private_kantouxi",
        "licensed_default",
    }
    for name in EXAMPLES:
        la, _ = ledger_of(name)
        led = la.ledger
        table = TABLES[name]
        assert table["claimed.total"].split(" ")[0] == str(led.claimed.total.amount)
        assert table["lawful.total"].split(" ")[0] == str(led.lawful.total.amount)
        assert table["excess"].split(" ")[0] == str(led.excess.amount)


def _level_rows(p: Decimal, annual: Decimal, n: int) -> list[tuple[Decimal, Decimal]]:
    """(principal, interest) per month, re-derived from the annuity formula."""
    with localcontext() as ctx:
        ctx.prec = 50
        r = annual / 12
        pay = fen(p * r / (1 - (1 + r) ** -n))
    bal, rows = p, []
    for k in range(n):
        i = fen(bal * r)
        part = bal if k == n - 1 else pay - i
        rows.append((part, i))
        bal -= part
    return rows


def test_equal_instalment_by_hand() -> None:
    la, case = ledger_of("equal_instalment")
    led = la.ledger
    assert led is not None
    rows = _level_rows(D("30000"), D("0.18"), 12)
    left = rows[9:]
    dues = [dt.date(2026, 9, 10), dt.date(2026, 10, 10), dt.date(2026, 11, 10)]
    assert led.claimed.principal.amount == sum(p for p, _ in left)
    assert led.claimed.interest.amount == sum(i for _, i in left)
    # 罚息 estimated: the contract's 18 % / 360 a day runs on each overdue principal part
    overdue = zip(left, dues, strict=True)
    penalty = fen(sum(p * D("0.0005") * (case.as_of - d).days for (p, _), d in overdue))
    assert led.claimed.penalty.amount == penalty
    assert led.claimed.penalty.provenance.value == "estimated"
    assert led.claimed.total.bound is not None  # late fees unknown: "at least"
    # a level monthly schedule at 18 % costs 18 % 单利 by the per-period method
    assert la.price.cost is not None and la.price.cost.simple.quantize(D("0.0001")) == D("0.1800")


def test_equal_principal_and_interest_only_by_hand() -> None:
    la, _ = ledger_of("equal_principal")
    assert la.ledger.claimed.total.amount == D("12000") / 2
    # six paid: 1,000 principal each plus interest on 12,000, 11,000, … 7,000 at 1 % a month
    assert la.ledger.repaid.amount == 6 * D("1000") + sum(
        D(12000 - 1000 * k) / 100 for k in range(6)
    )
    la, _ = ledger_of("interest_only")
    assert la.ledger.claimed.total.amount == D("50000")
    assert la.ledger.repaid.amount == 4 * fen(D("50000") * D("0.096") / 12)
    assert la.price.cost is not None and la.price.cost.simple.quantize(D("0.0001")) == D("0.0960")


def test_bullet_one_year_costs_its_rate() -> None:
    la, _ = ledger_of("bullet")
    assert la.ledger.claimed.total.amount == D("10000") * D("1.18")
    assert la.price.cost is not None
    assert la.price.cost.simple.quantize(D("0.000001")) == D("0.180000")
    assert la.price.cost.compound.quantize(D("0.000001")) == D("0.180000")


def test_private_kantouxi_by_hand() -> None:
    la, case = ledger_of("private_kantouxi")
    days = (case.as_of - dt.date(2026, 2, 1)).days
    assert days == 292
    # 4 × LPR (3.00 % since 2025-05-20) = 12 % < the contract's 24 %: recognised on 9,000
    allowed = fen(D("9000") * D("0.12") * days / 365)
    lawful = D("9000") + allowed - D("2000")
    assert la.ledger.lawful.total.amount == lawful == D("7864.00")
    assert la.ledger.excess.amount == D("9800") - lawful
    assert la.ledger.excess.bound is not None  # repayments made: the excess is at least this


@pytest.mark.parametrize("name", ["licensed_default"])
def test_licensed_default_by_hand(name: str) -> None:
    la, case = ledger_of(name)
    days = (case.as_of - dt.date(2025, 6, 1)).days
    allowed = fen(D("10000") * D("0.24") * days / 365)
    assert la.ledger.lawful.total.amount == D("10000") + allowed
    assert la.ledger.excess.amount == D("14200") - D("10000") - allowed
    assert la.ledger.excess.bound is None  # nothing repaid: exact
    # 8‱ a day × 365 = 29.2 %, recoverable only up to 24 %
    assert la.ledger.accruing.amount == D("0.24")
