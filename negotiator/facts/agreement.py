"""Facts about the proposed agreement (one per case that has one)."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from ..models import AgreementForm
from .schema import Fact, FactKind, choice

__all__ = ["AGREEMENT", "KINDS", "derive"]

AGREEMENT = FactKind(
    name="agreement",
    doc="The proposed repayment agreement.",
    fields={
        "form": choice("paper, e_contract, email, chat or phone_only", AgreementForm),
    },
)

KINDS = (AGREEMENT,)


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    if a.agreement is None:
        return
    yield Fact(
        kind="agreement",
        id="agreement",
        subject="agreement",
        values={"form": a.agreement.agreement.form.value},
    )
