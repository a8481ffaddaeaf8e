"""The citation register: each legal instrument the rules rely on, described once.

``rules/citations.toml`` (package data ``negotiator.rules``) holds one ``[law.KEY]`` table per
instrument — the name letters print, the full title, issuer, document number, the dates the cited
text applies between, its verification status and official source, and what negotiator relies on
it for.  A rule cites ``{ law = "KEY", article = "…" }``; the rule loader fills the citation from
the register, so an instrument's dates and status are written once.  The register also renders
``docs/legal-basis.md`` (:func:`render_legal_basis`).

Run ``python -m negotiator.basis.citations migrate rules/*.toml`` to rewrite rule sources that still
spell an instrument out (``law = "民法典", effective = …, status = …``) into register keys.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import attrs

from ..errors import RuleFileError, check_table

__all__ = [
    "KINDS",
    "STATUSES",
    "Instrument",
    "Register",
    "load_register",
    "parse_register",
    "render_legal_basis",
]

STATUSES = ("VERIFIED-PRIMARY", "VERIFIED-SECONDARY", "UNVERIFIED")
Status = Literal["VERIFIED-PRIMARY", "VERIFIED-SECONDARY", "UNVERIFIED"]
KINDS = (
    "law",
    "judicial-interpretation",
    "regulation",
    "rules",
    "notice",
    "standard",
    "self-regulation",
    "channel",
)
_REQUIRED = {"cite", "title", "title_en", "issuer", "kind", "about"}
_DATES = ("effective", "repealed", "issued")
_KEYS = _REQUIRED | set(_DATES) | {"number", "status", "source", "dates_note"}
_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
REGISTER_FILE = "citations.toml"


@attrs.frozen
class Instrument:
    """One legal instrument (or official complaint channel) as the rules cite it."""

    key: str
    cite: str  # the name rules and letters print, e.g. "民法典"
    title: str
    title_en: str
    issuer: str
    kind: str
    about: str
    number: str | None = None
    effective: dt.date | None = None
    repealed: dt.date | None = None
    issued: dt.date | None = None
    status: Status | None = None
    source: str | None = None
    dates_note: str | None = None

    def in_force(self, on: dt.date) -> bool:
        """Whether the cited text applied on ``on`` (an unknown bound is not held against it)."""
        if self.effective is not None and on < self.effective:
            return False
        return self.repealed is None or on < self.repealed


@attrs.frozen
class Register:
    instruments: Mapping[str, Instrument]

    def get(self, key: str) -> Instrument | None:
        return self.instruments.get(key)

    def effective(self, key: str) -> dt.date:
        """The day instrument ``key`` took effect (for code that switches on it)."""
        inst = self.instruments.get(key)
        if inst is None or inst.effective is None:
            raise RuleFileError(f"{REGISTER_FILE}#{key}.effective", "is not in the register")
        return inst.effective

    def by_cite(self) -> dict[str, Instrument]:
        return {i.cite: i for i in self.instruments.values()}


def parse_register(text: str, file: str = REGISTER_FILE) -> Register:
    """Read and check a register; every problem is a :class:`RuleFileError` naming the entry."""
    try:
        doc: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleFileError(file, f"not valid TOML: {exc}") from None
    if set(doc) - {"law"}:
        raise RuleFileError(file, "only [law.KEY] tables are allowed")
    out: dict[str, Instrument] = {}
    cites: dict[str, str] = {}
    for key, raw in doc.get("law", {}).items():
        inst = _parse_instrument(key, raw, f"{file}#{key}")
        if inst.cite in cites:
            raise RuleFileError(f"{file}#{key}.cite", f"already the name of {cites[inst.cite]!r}")
        cites[inst.cite] = key
        out[key] = inst
    return Register(out)


def _parse_instrument(key: str, raw: Any, where: str) -> Instrument:
    if not _KEY.match(key):
        raise RuleFileError(where, "a key is lowercase words joined by '-'")
    check_table(raw, where, "instrument", _KEYS, _REQUIRED)
    for name, value in raw.items():
        if name in _DATES:
            if type(value) is not dt.date:
                raise RuleFileError(f"{where}.{name}", "must be a TOML date (2021-01-01)")
        elif not isinstance(value, str) or not value.strip():
            raise RuleFileError(f"{where}.{name}", "must be non-empty text")
    if raw["kind"] not in KINDS:
        raise RuleFileError(f"{where}.kind", f"must be one of {', '.join(KINDS)}")
    if "status" in raw and raw["status"] not in STATUSES:
        raise RuleFileError(f"{where}.status", f"must be one of {', '.join(STATUSES)}")
    eff, rep = raw.get("effective"), raw.get("repealed")
    if eff is not None and rep is not None and rep <= eff:
        raise RuleFileError(f"{where}.repealed", "must be after `effective`")
    return Instrument(key=key, **raw)


@cache
def load_register() -> Register:
    """The packaged register (``rules/citations.toml``)."""
    text = (resources.files("negotiator.rules") / REGISTER_FILE).read_text(encoding="utf-8")
    return parse_register(text)


# --- docs/legal-basis.md ---------------------------------------------------------------------

_KIND_HEADINGS = {
    "law": "Laws",
    "judicial-interpretation": "Judicial interpretations and court opinions",
    "regulation": "Administrative regulations",
    "rules": "Regulatory rules",
    "notice": "Notices and warnings",
    "standard": "Standards",
    "self-regulation": "Industry self-regulation",
    "channel": "Complaint channels",
}


def render_legal_basis(register: Register, cited: Mapping[str, Sequence[tuple[str, str]]]) -> str:
    """``docs/legal-basis.md``: the register, with the rules citing each instrument.

    ``cited`` maps an instrument key to ``(rule id, article)`` pairs (article "" if none).
    """
    lines = [
        "# Legal basis",
        "",
        "<!-- generated by `python -m negotiator.devtools.refdoc legal-basis`"
        " from rules/citations.toml;",
        "     do not edit by hand (tests/basis/test_citations.py checks it is current) -->",
        "",
        "The law negotiator relies on, in its own words: each instrument the rules cite, once,",
        "with its dates and how far it was verified. A rule cites an instrument by its key and an",
        'article (`{ law = "civil-code", article = "670" }`); the details below come from',
        "`rules/citations.toml`, the one place they are written.",
        "",
        "Verification: **VERIFIED-PRIMARY** — the operative text was read in a full-text copy of",
        "the instrument; **VERIFIED-SECONDARY** — taken from specific non-official sources;",
        "**UNVERIFIED** — not relied on for a legal conclusion: the rules mention it only with a",
        "hedge. A citation is only made of a text in force on the date it is applied to; where an",
        "instrument was replaced (the 治安管理处罚法 of 2012, replaced on 2026-01-01), the rules",
        "choose the version by the date of the conduct.",
        "",
        "This is information about the law, not legal advice.",
        "",
    ]
    by_kind: dict[str, list[Instrument]] = {}
    for inst in register.instruments.values():
        by_kind.setdefault(inst.kind, []).append(inst)
    for kind in KINDS:
        if kind not in by_kind:
            continue
        lines += [f"## {_KIND_HEADINGS[kind]}", ""]
        for inst in by_kind[kind]:
            lines += _instrument_lines(inst, cited.get(inst.key, ()))
    return "\n".join(lines).rstrip() + "\n"


def _instrument_lines(inst: Instrument, cited: Sequence[tuple[str, str]]) -> list[str]:
    out = [f"### {inst.title}", "", f"*{inst.title_en}* — key `{inst.key}`", ""]
    facts = [("Cited as", inst.cite), ("Issued by", inst.issuer)]
    if inst.number:
        facts.append(("Document number", inst.number))
    for label, day in (
        ("In force from", inst.effective),
        ("Issued", inst.issued),
        ("Replaced on", inst.repealed),
    ):
        if day is not None:
            facts.append((label, day.isoformat()))
    facts.append(("Verification", inst.status or "not assessed in the research notes"))
    if inst.source:
        facts.append(("Source", f"<{inst.source}>"))
    out += [f"- {label}: {value}" for label, value in facts]
    if inst.dates_note:
        out.append(f"- Dates: {inst.dates_note}")
    out += ["", inst.about, ""]
    if cited:
        arts: dict[str, list[str]] = {}
        for rule_id, article in cited:
            arts.setdefault(article, []).append(rule_id)
        out.append("Cited by:")
        out.append("")
        for article in sorted(arts, key=_article_order):
            where = f"art. {article}" if article else "the instrument as a whole"
            ids = ", ".join(f"`{r}`" for r in sorted(set(arts[article])))
            out.append(f"- {where}: {ids}")
        out.append("")
    else:
        out += ["Not cited by a rule at present.", ""]
    return out


def _article_order(article: str) -> tuple[int, str]:
    m = re.match(r"\d+", article)
    return (int(m.group(0)) if m else -1, article)


# --- migration of spelled-out sources --------------------------------------------------------

_INLINE = re.compile(r"\{[^{}]*\blaw\s*=\s*\"[^\"]*\"[^{}]*\}")


def migrate_text(text: str, register: Register) -> str:
    """Rewrite ``{ law = "<cited name>", effective = …, status = … }`` sources into register keys.

    Sources already citing a key are left alone, so the rewrite can be repeated.  A spelled-out
    source whose name, date or status disagrees with the register is an error naming it.
    """
    names = register.by_cite()
    aliases = {
        "民间借贷规定": "spc-private-lending",
        "法发〔2017〕22号": "spc-financial-trials-2017",
    }

    def fix(m: re.Match[str]) -> str:
        src = tomllib.loads(f"x = {m.group(0)}")["x"]
        law = src["law"]
        if law in register.instruments:
            return m.group(0)
        inst = names.get(law) or register.get(aliases.get(law, ""))
        if inst is None:
            raise RuleFileError(m.group(0), "no instrument of that name in the register")
        eff = src.get("effective")
        if eff is not None and inst.effective is not None and eff != inst.effective.isoformat():
            raise RuleFileError(m.group(0), f"effective {eff} but the register says otherwise")
        status = src.get("status")
        if status is not None and status != inst.status:
            raise RuleFileError(m.group(0), f"status {status} but the register says otherwise")
        parts = [f'law = "{inst.key}"']
        for key in ("article", "note"):
            if key in src:
                parts.append(f"{key} = {_toml_string(src[key])}")
        return "{ " + ", ".join(parts) + " }"

    return _INLINE.sub(fix, text)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _main(argv: Iterable[str]) -> int:
    args = list(argv)
    if not args or args[0] != "migrate":
        print("usage: python -m negotiator.basis.citations migrate FILE.toml …", file=sys.stderr)
        return 2
    register = load_register()
    for name in args[1:]:
        path = Path(name)
        old = path.read_text(encoding="utf-8")
        new = migrate_text(old, register)
        if new != old:
            path.write_text(new, encoding="utf-8")
            print(f"rewrote {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
