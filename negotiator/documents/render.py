"""The Jinja2 environments: templates as package data, strict, escaped where it matters.

Templates live in ``templates/`` (installed as ``negotiator.templates``) and are read through
:mod:`importlib.resources`.  Every environment uses ``StrictUndefined`` (a missing value fails
loudly instead of printing nothing) and keeps trailing newlines.

Two families of environments exist:

* :func:`environment` — the report templates; autoescapes ``.html`` templates by name.
* :func:`letter_environment` — one per output format of the letters (``text``, ``markdown``,
  ``html``).  The same letter template is rendered by all three; the format decides escaping:

  - ``html``: every value is HTML-escaped (autoescape on);
  - ``markdown``: every value is Markdown-escaped (``*``, ``_``, ``|``, ``<`` … get a
    backslash), so a borrower's name cannot turn into markup or break a table;
  - ``text``: values are printed as they are.

  In all three a value that is ``None`` makes rendering fail (a letter never prints "None"):
  templates must test for missing values and show a fill-in blank instead.

Formatting is done by filters so templates stay declarative:

``yuan``        ``Decimal('12000')`` → ``12,000.00``
``daxie``       ``Decimal('12000')`` → ``人民币壹万贰仟元整``
``cn_date``     ``date(2026, 11, 21)`` → ``2026年11月21日``
``en_date``     ``date(2026, 11, 21)`` → ``21 November 2026``
``percent``     ``Decimal('0.24')`` → ``24.00%``
``mask_id``     ``110105194912310021`` → ``1101**********0021``
``mask_phone``  ``13812345678`` → ``138****5678``
``amount``      ``12,000.00元`` (zh) / ``CNY 12,000.00`` (en), by the template's ``lang``
``amount_full`` the figure followed by the 大写 form: ``12,000.00元（人民币壹万贰仟元整）``
``fdate``       a date in the template's language; ``fdatetime`` a date and time
``cite``        a legal citation: ``《民法典》第670条`` / ``Civil Code art. 670``
``dash``        ``None`` → ``—``
``isodate``     ``"2026-10-03"`` (a finding's data) → a date, for ``fdate``
``capitalize_first`` upper-case the first character only
``lookup``      ``key|lookup(mapping)``, e.g. ``codes|map("lookup", v.conduct)``
``q``           the borrower's words in “quotes” (unless already quoted)
``dec``         a decimal string from a finding's data → Decimal (for ``amount``/``percent``)
``join_lines``  the lines of a block joined into one paragraph (no space in Chinese)
``clause``      the borrower's own words without trailing punctuation (the template adds it)
``oneline``     whitespace collapsed to single spaces (for table cells)
``text_table``  rows laid out as a plain-text table (CJK characters count double width)

``amount``, ``amount_full``, ``fdate`` and ``fdatetime`` pass ``None`` through unchanged so a
template can write ``f.v(x|amount, "label")`` and get a fill-in blank for a missing amount.

A user's own template folder is rendered in Jinja2's sandbox.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from ..calc.rates import format_percent
from ..holidays import covered_years
from ..money import format_amount, format_yuan, to_fen
from ..vocab import vocabulary

__all__ = [
    "FORMATS",
    "amount",
    "amount_full",
    "cn_date",
    "daxie",
    "en_date",
    "environment",
    "letter_environment",
    "markdown_escape",
    "mask_id",
    "mask_phone",
    "percent",
    "text_table",
    "user_environment",
]

#: Output formats the letter environments render.
FORMATS = ("text", "markdown", "html")


class ResourceLoader(jinja2.BaseLoader):
    """Load templates from a package's resources (works from a wheel, a zip or a checkout)."""

    def __init__(self, root: Traversable) -> None:
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        node = self.root
        for part in template.split("/"):
            if part in ("", ".", ".."):
                raise jinja2.TemplateNotFound(template)
            node = node / part
        if not node.is_file():
            raise jinja2.TemplateNotFound(template)
        return node.read_text(encoding="utf-8"), None, lambda: True

    def list_templates(self) -> list[str]:
        out: list[str] = []

        def walk(node: Traversable, prefix: str) -> None:
            for child in node.iterdir():
                if child.is_dir():
                    walk(child, f"{prefix}{child.name}/")
                elif child.name.endswith(".j2"):
                    out.append(prefix + child.name)

        walk(self.root, "")
        return sorted(out)


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------


def yuan(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format_yuan(value)


def daxie(value: Decimal) -> str:
    """Amount in Chinese financial capitals (大写), e.g. 人民币壹万贰仟元整.

    Follows the accounting convention: an amount ending in 元 or 角 is closed with 整, an
    amount ending in 分 is not (人民币壹佰元零伍分).
    """
    amount = to_fen(value)
    if amount < 0:
        raise ValueError("negative amounts have no 大写 form")
    return _daxie_fen(amount)


@lru_cache(maxsize=4096)
def _daxie_fen(amount: Decimal) -> str:
    """:func:`daxie` of an amount already rounded to the fen (remembered: a letter repeats its
    amounts, and cn2an takes about 15 µs an amount)."""
    import cn2an

    text = str(cn2an.an2cn(f"{amount:.2f}", "rmb"))
    if text.endswith(("元", "角")):
        text += "整"
    return "人民币" + text


def cn_date(value: dt.date | None) -> str:
    if value is None:
        return "____年__月__日"
    return f"{value.year}年{value.month}月{value.day}日"


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def en_date(value: dt.date | None) -> str:
    if value is None:
        return "__ ________ ____"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def percent(value: Decimal | None, places: int = 2) -> str:
    """A fraction as a percentage (:func:`negotiator.calc.rates.format_percent`); None is "—"."""
    if value is None:
        return "—"
    return format_percent(value, places)


def mask_id(value: str | None) -> str:
    """Keep the first 4 and last 4 characters of an identity number."""
    if not value:
        return "——"
    v = value.strip()
    if len(v) <= 8:
        return "*" * len(v)
    return v[:4] + "*" * (len(v) - 8) + v[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return "——"
    v = value.strip()
    if len(v) < 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def _lang(ctx: Any) -> str:
    lang = ctx.get("lang", "zh-Hans") if ctx is not None else "zh-Hans"
    return "en" if lang == "en" else "zh-Hans"


def amount(value: Decimal | None, lang: str = "zh-Hans") -> str | None:
    """``12,000.00元`` / ``CNY 12,000.00``; ``None`` stays ``None``."""
    if value is None:
        return None
    return format_amount(value, lang)


def amount_full(value: Decimal | None, lang: str = "zh-Hans") -> str | None:
    """The figure and its 大写 form: ``12,000.00元（人民币壹万贰仟元整）``."""
    if value is None:
        return None
    if lang == "en":
        return f"CNY {format_yuan(value)} ({daxie(value)})"
    return f"{format_yuan(value)}元（{daxie(value)}）"


def local_date(value: dt.date | None, lang: str = "zh-Hans") -> str | None:
    if value is None:
        return None
    return en_date(value) if lang == "en" else cn_date(value)


def local_datetime(value: dt.datetime | None, lang: str = "zh-Hans") -> str | None:
    if value is None:
        return None
    return f"{local_date(value.date(), lang)} {value:%H:%M}"


@jinja2.pass_context
def _amount(ctx: Any, value: Decimal | None) -> str | None:
    return amount(value, _lang(ctx))


@jinja2.pass_context
def _amount_full(ctx: Any, value: Decimal | None) -> str | None:
    return amount_full(value, _lang(ctx))


@jinja2.pass_context
def _fdate(ctx: Any, value: dt.date | None) -> str | None:
    return local_date(value, _lang(ctx))


@jinja2.pass_context
def _fdatetime(ctx: Any, value: dt.datetime | None) -> str | None:
    return local_datetime(value, _lang(ctx))


_DOC_NUMBER = re.compile(r"^([^《（〔]+)(（[^）]*）)$")
_ARTICLE = re.compile(r"^(\d+)(之[一二三四五六七八九十]+)?(?:\s*¶\s*(\d+))?(?:\((\d+)\))?$")
_ITEM_CN = "〇一二三四五六七八九十"


def _item_cn(n: int) -> str:
    """An item number in Chinese numerals (1–99), as 第（五）项 is written."""
    if n <= 10:
        return _ITEM_CN[n]
    tens, ones = divmod(n, 10)
    return f"{_ITEM_CN[tens] if tens > 1 else ''}十{_ITEM_CN[ones] if ones else ''}"


def cite(citation: Any, lang: str = "zh-Hans") -> str:
    """A legal citation (an object with ``law`` and ``article``) in the letter's language."""
    law = str(getattr(citation, "law", None) or "")
    article = getattr(citation, "article", None)
    if article is None or type(article) is str:
        # the rules cite a few hundred articles, over and over: word each once
        return _cite_cached(law, article, lang)
    return _cite_text(law, article, lang)


@lru_cache(maxsize=2048)
def _cite_cached(law: str, article: str | None, lang: str) -> str:
    return _cite_text(law, article, lang)


def _cite_text(law: str, article: Any, lang: str) -> str:
    if lang == "en":
        return f"{law}, art. {article}" if article else law
    paren = _DOC_NUMBER.match(law)
    if paren and "《" not in law:  # 名称（法发〔2017〕22号） → 《名称》（法发〔2017〕22号）
        law = f"《{paren.group(1)}》{paren.group(2)}"
    elif law and "《" not in law and "〔" not in law:
        law = f"《{law}》"
    if not article:
        return law
    art = str(article).strip()
    m = _ARTICLE.match(art)
    if m:
        text = f"第{m.group(1)}条{m.group(2) or ''}"
        if m.group(3):
            text += f"第{m.group(3)}款"
        if m.group(4):
            text += f"第（{_item_cn(int(m.group(4)))}）项"
        return law + text
    return law + art


@jinja2.pass_context
def _cite(ctx: Any, citation: Any) -> str:
    return cite(citation, _lang(ctx))


def dec(value: Any) -> Decimal | None:
    """A decimal string from a finding's data (``"1080.00"``) as a Decimal; None stays None."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


_QUOTES = "“”\"'「」『』"


def quoted(value: Any) -> Any:
    """Wrap the borrower's words in “ ” unless they already carry quotation marks."""
    text = str(value).strip()
    out = text if any(q in text for q in _QUOTES) else f"“{text}”"
    return Markup(out) if isinstance(value, Markup) else out


def capitalize_first(value: Any) -> Any:
    """Upper-case the first character only (``str.capitalize`` would lower-case the rest)."""
    text = str(value)
    out = text[:1].upper() + text[1:]
    return Markup(out) if isinstance(value, Markup) else out


def lookup(key: Any, mapping: Any) -> Any:
    """``key`` looked up in ``mapping`` (for ``map("lookup", v.conduct)``); a missing key fails."""
    return mapping[key]


def isodate(value: Any) -> dt.date | None:
    """A date written YYYY-MM-DD (as in a finding's data) as a date; None stays None."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def dash(value: Any) -> Any:
    return "—" if value is None else value


def join_lines(value: Any, sep: str = "") -> Any:
    """Join the non-blank lines of ``value`` (stripped) with ``sep``; keeps Markup as Markup."""
    joined = sep.join(line.strip() for line in str(value).splitlines() if line.strip())
    return Markup(joined) if isinstance(value, Markup) else joined


_CLAUSE_END = "。．.！!；;，,、 \t\n"


def clause(value: Any) -> Any:
    """The borrower's words without trailing sentence punctuation (the template adds its own)."""
    out = str(value).strip().rstrip(_CLAUSE_END)
    return Markup(out) if isinstance(value, Markup) else out


def oneline(value: Any) -> Any:
    joined = " ".join(str(value).split())
    return Markup(joined) if isinstance(value, Markup) else joined


def _measure(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


#: Columns of every character measured so far: a table measures the same few hundred
#: characters again and again, and ``unicodedata`` is slow to ask.
_WIDTHS: dict[str, int] = {}
_WIDTH_OF = _WIDTHS.__getitem__


def _char_width(ch: str) -> int:
    width = _WIDTHS.get(ch)
    if width is None:
        width = _WIDTHS[ch] = _measure(ch)
    return width


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal or a monospaced font (CJK characters count 2)."""
    if text.isascii():  # every ASCII character takes one column
        return len(text)
    try:
        return sum(map(_WIDTH_OF, text))
    except KeyError:  # a character not measured yet
        for ch in text:
            _char_width(ch)
        return sum(map(_WIDTH_OF, text))


def _tokens(text: str) -> list[str]:
    """Wrap units: a CJK character alone; a run of other characters up to the next space."""
    out: list[str] = []
    word = ""
    for ch in text:
        if _char_width(ch) == 2:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            word += ch
            out.append(word)
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


def wrap_display(text: str, width: int) -> list[str]:
    """Wrap ``text`` to lines of at most ``width`` display columns (long words are split)."""
    text = " ".join(text.split())
    if display_width(text) <= width:  # fits on one line (most table cells)
        return [text]
    return _wrap_tokens(text, width)


def _wrap_tokens(text: str, width: int) -> list[str]:
    """:func:`wrap_display`'s general case: lay the wrap units out line by line."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        while display_width(token) > width:  # a word longer than a line: split it
            room = width - display_width(line)
            head = ""
            for ch in token:
                if display_width(head + ch) > room:
                    break
                head += ch
            if not head:
                lines.append(line.rstrip())
                line = ""
                continue
            lines.append((line + head).rstrip())
            line = ""
            token = token[len(head) :]
        if display_width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def text_table(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[Any],
    align: str = "",
    max_width: int = 28,
) -> str:
    """Lay ``rows`` out under ``headers`` as a plain-text table.

    Columns are padded by display width (CJK characters count double); cells wider than
    ``max_width`` columns wrap onto further lines, except amounts in capitals (人民币…).
    ``align`` gives one letter per column, ``l`` or ``r`` (default ``l``).  A ``None`` cell is
    a template error.
    """
    ncol = len(headers)
    # every line of every cell with its display width, measured once
    grid: list[list[list[tuple[str, int]]]] = []
    for r, row in enumerate([headers, *rows]):
        if len(row) != ncol:
            raise ValueError(f"table row {r} has {len(row)} cells, expected {ncol}")
        cells = []
        for cell in row:
            if cell is None:
                raise ValueError("a table cell is None")
            cells.append(_cell_lines(str(cell), max_width))
        grid.append(cells)
    widths = [max(w for row in grid for _, w in row[c]) for c in range(ncol)]
    right = [c < len(align) and align[c] == "r" for c in range(ncol)]
    out: list[str] = []

    def emit(row: list[list[tuple[str, int]]]) -> None:
        height = max(len(cell) for cell in row)
        for i in range(height):
            parts = []
            for cell, column, to_right in zip(row, widths, right, strict=True):
                text, width = cell[i] if i < len(cell) else ("", 0)
                pad = " " * (column - width)
                parts.append(pad + text if to_right else text + pad)
            out.append("  ".join(parts).rstrip())

    emit(grid[0])
    out.append("  ".join("-" * w for w in widths))
    for row in grid[1:]:
        emit(row)
    return "\n".join(out)


def _cell_lines(text: str, max_width: int) -> list[tuple[str, int]]:
    """The lines of one table cell, each with its display width."""
    if text.startswith("人民币"):  # an amount in capitals is never broken across lines
        return [(text, display_width(text))]
    flat = " ".join(text.split())
    width = display_width(flat)
    if width <= max_width:  # what wrap_display returns for a cell that fits
        return [(flat, width)]
    return [(line, display_width(line)) for line in wrap_display(flat, max_width)]


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&!])")


def markdown_escape(text: str) -> str:
    """Backslash-escape the characters that would turn plain text into Markdown markup."""
    out = _MD_SPECIAL.sub(r"\\\1", text)
    # A line that starts like a list item would become one: escape its marker ("- x" → "\- x",
    # "1. x" → "1\. x"; a backslash before a digit would be printed, not read as an escape).
    out = re.sub(r"(?m)^(\s*)([-+=])(?=\s|$)", r"\1\\\2", out)
    return re.sub(r"(?m)^(\s*)(\d+)([.)])(?=\s|$)", r"\1\2\\\3", out)


FILTERS: dict[str, Callable[..., Any]] = {
    "yuan": yuan,
    "daxie": daxie,
    "cn_date": cn_date,
    "en_date": en_date,
    "percent": percent,
    "mask_id": mask_id,
    "mask_phone": mask_phone,
    "amount": _amount,
    "amount_full": _amount_full,
    "fdate": _fdate,
    "fdatetime": _fdatetime,
    "cite": _cite,
    "dash": dash,
    "isodate": isodate,
    "lookup": lookup,
    "capitalize_first": capitalize_first,
    "q": quoted,
    "dec": dec,
    "join_lines": join_lines,
    "oneline": oneline,
    "clause": clause,
    "text_table": text_table,
}


# ---------------------------------------------------------------------------------------------
# Environments
# ---------------------------------------------------------------------------------------------


class MissingValueError(jinja2.TemplateRuntimeError):
    """A letter template tried to print ``None``: it must show a fill-in blank instead."""


def _not_none(value: Any) -> Any:
    if value is None:
        raise MissingValueError(
            "a template printed a missing value (None); test for it and show a blank"
        )
    return value


def _finalize_markdown(value: Any) -> Any:
    value = _not_none(value)
    if isinstance(value, Markup | jinja2.Undefined):
        return value
    return Markup(markdown_escape(str(value)))


_FINALIZERS: dict[str, Callable[[Any], Any]] = {
    "text": _not_none,
    "markdown": _finalize_markdown,
    "html": _not_none,
}


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    env.filters.update(FILTERS)
    # the one vocabulary of the documents (templates/vocab.toml), read by letters/vocab.*.j2
    env.globals["vocabulary"] = vocabulary()
    # the years the public-holiday calendar knows: schedules beyond them say so
    env.globals["holiday_years"] = covered_years()
    return env


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith((".html.j2", ".html", ".htm", ".xml"))


def _packaged_loader() -> jinja2.BaseLoader:
    return ResourceLoader(resources.files("negotiator.templates"))


def _options(fmt: str | None) -> dict[str, Any]:
    common: dict[str, Any] = {
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    if fmt is None:
        return common | {"autoescape": _autoescape}
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    # Markdown turns on autoescaping so that macro output is Markup; the finalizer escapes
    # values for Markdown (and returns Markup, which the HTML escaper then leaves alone).
    return common | {"autoescape": fmt != "text", "finalize": _FINALIZERS[fmt]}


@cache
def environment() -> jinja2.Environment:
    """The packaged report templates' environment (cached)."""
    env = jinja2.Environment(loader=_packaged_loader(), **_options(None))
    return _configure(env)


@cache
def letter_environment(fmt: str) -> jinja2.Environment:
    """The packaged letter templates' environment for one output format (cached)."""
    env = jinja2.Environment(loader=_packaged_loader(), **_options(fmt))
    return _configure(env)


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A user's template folder, confined to itself: a template that is (or passes through) a
    symbolic link leading out of the folder is not found, so a downloaded template pack cannot
    put another file the user can read (``~/.ssh/id_rsa``) into a letter."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self._root = os.path.realpath(folder)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        if os.path.commonpath([real, self._root]) != self._root:
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def user_environment(folder: Path, fmt: str | None = None) -> jinja2.Environment:
    """An environment over a user's template folder, sandboxed; falls back to packaged ones.

    With ``fmt`` it is configured like :func:`letter_environment` for that format (escaping,
    no ``None``); without, like :func:`environment`.
    """
    env = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([_ConfinedLoader(folder), _packaged_loader()]),
        **_options(fmt),
    )
    return _configure(env)
