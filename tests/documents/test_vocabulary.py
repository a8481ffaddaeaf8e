"""One vocabulary and one money format across everything a person reads.

Every term for a hardship, a kind of lender, a piece of proof or a charge comes from
``templates/vocab.toml`` (:mod:`negotiator.vocab`), and every amount is printed by
:func:`negotiator.money.format_amount`.  These tests render the plan and every letter for every
example, in Chinese and English, and fail when a term appears in a second spelling or an amount
in another format.  Text the borrower wrote in the case (descriptions, notes) is left out: it is
quoted, not ours.
"""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from negotiator.case.models import EvidenceKind, HardshipKind, LenderType
from negotiator.case.natural import SYNONYMS
from negotiator.cli import main
from negotiator.money import format_amount, to_fen
from negotiator.vocab import SECTIONS, penalty_word, term, vocabulary

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
KINDS = (
    "action_plan",
    "negotiation_request",
    "hardship_statement",
    "agreement_draft",
    "waiver_request",
    "written_confirmation",
    "complaint",
    "credit_objection",
    "negotiation_log",
)

#: Spellings of a term that were once used beside the vocabulary's own (and must not return).
FORMER: dict[str, dict[str, tuple[str, ...]]] = {
    "zh-Hans": {
        "income_drop": ("收入减少",),
        "illness": ("疾病受伤",),
        "business_failure": ("生意失败",),
        "disaster": ("自然灾害",),
        "medical_records": ("病历及诊断证明",),
        "family_certificate": ("出生或亲属关系证明",),
    },
    "en": {
        "income_drop": ("a fall in income",),
        "unemployment": ("loss of employment",),
        "family_event": ("a family emergency",),
        "business_failure": ("the failure of my business",),
    },
}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _without_case_text(text: str, example: Path) -> str:
    """The output with the borrower's own words (every string of the case file) blanked."""
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    words = set(_strings(data))
    # a long note may be wrapped in a table cell: its clauses are blanked one by one as well
    words |= {part for w in words for part in re.split(r"[，。；、：,;:]", w)}
    for s in sorted(words, key=len, reverse=True):
        # words only: a figure of the case is printed by the formatter and must be checked
        if len(s) >= 4 and not re.fullmatch(r"[\d.,\s-]+|\d{4}-\d{2}-\d{2}.*", s):
            text = text.replace(s, " ")
    return text


@cache
def _render(example: Path, kind: str, lang: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(["letter", kind, str(example), "--lang", lang])
        except SystemExit:  # a letter the case does not allow (e.g. no complaint to a person)
            return ""
    return _without_case_text(out.getvalue(), example)


def _variants(lang: str) -> dict[str, tuple[str, ...]]:
    """Per vocabulary key, the other spellings that would mean the same thing."""
    out: dict[str, tuple[str, ...]] = {k: v for k, v in FORMER[lang].items()}
    if lang == "zh-Hans":
        for enum in (HardshipKind, EvidenceKind):
            section = "hardship" if enum is HardshipKind else "evidence"
            for key, words in SYNONYMS[enum].items():
                own = term(section, key, lang)
                # whole alternative phrases only: a short word may be part of another term
                extra = tuple(w for w in words if len(w) >= 4 and w not in own)
                out[key] = tuple(dict.fromkeys(out.get(key, ()) + extra))
    return out


def two_spellings(text: str, lang: str) -> list[tuple[str, str]]:
    """(the vocabulary's term, the other spelling) for every term found spelled another way."""
    found = []
    for section in SECTIONS:
        for key, own in vocabulary()[lang][section].items():
            for other in _variants(lang).get(key, ()):
                if other in text.replace(own, ""):
                    found.append((own, other))
    return found


def test_the_spelling_detector_can_fail() -> None:
    text = "困难：收入下降。……本人遇到的困难（收入减少）"
    assert two_spellings(text, "zh-Hans") == [("收入下降", "收入减少")]
    assert two_spellings("a drop in income … a fall in income", "en") != []
    assert two_spellings("困难：收入下降。", "zh-Hans") == []


def test_every_key_has_a_term_in_both_languages() -> None:
    for section in SECTIONS:
        assert set(vocabulary()["zh-Hans"][section]) == set(vocabulary()["en"][section])
    assert set(vocabulary()["zh-Hans"]["hardship"]) == {k.value for k in HardshipKind}
    assert set(vocabulary()["zh-Hans"]["evidence"]) == {k.value for k in EvidenceKind}
    assert set(vocabulary()["zh-Hans"]["lender_type"]) == {k.value for k in LenderType}


def test_private_loans_speak_of_overdue_interest_and_licensed_ones_of_penalty_interest() -> None:
    assert penalty_word("private", "zh-Hans") == "逾期利息"
    assert penalty_word("microloan", "zh-Hans") == "罚息"
    assert penalty_word("private", "en") == "overdue interest"


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_one_spelling_per_term_in_the_plan_and_letters(example: Path, lang: str) -> None:
    text = "\n".join(_render(example, kind, lang) for kind in KINDS)
    assert text.strip()
    assert two_spellings(text, lang) == []


#: An amount as printed: digits with thousands separators and two decimals.
_FORMATTED = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")
_ZH_AMOUNT = re.compile(r"(?<![\d,.])(\d[\d,]*(?:\.\d+)?)\s*元")
_EN_AMOUNT = re.compile(r"CNY\s*(\d[\d,]*(?:\.\d+)?)|(?<![\d,.])(\d[\d,]*(?:\.\d+)?)\s*yuan\b")


def amounts_not_formatted(text: str, lang: str) -> list[str]:
    pattern = _EN_AMOUNT if lang == "en" else _ZH_AMOUNT
    out = []
    for m in pattern.finditer(text):
        figure = next(g for g in m.groups() if g is not None).rstrip(".,")
        if not _FORMATTED.fullmatch(figure):
            out.append(m.group(0))
    return out


def test_the_amount_detector_can_fail() -> None:
    assert amounts_not_formatted("每月950元，合计9,300.00元", "zh-Hans") == ["950元"]
    assert amounts_not_formatted("950 yuan a month, CNY 9,300.00.", "en") == ["950 yuan"]
    assert amounts_not_formatted("CNY 2,340 in all", "en") == ["CNY 2,340"]


def test_the_one_formatter_rounds_half_up_to_the_fen() -> None:
    assert format_amount(Decimal("0.005")) == "0.01元"
    assert format_amount(Decimal("1234.565"), "en") == "CNY 1,234.57"
    assert format_amount(Decimal("2340")) == f"{to_fen(Decimal('2340')):,.2f}元"


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_amount_in_the_plan_and_letters_uses_the_one_formatter(
    example: Path, lang: str
) -> None:
    for kind in KINDS:
        text = _render(example, kind, lang)
        assert amounts_not_formatted(text, lang) == [], (example.stem, kind)


def test_letters_to_a_private_lender_never_say_penalty_interest() -> None:
    example = ROOT / "examples" / "multi_lender.toml"  # L3 is a private lender
    for kind in ("negotiation_request", "agreement_draft", "waiver_request"):
        for lang, word in (("zh-Hans", "罚息"), ("en", "penalty interest")):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                main(["letter", kind, str(example), "--loan", "L3", "--lang", lang])
            text = out.getvalue()
            assert text.strip()
            assert word not in text, (kind, lang)
            assert penalty_word("private", lang) in text or kind == "negotiation_request", (
                kind,
                lang,
            )
