"""The one vocabulary of the documents: hardships, kinds of lender, proof and charges.

Read from ``templates/vocab.toml``, once per authored language ("zh-Hans", "en"; zh-Hant is
converted from zh-Hans by the caller).  The rule messages' value words
(:mod:`negotiator.facts.wording`), the action plan and the letters (``v.hardship`` … in
``templates/letters/vocab.*.j2``) all take their terms from here, so one term has one spelling.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources

__all__ = ["SECTIONS", "penalty_word", "term", "vocabulary"]

SECTIONS = ("hardship", "lender_type", "evidence", "charge")


@cache
def vocabulary() -> Mapping[str, Mapping[str, Mapping[str, str]]]:
    """``{lang: {section: {key: term}}}`` for "zh-Hans" and "en"."""
    raw = (resources.files("negotiator.templates") / "vocab.toml").read_text(encoding="utf-8")
    data: Mapping[str, Mapping[str, Mapping[str, str]]] = tomllib.loads(raw)
    return data


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh-Hans"


def term(section: str, key: str, lang: str) -> str:
    """The term for ``key`` of ``section`` in ``lang`` (KeyError for an unknown key)."""
    return vocabulary()[_lang(lang)][section][key]


def penalty_word(lender_type: str, lang: str) -> str:
    """What interest on an overdue amount is called: 逾期利息 for a private loan, 罚息 otherwise."""
    key = "penalty_interest_private" if lender_type == "private" else "penalty_interest"
    return term("charge", key, lang)
