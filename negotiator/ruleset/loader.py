"""Rule files: loading, validation and the condition language.

Rules are TOML files in the ``rules/`` folder (installed as ``negotiator.rules``).  A file holds
``[[rule]]`` tables, read top to bottom the way a lawyer reviews them: the sources first, then the
condition, then the conclusion::

    [[rule]]
    id = "fee.upfront-deduction"
    code = "FEE_UPFRONT_DEDUCTION"
    category = "fee"
    severity = "violation"
    sources = [
      { seed = "001", section = "四" },
      { law = "civil-code", article = "670" },     # a key of rules/citations.toml
    ]
    about = "loan"                               # the fact kind the rule reads
    when = { all = [["upfront_deducted", ">", "0"]] }
    data = ["upfront_deducted", "received"]      # figures the finding carries
    message.zh-Hans = "…{upfront_deducted}…"
    message.en = "…{upfront_deducted}…"

The condition language is deliberately small — it is the subset of the rules engine that was
shown to answer correctly — and the loader makes everything else impossible:

* a rule reads **one** fact kind (``about``); quantities that involve several facts are computed
  beforehand by the calculators and put on a fact, so there are no joins, no negation, no events;
* a test is ``[field, op, literal]`` with op one of ``== != < <= > >=`` (ordering only on numeric
  fields), ``in`` / ``not in`` with a list, or ``[field, "exists"]`` / ``[field, "missing"]``;
* the literal may name a parameter of ``rules/parameters.toml`` instead,
  ``{ param = "collection_calls_per_day_max" }``: it is replaced by the parameter's value when the
  rules load, so the engine sees a literal, exactly as if it had been written out;
* the field must be declared on the kind, and the literal must have the field's declared type;
* a message may show a parameter as ``{param.NAME}`` (replaced by its value when the rules load),
  so the threshold a message states is the one the condition uses;
* ``all`` / ``any`` nest at most three levels;
* no arithmetic, no regular expressions, no division.

Unknown keys anywhere are errors naming the file and the rule.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal, TypeAlias, cast, get_args

import attrs

from ..basis.citations import REGISTER_FILE, Register, load_register, parse_register
from ..basis.params import Parameters, load_parameters, parse_parameters
from ..errors import RuleFileError
from ..facts.schema import FactCheckError, FactKind, FieldType

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "All",
    "Any_",
    "Category",
    "Citation",
    "Condition",
    "Rule",
    "RuleSet",
    "Severity",
    "Test",
    "load_rules",
    "load_ruleset_dir",
    "load_ruleset_from",
]

#: How much a finding matters, from least to most.
Severity: TypeAlias = Literal["info", "advice", "warning", "violation"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
#: What a finding is about (docs/rule-format.md).
Category: TypeAlias = Literal[
    "preparation",
    "situation",
    "lawsuit",
    "strategy",
    "agreement",
    "fee",
    "collection",
    "scam",
    "consequence",
    "aftercare",
    "prevention",
    "complaint",
]
CATEGORIES: tuple[Category, ...] = get_args(Category)
LANGS = ("zh-Hans", "en")
MAX_DEPTH = 3
#: Alpha successors that may match one fact before the engine refuses it (its limit is 64).
MAX_RULES_PER_KIND = 60
#: Files in rules/ that hold data other than rules.
PARAMETERS_FILE = "parameters.toml"
NON_RULE_FILES = frozenset({PARAMETERS_FILE, REGISTER_FILE})
#: The parameter units a field type accepts (a parameter stands for a literal of that type).
_UNITS_FOR = {
    FieldType.MONEY: frozenset({"yuan"}),
    FieldType.RATE: frozenset({"rate", "fraction", "ratio"}),
    FieldType.INT: frozenset({"count", "days", "months", "years", "hour"}),
}

Op = Literal["==", "!=", "<", "<=", ">", ">=", "exists", "missing"]
_ORDER_OPS = ("<", "<=", ">", ">=")
_RULE_ID = re.compile(r"^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")


@attrs.frozen
class Test:
    __test__ = False  # not a pytest test class

    field: str
    op: Op
    value: int | bool | str | None  # engine form; None for exists/missing


@attrs.frozen
class All:
    items: tuple[Condition, ...]


@attrs.frozen
class Any_:
    items: tuple[Condition, ...]


Condition = Test | All | Any_


@attrs.frozen
class Citation:
    """Where a rule comes from: a seed article section, or a legal instrument's article.

    A law citation is filled from the citation register (``rules/citations.toml``): ``law`` is
    the name the instrument is cited by, ``key`` its register key.
    """

    seed: str | None = None  # "001"
    seed_file: str | None = None  # "001_b53c1d9455b069ad.txt"
    section: str | None = None  # "四" / "2.1" / "真实情况"
    key: str | None = None  # "civil-code"
    law: str | None = None  # "民法典"
    article: str | None = None  # "670"
    effective: str | None = None  # "2021-01-01"
    status: str | None = None  # "VERIFIED-PRIMARY" / "VERIFIED-SECONDARY" / "UNVERIFIED"
    note: str | None = None
    #: The JSON form (set fields plus ``label``), built once: citations are shared by findings.
    _json: Mapping[str, str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        out = {f.name: getattr(self, f.name) for f in attrs.fields(Citation) if f.init}
        json = {k: v for k, v in out.items() if v is not None} | {"label": self.label()}
        object.__setattr__(self, "_json", json)

    def to_json(self) -> dict[str, str]:
        """The citation as JSON: its set fields and its ``label`` (a fresh dict each time)."""
        return dict(self._json)

    def label(self) -> str:
        if self.seed is not None:
            return f"{self.seed_file or self.seed} §{self.section}"
        parts = [self.law or ""]
        if self.article:
            parts.append(f"art. {self.article}")
        if self.effective:
            parts.append(f"(effective {self.effective})")
        return " ".join(p for p in parts if p)


@attrs.frozen
class Rule:
    id: str
    code: str
    category: Category
    severity: Severity
    about: str
    when: Condition
    messages: Mapping[str, str]
    citations: tuple[Citation, ...]
    data: tuple[str, ...] = ()
    rank: int = 100
    overrides: tuple[str, ...] = ()
    title: Mapping[str, str] = attrs.field(factory=dict)
    file: str = ""
    #: For checklist items: "done" or "missing"; free for other categories.
    status: str | None = None
    #: Views of the rule derived once and kept with it (a few per rule: one per language), so a
    #: cache dies with the rule set instead of growing in a module.
    memo: dict[object, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def fields_tested(self) -> list[str]:
        out: list[str] = []

        def walk(c: Condition) -> None:
            if isinstance(c, Test):
                if c.field not in out:
                    out.append(c.field)
            else:
                for i in c.items:
                    walk(i)

        walk(self.when)
        return out


@attrs.frozen
class RuleSet:
    rules: tuple[Rule, ...]
    kinds: Mapping[str, FactKind]
    #: The rules by id (built with the rule set, which is immutable).
    index: Mapping[str, Rule] = attrs.field(init=False, eq=False, repr=False)
    #: For each kind some rule reads, the fields an evaluator must see: ``kind``, ``id`` and
    #: every field a rule about that kind tests (see :func:`negotiator.engine.base.fields_read`).
    reads: dict[str, frozenset[str]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "index", {r.id: r for r in self.rules})
        read: dict[str, set[str]] = {}
        for rule in self.rules:
            read.setdefault(rule.about, {"kind", "id"}).update(rule.fields_tested())
        object.__setattr__(self, "reads", {k: frozenset(v) for k, v in read.items()})

    def by_id(self) -> dict[str, Rule]:
        return dict(self.index)

    def for_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.about == kind]


# ---------------------------------------------------------------------------------------------


_RULE_KEYS = {
    "id",
    "code",
    "category",
    "severity",
    "about",
    "when",
    "message",
    "title",
    "sources",
    "data",
    "rank",
    "overrides",
    "status",
}
_SOURCE_KEYS = {"seed", "section", "law", "article", "note"}


class _Ctx:
    def __init__(
        self, file: str, rule_id: str, params: Parameters | None, register: Register | None
    ) -> None:
        self.file = file
        self.rule_id = rule_id
        self.params = params
        self.register = register

    def fail(self, where: str, problem: str) -> RuleFileError:
        path = f"{self.file}#{self.rule_id}" + (f".{where}" if where else "")
        return RuleFileError(path, problem)


def _parse_test(raw: Sequence[Any], kind: FactKind, ctx: _Ctx, where: str) -> Condition:
    if not raw or not isinstance(raw[0], str):
        raise ctx.fail(where, "a test is [field, op, value] or [field, 'exists'|'missing']")
    name = raw[0]
    field = kind.fields.get(name)
    if field is None:
        raise ctx.fail(where, f"{kind.name!r} facts have no field {name!r}")
    if len(raw) == 2 and raw[1] in ("exists", "missing"):
        return Test(name, raw[1], None)
    if len(raw) != 3 or not isinstance(raw[1], str):
        raise ctx.fail(where, "a test is [field, op, value] or [field, 'exists'|'missing']")
    op, literal = raw[1], raw[2]
    if op in ("in", "not in"):
        if not isinstance(literal, list) or not literal:
            raise ctx.fail(where, f"{op!r} needs a non-empty list")
        tests: tuple[Condition, ...] = tuple(
            _parse_test([name, "==" if op == "in" else "!=", v], kind, ctx, where) for v in literal
        )
        return Any_(tests) if op == "in" else All(tests)
    if op not in ("==", "!=", "<", "<=", ">", ">="):
        raise ctx.fail(where, f"unknown operator {op!r}")
    if op in _ORDER_OPS and field.type in (FieldType.BOOL, FieldType.ENUM):
        raise ctx.fail(where, f"{op!r} is only for numbers; {name!r} is a {field.type.value}")
    if op == "!=" and not field.required:
        # A test on an absent field is false in both engines; "!=" on an optional field would
        # read as true to a person, so the author must say what absence means.
        raise ctx.fail(
            where,
            f"'!=' on optional field {name!r}: add [{name!r}, 'exists'] or use '==' instead",
        )
    if isinstance(literal, dict):
        literal = _parameter_literal(literal, field.type, ctx, where)
    try:
        value = field.literal(literal)
    except (ValueError, ArithmeticError, FactCheckError) as exc:
        raise ctx.fail(where, f"{name!r} {exc}") from None
    return Test(name, op, value)  # type: ignore[arg-type]


def _parameter_literal(raw: Mapping[str, Any], ftype: FieldType, ctx: _Ctx, where: str) -> Any:
    """The value of ``{ param = "name" }``, checked against the field's type (a load error)."""
    name = raw.get("param")
    if set(raw) != {"param"} or not isinstance(name, str):
        raise ctx.fail(where, 'a parameter reference is { param = "name" }')
    entry = ctx.params.get(name) if ctx.params is not None else None
    if entry is None:
        raise ctx.fail(where, f"no parameter {name!r} in {PARAMETERS_FILE}")
    units = _UNITS_FOR.get(ftype, frozenset())
    if entry.unit not in units:
        raise ctx.fail(
            where,
            f"parameter {name!r} is in {entry.unit}; a {ftype.value} field needs a literal"
            f" in {' or '.join(sorted(units)) or 'no parameter unit'}",
        )
    return entry.value


def _parse_condition(raw: Any, kind: FactKind, ctx: _Ctx, where: str, depth: int) -> Condition:
    if depth > MAX_DEPTH:
        raise ctx.fail(where, f"conditions nest at most {MAX_DEPTH} levels")
    if isinstance(raw, list):
        return _parse_test(raw, kind, ctx, where)
    if isinstance(raw, dict):
        if set(raw) - {"all", "any"} or len(raw) != 1:
            raise ctx.fail(where, "a group is { all = [...] } or { any = [...] }")
        key = next(iter(raw))
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ctx.fail(where, f"{key!r} needs a non-empty list")
        parsed = tuple(
            _parse_condition(item, kind, ctx, f"{where}.{key}[{i}]", depth + 1)
            for i, item in enumerate(items)
        )
        return All(parsed) if key == "all" else Any_(parsed)
    raise ctx.fail(where, "expected a test [field, op, value] or a group { all/any = [...] }")


def _with_parameters(text: str, lang: str, ctx: _Ctx, where: str) -> str:
    """``text`` with each ``{param.NAME}`` replaced by the parameter's value as words show it."""
    for _lit, name, spec, conv in string.Formatter().parse(text):
        if name is None or not name.startswith("param."):
            continue
        entry = ctx.params.get(name[6:]) if ctx.params is not None else None
        if entry is None:
            raise ctx.fail(where, f"{{{name}}}: no parameter {name[6:]!r} in {PARAMETERS_FILE}")
        if spec or conv:
            raise ctx.fail(where, f"{{{name}}}: a parameter is shown as is, without a format")
        text = text.replace("{" + name + "}", parameter_text(entry.value, entry.unit, lang))
    return text


def parameter_text(value: Decimal | int | dt.date, unit: str, lang: str) -> str:
    """A parameter's value as a message states it: ``3``, ``24%``, ``100元``, ``2025年10月1日``."""
    if isinstance(value, dt.date):
        return value.isoformat() if lang == "en" else f"{value.year}年{value.month}月{value.day}日"
    if unit in ("rate", "fraction"):
        return f"{_plain(Decimal(value) * 100)}%"
    if unit == "yuan":
        return f"CNY {_plain(Decimal(value))}" if lang == "en" else f"{_plain(Decimal(value))}元"
    return _plain(Decimal(value))


def _plain(d: Decimal) -> str:
    """A decimal without an exponent or trailing zeros (``24``, ``0.5``)."""
    return format(d.normalize(), "f")


def _placeholders(template: str) -> list[str]:
    names = []
    for _lit, name, _spec, _conv in string.Formatter().parse(template):
        if name is not None:
            names.append(name)
    return names


def _parse_rule(
    raw: Any,
    kinds: Mapping[str, FactKind],
    seeds: Mapping[str, Any],
    file: str,
    index: int,
    params: Parameters | None = None,
    register: Register | None = None,
) -> Rule:
    rule_id = raw.get("id") if isinstance(raw, dict) else None
    ctx = _Ctx(file, rule_id if isinstance(rule_id, str) else f"rule[{index}]", params, register)
    if not isinstance(raw, dict):
        raise ctx.fail("", "each [[rule]] must be a table")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise ctx.fail(sorted(unknown)[0], "unknown key")
    for key in ("id", "code", "category", "severity", "about", "when", "message", "sources"):
        if key not in raw:
            raise ctx.fail(key, "is required")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise ctx.fail("id", "must be lowercase words joined by '.' or '-'")
    code = raw["code"]
    if not isinstance(code, str) or not _CODE.match(code):
        raise ctx.fail("code", "must be an UPPER_SNAKE finding code")
    if raw["category"] not in CATEGORIES:
        raise ctx.fail("category", f"must be one of {', '.join(CATEGORIES)}")
    if raw["severity"] not in SEVERITIES:
        raise ctx.fail("severity", f"must be one of {', '.join(SEVERITIES)}")
    kind = kinds.get(raw["about"]) if isinstance(raw["about"], str) else None
    if kind is None:
        raise ctx.fail("about", f"must be one of the fact kinds: {', '.join(sorted(kinds))}")
    when = _parse_condition(raw["when"], kind, ctx, "when", 1)

    data = raw.get("data", [])
    if not isinstance(data, list) or not all(isinstance(d, str) for d in data):
        raise ctx.fail("data", "must be a list of field names")
    for name in data:
        if name not in kind.fields and name not in kind.extras:
            raise ctx.fail("data", f"{kind.name!r} facts carry no value {name!r}")

    messages = raw["message"]
    if not isinstance(messages, dict) or set(messages) != set(LANGS):
        raise ctx.fail("message", f"needs exactly the languages {', '.join(LANGS)}")
    messages = dict(messages)
    for lang, text in messages.items():
        if not isinstance(text, str) or not text.strip():
            raise ctx.fail(f"message.{lang}", "must be non-empty text")
        messages[lang] = _with_parameters(text, lang, ctx, f"message.{lang}")
        for name in _placeholders(messages[lang]):
            if name not in data:
                raise ctx.fail(f"message.{lang}", f"{{{name}}} is not listed in `data`")
    title = raw.get("title", {})
    if not isinstance(title, dict) or (title and set(title) != set(LANGS)):
        raise ctx.fail("title", f"needs exactly the languages {', '.join(LANGS)}")

    sources = raw["sources"]
    if not isinstance(sources, list) or not sources:
        raise ctx.fail("sources", "every rule cites at least one source")
    citations = []
    for i, src in enumerate(sources):
        citations.append(_parse_source(src, seeds, ctx, f"sources[{i}]"))

    rank = raw.get("rank", 100)
    if type(rank) is not int or not 0 <= rank <= 1000:
        raise ctx.fail("rank", "must be a whole number from 0 to 1000")
    overrides = raw.get("overrides", [])
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        raise ctx.fail("overrides", "must be a list of rule ids")
    status = raw.get("status")
    if status is not None and status not in ("done", "missing"):
        raise ctx.fail("status", "must be 'done' or 'missing'")
    return Rule(
        id=rule_id,
        code=code,
        category=cast("Category", raw["category"]),  # checked against CATEGORIES above
        severity=cast("Severity", raw["severity"]),
        about=kind.name,
        when=when,
        messages=messages,
        citations=tuple(citations),
        data=tuple(data),
        rank=rank,
        overrides=tuple(overrides),
        title=dict(title),
        file=file,
        status=status,
    )


def _parse_source(src: Any, seeds: Mapping[str, Any], ctx: _Ctx, where: str) -> Citation:
    if not isinstance(src, dict):
        raise ctx.fail(where, "a source is a table { seed, section } or { law, article, note }")
    unknown = set(src) - _SOURCE_KEYS
    if unknown:
        raise ctx.fail(f"{where}.{sorted(unknown)[0]}", "unknown key")
    if not all(isinstance(v, str) for v in src.values()):
        raise ctx.fail(where, "source values are text")
    if "seed" in src:
        seed = seeds.get(src["seed"])
        if seed is None:
            raise ctx.fail(f"{where}.seed", f"unknown seed article {src['seed']!r}")
        section = src.get("section")
        if section is None:
            raise ctx.fail(f"{where}.section", "a seed citation names its section")
        if section not in seed["sections"]:
            raise ctx.fail(f"{where}.section", f"seed {src['seed']} has no section {section!r}")
        if "law" in src or "article" in src:
            raise ctx.fail(where, "cite a seed and a law in separate sources")
        return Citation(seed=src["seed"], seed_file=seed["file"], section=section)
    if "law" not in src:
        raise ctx.fail(where, "a source names a `seed` or a `law`")
    inst = ctx.register.get(src["law"]) if ctx.register is not None else None
    if inst is None:
        raise ctx.fail(
            f"{where}.law",
            f"no instrument {src['law']!r} in the citation register ({REGISTER_FILE}); "
            "cite an instrument by its key",
        )
    return Citation(
        key=inst.key,
        law=inst.cite,
        article=src.get("article"),
        effective=inst.effective.isoformat() if inst.effective else None,
        status=inst.status,
        note=src.get("note"),
    )


# ---------------------------------------------------------------------------------------------


@cache
def seed_sections() -> dict[str, Any]:
    """The seed articles and their advice-giving sections (``negotiator/data/seeds.toml``)."""
    text = (resources.files("negotiator.data") / "seeds.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return {s["id"]: s for s in data["seed"]}


def _rule_files() -> list[Traversable]:
    root = resources.files("negotiator.rules")
    return sorted(
        (
            p
            for p in root.iterdir()
            if p.name.endswith(".toml") and p.is_file() and p.name not in NON_RULE_FILES
        ),
        key=lambda p: p.name,
    )


def load_ruleset_from(
    files: Iterable[tuple[str, str]],
    kinds: Mapping[str, FactKind] | None = None,
    *,
    params: Parameters | None = None,
    register: Register | None = None,
) -> RuleSet:
    """Build a rule set from ``(file name, TOML text)`` pairs; validate everything.

    Parameter references resolve against ``params`` and law citations against ``register``
    (default: the packaged ``parameters.toml`` and ``citations.toml``).
    """
    if kinds is None:
        from ..facts import KINDS

        kinds = KINDS
    params = params if params is not None else load_parameters()
    register = register if register is not None else load_register()
    seeds = seed_sections()
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for name, text in files:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RuleFileError(name, f"not valid TOML: {exc}") from None
        unknown = set(doc) - {"rule"}
        if unknown:
            raise RuleFileError(f"{name}#{sorted(unknown)[0]}", "unknown top-level key")
        raw_rules = doc.get("rule", [])
        if not isinstance(raw_rules, list):
            raise RuleFileError(name, "`rule` must be an array of tables [[rule]]")
        for i, raw in enumerate(raw_rules):
            rule = _parse_rule(raw, kinds, seeds, name, i, params, register)
            if rule.id in seen:
                raise RuleFileError(f"{name}#{rule.id}", f"id already used in {seen[rule.id]}")
            seen[rule.id] = name
            rules.append(rule)
    for entry in params.entries.values():
        if entry.law is not None and register.get(entry.law) is None:
            where = f"{PARAMETERS_FILE}#{entry.name}.law"
            raise RuleFileError(where, f"no instrument {entry.law!r} in {REGISTER_FILE}")
    ids = {r.id for r in rules}
    for rule in rules:
        for target in rule.overrides:
            if target not in ids:
                raise RuleFileError(f"{rule.file}#{rule.id}.overrides", f"no rule {target!r}")
    for kind in kinds:
        count = sum(1 for r in rules if r.about == kind)
        if count > MAX_RULES_PER_KIND:
            raise RuleFileError(
                kind, f"{count} rules read {kind!r} facts; the engine allows {MAX_RULES_PER_KIND}"
            )
    return RuleSet(rules=tuple(rules), kinds=dict(kinds))


@cache
def load_rules() -> RuleSet:
    """The packaged rule set (cached)."""
    return load_ruleset_from((p.name, p.read_text(encoding="utf-8")) for p in _rule_files())


def load_ruleset_dir(folder: Traversable) -> RuleSet:
    """The rule set in a folder laid out like ``rules/``: its rule files, its parameters and
    its citation register (for checking an edited copy of the rules before it is packaged)."""
    files = sorted(
        (p for p in folder.iterdir() if p.name.endswith(".toml") and p.is_file()),
        key=lambda p: p.name,
    )
    texts = {p.name: p.read_text(encoding="utf-8") for p in files}
    params = parse_parameters(texts[PARAMETERS_FILE], PARAMETERS_FILE)
    register = parse_register(texts[REGISTER_FILE], REGISTER_FILE)
    return load_ruleset_from(
        ((n, t) for n, t in texts.items() if n not in NON_RULE_FILES),
        params=params,
        register=register,
    )
