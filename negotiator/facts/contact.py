"""Collection-contact facts: one per recorded contact, one per (loan, calendar day).

``contact``
    One recorded contact: when (Beijing time), how, whom, and what the collector did.  The
    time tests (22:00–08:00, 21:00–22:00) are computed in :mod:`negotiator.analysis.loans`.
``contact_day``
    One lender's collection on one calendar day: the effective phone calls made to the
    borrower (the sum of each phone record's ``calls``), so the rules can test "more than
    three effective calls in a day" without adding across facts.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import CaseAnalysis
from ..analysis.loans import LoanAnalysis
from ..calc.caps import Regime
from ..case.models import Conduct, ContactChannel, ContactTarget, LenderType
from .loan import PSL_2025_FROM
from .schema import Fact, FactKind, choice, extra, flag, integer

__all__ = ["CONTACT", "CONTACT_DAY", "KINDS", "derive"]

_TARGET_ZH = {
    ContactTarget.BORROWER: "您本人",
    ContactTarget.RELATIVE: "亲属",
    ContactTarget.EMPLOYER: "工作单位",
    ContactTarget.COLLEAGUE: "同事",
    ContactTarget.FRIEND: "朋友",
    ContactTarget.CONTACT_LIST: "通讯录联系人",
    ContactTarget.OTHER_THIRD_PARTY: "其他第三人",
}
_TARGET_EN = {
    ContactTarget.BORROWER: "you",
    ContactTarget.RELATIVE: "a relative",
    ContactTarget.EMPLOYER: "the employer",
    ContactTarget.COLLEAGUE: "a colleague",
    ContactTarget.FRIEND: "a friend",
    ContactTarget.CONTACT_LIST: "the phone's contact list",
    ContactTarget.OTHER_THIRD_PARTY: "another third party",
}
_CONDUCT_ZH = {
    Conduct.THREAT: "威胁、恐吓",
    Conduct.VIOLENCE: "暴力",
    Conduct.CONFINEMENT: "限制人身自由",
    Conduct.HOME_INTRUSION: "闯入住宅",
    Conduct.STALKING: "跟踪",
    Conduct.INSULT: "辱骂",
    Conduct.IMPERSONATING_AUTHORITY: "冒充公检法",
    Conduct.FAKE_LEGAL_DOCUMENT: "伪造法律文书",
}
_CONDUCT_EN = {
    Conduct.THREAT: "threats",
    Conduct.VIOLENCE: "violence",
    Conduct.CONFINEMENT: "confinement",
    Conduct.HOME_INTRUSION: "entering the home",
    Conduct.STALKING: "stalking",
    Conduct.INSULT: "insults",
    Conduct.IMPERSONATING_AUTHORITY: "posing as police, prosecutors or courts",
    Conduct.FAKE_LEGAL_DOCUMENT: "fake legal documents",
}

_EVIDENCE_ZH = {
    True: "您已经保存了这次联系的记录，请继续妥善保管",
    False: "这次联系您还没有录音或截图，请尽快保存通话记录、短信或聊天截图",
}
_EVIDENCE_EN = {
    True: "you have kept a record of this contact; keep it safe",
    False: "you have no recording or screenshot of this contact yet; save the call log, "
    "messages or chat screenshots soon",
}

CONTACT = FactKind(
    name="contact",
    doc="One recorded collection contact.",
    fields={
        "channel": choice(
            "how: phone, sms, instant_message, app, visit, letter, …", ContactChannel
        ),
        "target": choice("who was contacted", ContactTarget),
        "hour": integer("hour of the day, Beijing time (0–23)", required=True),
        "quiet_hours": flag("between 22:00 and 08:00 on a channel that intrudes at once"),
        "late_evening": flag("between 21:00 and 22:00 on a channel that intrudes at once"),
        "third_party": flag("someone other than the borrower was contacted"),
        "disclosed_debt": flag("the debt was revealed to someone else"),
        "contact_list": flag("the borrower's contact list was messaged"),
        "threats": flag("threats, violence, confinement, entering the home or stalking"),
        "violence": flag("physical violence or confinement"),
        "abusive": flag("insults, posing as officials, or fake legal documents"),
        "collection_fee_demanded": flag("the collector demanded a collection fee"),
        "evidence": flag("a recording, screenshot or message is kept"),
        "debt_above_cap": flag(
            "the loan's figures show charges above a cap or interest without an interest clause"
        ),
        "lender_type": choice("who lends", LenderType),
        "regime": choice("cap regime of the loan", Regime),
        "from_2026": flag(
            "on or after 2026-01-01, when the revised 治安管理处罚法 (2025修订) took effect"
        ),
    },
    extras={
        "lender_name": extra("text", "the lender"),
        "collector": extra("text", "who made the contact, as given"),
        "collector_zh": extra("text", "who made the contact, or 催收人员 when not given"),
        "collector_en": extra("text", "who made the contact, or 'a collector' when not given"),
        "date": extra("date", "date of the contact"),
        "time": extra("text", "time of the contact (HH:MM, Beijing)"),
        "target_zh": extra("text", "who was contacted (Chinese)"),
        "target_en": extra("text", "who was contacted (English)"),
        "conduct_zh": extra("list", "what the collector did (Chinese)"),
        "conduct_en": extra("list", "what the collector did (English)"),
        "evidence_note_zh": extra("text", "what to do about evidence of this contact (Chinese)"),
        "evidence_note_en": extra("text", "what to do about evidence of this contact (English)"),
    },
)

CONTACT_DAY = FactKind(
    name="contact_day",
    doc="One lender's collection contacts on one calendar day.",
    fields={
        "calls": integer("effective phone calls to the borrower that day", required=True),
        "contacts": integer("contact records of any kind that day", required=True),
        "quiet_contacts": integer("of which between 22:00 and 08:00", required=True),
        "lender_type": choice("who lends", LenderType),
        "from_2026": flag(
            "on or after 2026-01-01, when the revised 治安管理处罚法 (2025修订) took effect"
        ),
    },
    extras={
        "lender_name": extra("text", "the lender"),
        "date": extra("date", "the day"),
    },
)

KINDS = (CONTACT, CONTACT_DAY)


def _contacts(i: int, la: LoanAnalysis) -> Iterator[Fact]:
    above = la.debt_above_cap()
    for cf in la.collection.contacts:
        c = cf.contact
        shown = [x for x in c.conduct if x in _CONDUCT_ZH]
        yield Fact(
            kind="contact",
            id=f"contact-{i + 1}-{cf.index + 1}",
            subject=la.id,
            values={
                "channel": c.channel.value,
                "target": c.target.value,
                "hour": c.at.hour,
                "quiet_hours": cf.quiet_hours,
                "late_evening": cf.late_evening,
                "third_party": cf.third_party,
                "disclosed_debt": Conduct.DISCLOSED_DEBT in c.conduct,
                "contact_list": c.target is ContactTarget.CONTACT_LIST,
                "threats": bool(cf.threats),
                "violence": bool({Conduct.VIOLENCE, Conduct.CONFINEMENT} & set(c.conduct)),
                "abusive": bool(cf.abusive),
                "collection_fee_demanded": Conduct.COLLECTION_FEE_DEMANDED in c.conduct,
                "evidence": c.evidence,
                "debt_above_cap": above,
                "lender_type": la.loan.lender_type.value,
                "regime": la.regime,
                "from_2026": c.at.date() >= PSL_2025_FROM,
            },
            extras={
                "lender_name": la.loan.lender_name,
                "collector": c.collector,
                "collector_zh": c.collector or "催收人员",
                "collector_en": c.collector or "a collector",
                "date": c.at.date(),
                "time": c.at.strftime("%H:%M"),
                "target_zh": _TARGET_ZH[c.target],
                "target_en": _TARGET_EN[c.target],
                "conduct_zh": [_CONDUCT_ZH[x] for x in shown],
                "conduct_en": [_CONDUCT_EN[x] for x in shown],
                "evidence_note_zh": _EVIDENCE_ZH[c.evidence],
                "evidence_note_en": _EVIDENCE_EN[c.evidence],
            },
        )


def derive(a: CaseAnalysis) -> Iterator[Fact]:
    for i, la in enumerate(a.loans):
        yield from _contacts(i, la)
    for i, la in enumerate(a.loans):
        for day in la.collection.days:
            yield Fact(
                kind="contact_day",
                id=f"cday-{i + 1}-{day.day:%Y%m%d}",
                subject=la.id,
                values={
                    "calls": day.calls,
                    "contacts": day.contacts,
                    "quiet_contacts": day.quiet_contacts,
                    "lender_type": la.loan.lender_type.value,
                    "from_2026": day.day >= PSL_2025_FROM,
                },
                extras={"lender_name": la.loan.lender_name, "date": day.day},
            )
