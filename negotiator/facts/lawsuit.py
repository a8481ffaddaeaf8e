"""The lawsuit fact: one per case once a lawsuit is filed or decided.

What the court papers say (``Case.court``) and the answer deadline counted from the service
date by :func:`negotiator.calc.court.answer_deadline` — or the date the court itself printed,
which always wins.  Rules read whether the deadline has passed, how many days are left, which
procedure applies, and whether the judgment stage is reached (rules/lawsuit.toml).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from ..calc.court import answer_deadline
from ..case.models import Court, CourtProcedure, LawsuitStatus
from .schema import Fact, FactKind, choice, extra, flag, integer

__all__ = ["KINDS", "LAWSUIT", "derive"]

_PROCEDURE_ZH = {
    CourtProcedure.ORDINARY: "普通程序",
    CourtProcedure.SIMPLIFIED: "简易程序",
    CourtProcedure.SMALL_CLAIMS: "小额诉讼程序",
    CourtProcedure.UNKNOWN: "程序未知",
}
_PROCEDURE_EN = {
    CourtProcedure.ORDINARY: "ordinary procedure",
    CourtProcedure.SIMPLIFIED: "simplified procedure",
    CourtProcedure.SMALL_CLAIMS: "small-claims procedure",
    CourtProcedure.UNKNOWN: "procedure not known",
}

LAWSUIT = FactKind(
    name="lawsuit",
    doc="A lawsuit already filed or decided: the court papers and the answer deadline.",
    fields={
        "stage": choice("filed or judgment", ("filed", "judgment")),
        "served_known": flag("the date the statement of claim was received is given"),
        "deadline_source": choice(
            "court (printed on the notice), computed (from the service date) or unknown",
            ("court", "computed", "unknown"),
        ),
        "answer_deadline_passed": flag("the answer deadline (court's or computed) is past"),
        "answer_days_left": integer("days from the case date to the answer deadline (≥ 0)"),
        "procedure": choice("ordinary, simplified, small_claims or unknown", CourtProcedure),
        "evidence_deadline_given": flag("the court's 举证期限 is given"),
        "case_number_given": flag("the 案号 is given"),
    },
    extras={
        "served_on": extra("date", "date the statement of claim was received"),
        "answer_deadline": extra("date", "the answer deadline (court's or computed)"),
        "day_15": extra("date", "the fifteenth day after service"),
        "deadline_moved": extra("text", "yes when day 15 fell on a rest day"),
        "calendar_note_zh": extra("text", "a note when the holiday calendar does not cover it"),
        "calendar_note_en": extra("text", "the same, in English"),
        "case_number": extra("text", "案号"),
        "court": extra("text", "the court"),
        "procedure_zh": extra("text", "the procedure (Chinese)"),
        "procedure_en": extra("text", "the procedure (English)"),
        "evidence_deadline": extra("date", "举证期限 as printed"),
        "hearing_date": extra("date", "开庭日期 as printed"),
    },
)

KINDS = (LAWSUIT,)


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    case = a.case
    if case.lawsuit not in (LawsuitStatus.FILED, LawsuitStatus.JUDGMENT):
        return
    court = case.court or Court()
    values: dict[str, object] = {
        "stage": case.lawsuit.value,
        "served_known": court.served_on is not None,
        "procedure": court.procedure.value,
        "evidence_deadline_given": court.evidence_deadline is not None,
        "case_number_given": court.case_number is not None,
    }
    extras: dict[str, object] = {
        "served_on": court.served_on,
        "case_number": court.case_number,
        "court": court.court,
        "procedure_zh": _PROCEDURE_ZH[court.procedure],
        "procedure_en": _PROCEDURE_EN[court.procedure],
        "evidence_deadline": court.evidence_deadline,
        "hearing_date": court.hearing_date,
        "calendar_note_zh": "",
        "calendar_note_en": "",
    }
    deadline = None
    if court.answer_deadline is not None:
        deadline = court.answer_deadline
        values["deadline_source"] = "court"
    elif court.served_on is not None:
        computed = answer_deadline(court.served_on)
        deadline = computed.deadline
        values["deadline_source"] = "computed"
        extras["day_15"] = computed.day_15
        extras["deadline_moved"] = "yes" if computed.moved else "no"
        if not computed.calendar_known:
            extras["calendar_note_zh"] = (
                "（该年度的法定节假日安排不在本工具的日历内，只按周末推算）"
            )
            extras["calendar_note_en"] = (
                " (that year's public holidays are not in this tool's calendar; only weekends"
                " were allowed for)"
            )
    else:
        values["deadline_source"] = "unknown"
    if deadline is not None:
        extras["answer_deadline"] = deadline
        values["answer_deadline_passed"] = a.as_of > deadline
        values["answer_days_left"] = max(0, (deadline - a.as_of).days)
    else:
        values["answer_deadline_passed"] = False
    yield Fact(kind="lawsuit", id="lawsuit", subject="case", values=values, extras=extras)
