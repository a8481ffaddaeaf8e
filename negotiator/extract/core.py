"""Rule-based extraction of a repayment agreement from text (no network, no model).

The text is normalised without moving any character (full-width letters and digits made
half-width, traditional characters simplified where that keeps the length), then read with the
patterns of ``negotiator/data/extraction.toml``.  Every value found carries its provenance:
the line and column (1-based, in the original text), the words it came from and a confidence:

* ``0.95`` a value written next to its label (``应还总额：12000元``);
* ``0.8``  a value derived from a schedule phrase (``首期4000元，之后每月2000元，共13期``);
* ``0.6``  a value inferred from the kind of text (the agreement's ``form``).

What the text does not say is left out.  Inconsistencies inside the text and red-flag phrases
are reported separately.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from ..money import FEN
from .patterns import (
    BIG_MONEY,
    DATE,
    MONEY,
    MONEY_CN,
    MONEY_SPOKEN,
    RATE_VALUE,
    Patterns,
    load_patterns,
)

__all__ = ["Extraction", "Inconsistency", "Provenance", "RedFlagHit", "extract_agreement"]

CONF_LABELLED = 0.95
CONF_DERIVED = 0.8
CONF_INFERRED = 0.6


@attrs.frozen
class Provenance:
    line: int
    column: int
    snippet: str
    confidence: float


@attrs.frozen
class Inconsistency:
    code: str
    field: str
    message: str


@attrs.frozen
class RedFlagHit:
    code: str
    phrase: str
    line: int
    column: int


@attrs.frozen
class Extraction:
    """What :func:`extract_agreement` read from a text.

    ``agreement`` and ``loans`` use the case format's names and units (plain values: money as
    decimal strings, dates as :class:`datetime.date`); ``provenance`` is keyed by field path.
    """

    agreement: dict[str, Any]
    loans: list[dict[str, Any]]
    provenance: dict[str, Provenance]
    inconsistencies: tuple[Inconsistency, ...]
    red_flags: tuple[RedFlagHit, ...]

    def to_data(self) -> dict[str, Any]:
        """The output contract as plain data (see docs/extraction.md)."""
        data: dict[str, Any] = {"agreement": self.agreement}
        if self.loans:
            data["loans"] = self.loans
        data["provenance"] = {k: attrs.asdict(v) for k, v in sorted(self.provenance.items())}
        data["inconsistencies"] = [attrs.asdict(i) for i in self.inconsistencies]
        data["red_flags"] = [attrs.asdict(r) for r in self.red_flags]
        return data

    def fields(self) -> list[str]:
        """The field paths that hold a value, in document order of the output."""
        return sorted(self.provenance)


# ---------------------------------------------------------------------------------------------
# Normalisation that keeps every character where it was
# ---------------------------------------------------------------------------------------------

_HALF = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HALF[0xFF08] = 0xFF08  # keep full-width brackets: 甲方（出借人）reads as written
_HALF[0xFF09] = 0xFF09
_HALF[0xFF1A] = 0xFF1A  # keep ：
_HALF[0xFF0C] = 0xFF0C  # keep ，
_HALF[0xFF1B] = 0xFF1B  # keep ；


def _t2s() -> Any:
    from functools import cache

    @cache
    def conv() -> Any:
        import opencc

        return opencc.OpenCC("t2s")

    return conv()


def normalise(text: str) -> str:
    out = []
    conv = _t2s()
    for line in text.translate(_HALF).split("\n"):
        if line and not line.isascii():
            simple = conv.convert(line)
            if len(simple) == len(line):
                line = simple
            else:  # a phrase changed length: convert character by character
                line = "".join(conv.convert(c) if len(conv.convert(c)) == 1 else c for c in line)
        out.append(line)
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------

_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def cn_int(text: str) -> int | None:
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text:
        return None
    if all(c in _CN_DIGIT for c in text):
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    import cn2an

    try:
        return int(cn2an.cn2an(text.replace("两", "二"), "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _cn_decimal(text: str) -> Decimal | None:
    text = text.replace("点", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    n = cn_int(text)
    return None if n is None else Decimal(n)


def parse_money(text: str) -> Decimal | None:
    """``12,000.00元`` → 12000.00; ``1.2万`` → 12000; ``壹万贰仟元整`` → 12000."""
    s = text.strip()
    big = re.fullmatch(BIG_MONEY, s)
    if big and any(c in s for c in "壹贰叁参肆伍陆柒捌玖拾佰仟"):
        return parse_big_money(s)
    if re.fullmatch(r"(?:人民币|RMB|CNY|¥|￥)?\s*" + MONEY_CN, s):
        return parse_cn_money(s)
    spoken = re.search(r"(\d+)万(?:(\d)千(\d)?|(\d))|(\d)千(\d)", s)
    if spoken and re.fullmatch(r"(?:人民币|RMB|CNY|¥|￥)?\s*" + MONEY_SPOKEN, s):
        wan, qian, bai, qian2, q, b = spoken.groups()
        if wan is not None:
            return Decimal(int(wan) * 10000 + int(qian or qian2 or 0) * 1000 + int(bai or 0) * 100)
        return Decimal(int(q) * 1000 + int(b) * 100)
    m = re.search(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?)\s*(万|千)?", s)
    if not m:
        return None
    value = Decimal(m.group(1).replace(",", ""))
    if m.group(2) == "万":
        value *= 10000
    elif m.group(2) == "千":
        value *= 1000
    if value != value.quantize(FEN):
        return None
    return value


def parse_cn_money(text: str) -> Decimal | None:
    """``一万六千八`` → 16800, ``两千八`` → 2800, ``一万四`` → 14000, ``三千五百`` → 3500: a last
    numeral after a unit is one order below it, as spoken."""
    s = re.sub(r"(?:元|块钱|块)$", "", text.strip()).replace("两", "二")
    s = re.sub(r"^(?:人民币|RMB|CNY|¥|￥)\s*", "", s)
    value = 0
    wan, sep, rest = s.partition("万")
    if sep:
        n = cn_int(wan)
        if n is None:
            return None
        value += n * 10000
        scale = 1000
    else:
        rest, scale = s, 0
    for unit, size in (("千", 1000), ("百", 100)):
        head, sep, tail = rest.partition(unit)
        if sep:
            n = cn_int(head)
            if n is None:
                return None
            value += n * size
            rest, scale = tail, size // 10
    if rest:
        n = cn_int(rest)
        if n is None or n > 9 or not scale:
            return None
        value += n * scale
    return Decimal(value)


def parse_big_money(text: str) -> Decimal | None:
    import cn2an

    s = text.replace("人民币", "").replace("整", "").replace("圆", "元").replace("萬", "万")
    s = s.replace("億", "亿").replace("参", "叁")
    yuan, _, rest = s.partition("元")
    try:
        value = Decimal(int(cn2an.cn2an(yuan, "strict"))) if yuan else Decimal(0)
    except (ValueError, KeyError, TypeError):
        return None
    jiao = re.search(r"([零壹贰叁肆伍陆柒捌玖])角", rest)
    fen = re.search(r"([零壹贰叁肆伍陆柒捌玖])分", rest)
    digits = "零壹贰叁肆伍陆柒捌玖"
    if jiao:
        value += Decimal(digits.index(jiao.group(1))) / 10
    if fen:
        value += Decimal(digits.index(fen.group(1))) / 100
    return value


def parse_date(text: str) -> dt.date | None:
    m = re.fullmatch(
        r"(\d{4}|[〇零一二三四五六七八九]{4})\s*[年\-/.]\s*(\d{1,2}|[一二三四五六七八九十]{1,2})"
        r"\s*[月\-/.]\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]?",
        text.strip(),
    )
    if not m:
        return None
    parts = [cn_int(g) for g in m.groups()]
    if None in parts:
        return None
    y, mo, d = (p for p in parts if p is not None)
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def parse_ym(text: str) -> tuple[int, int]:
    """``2027年1月`` or ``二〇二七年一月`` → (2027, 1); (0, 0) when it cannot be read."""
    year, _, month = text.replace(" ", "").partition("年")
    y, mo = cn_int(year), cn_int(month.rstrip("月"))
    return (y, mo) if y is not None and mo is not None else (0, 0)


def parse_rate(value: str, context: str) -> tuple[Decimal, str] | None:
    """A rate value and its unit (from the words around it), or None when the unit is unknown."""
    v = value.replace("％", "%").strip()
    if v.endswith("%"):
        number = _cn_decimal(v[:-1].strip())
        fraction = None if number is None else number / 100
    elif v.startswith("百分之"):
        number = _cn_decimal(v[3:])
        fraction = None if number is None else number / 100
    elif v.startswith("万分之"):
        number = _cn_decimal(v[3:])
        fraction = None if number is None else number / 10000
    elif v.startswith("千分之"):
        number = _cn_decimal(v[3:])
        fraction = None if number is None else number / 1000
    elif v.endswith("厘"):
        number = _cn_decimal(v[:-1].strip())
        fraction = None  # 厘 depends on the unit: 日息1厘 = 0.1 %, 月息1厘 = 1 %
        if number is not None:
            fraction = number / 1000 if "日" in context else number / 100
    else:
        return None
    if fraction is None:
        return None
    unit = None
    for ch in reversed(context):
        if ch == "年":
            unit = "annual"
            break
        if ch == "月":
            unit = "monthly"
            break
        if ch in "日天":
            unit = "daily"
            break
    if unit is None:
        return None
    return fraction.normalize() if fraction else Decimal(0), unit


def _money_str(value: Decimal) -> str:
    return f"{value:f}" if value == value.to_integral() else f"{value.quantize(FEN):f}"


# ---------------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------------

_ORG = (
    r"[\u4e00-\u9fffA-Za-z0-9（）()·]{2,40}"
    r"(?:股份有限公司|有限责任公司|有限公司|银行|小额贷款公司|消费金融公司|律师事务所|分公司|集团|公司)"
)
_PERSON = r"[\u4e00-\u9fff]{1,2}[某\u4e00-\u9fff]{1,2}(?![\u4e00-\u9fff]{2})"
_REF = r"[A-Za-z0-9][A-Za-z0-9\-_/]{4,40}"
_DELIMS = "，,。；;\n"
_WAIVER = (
    r"打[一二三四五六七八九]折|减免|免除|豁免|全免|免掉|免去|免了|免收(?=利息|罚息|违约金|滞纳金|全部)"
    r"|砍掉|砍了|全砍|减到|降到|不再收(?:取)?(?=罚息|利息|违约金)|(?:都|全)不要了|全额免息"
)
_NAMED_PAYEE = (
    r"(?:转账?|打款?|汇款?|付款?)(?:至|到|给|入)(?:财务|会计|专员|经理|主管|同事)?"
    r"(?P<name>[\u4e00-\u9fff]{2,3})的(?:个人)?(?:银行卡|卡|账户|支付宝|微信)"
)
#: Words that warn against what follows ("切勿转账至个人账户", "不要交任何保证金").
_WARNING = r"切勿|请勿|不要|勿|禁止|严禁|谨防|警惕|提防|不会(?:要求|让您|让你)|从不|不得|谨慎"
_WARNED_AGAINST = frozenset({"personal_account", "deposit", "verification_code"})
_REST_WORDS = (
    r"(?:剩余|余下|其余|剩下|余款|之后|此后|后续|以后|然后)(?:的)?(?:款项|部分|欠款|金额|本金|本息)?"
    r"(?:\s*(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?\s*(?:万元|万|元)?)?$"
)


@attrs.frozen
class _Row:
    """One instalment of a schedule described in words, with the words it came from."""

    amount: Decimal | None
    start: int
    end: int
    confidence: float


_NOT_NAMES = {
    "本人",
    "借款人",
    "出借人",
    "甲方",
    "乙方",
    "姓名",
    "签字",
    "盖章",
    "签章",
    "日期",
    "您好",
    "你好",
}


class _Reader:
    def __init__(self, original: str, patterns: Patterns) -> None:
        self.original = original
        self.p = patterns
        self.text = self._mask_options(normalise(original))
        self.line_starts = [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]
        self.values: dict[str, Any] = {}
        self.prov: dict[str, Provenance] = {}
        self.problems: list[Inconsistency] = []
        self.flags: list[RedFlagHit] = []
        self.stated: dict[str, list[tuple[Any, int]]] = {}
        self._first_due: tuple[dt.date | None, int, int] | None = None
        self._pieces: list[tuple[int, int, int]] = []  # (first period, start, end) of each piece

    # -- helpers -------------------------------------------------------------------------------

    def _mask_options(self, text: str) -> str:
        """Alternatives offered side by side (方案一：… 方案二：…) are not all the agreement: keep
        the one the text says was chosen (我选了方案二) and blank the others — all of them when
        none was chosen.  Blanking keeps every other character where it was."""
        heads = [m for ex in self.p.option_headers for m in ex.regex.finditer(text)]
        if len(heads) < 2:
            return text
        heads.sort(key=lambda m: m.start())
        chosen = re.search(
            r"(?:选了|选择了?|选定|同意|接受)(?:了)?(?:第)?(?P<which>方案\S|\S方案)", text
        )
        out = list(text)
        for i, head in enumerate(heads):
            end = text.find("\n", head.start())
            end = len(text) if end < 0 else end
            if i + 1 < len(heads):
                end = min(end, heads[i + 1].start())
            name = head.group("name")
            if chosen is not None and chosen.group("which") in (name, name[::-1]):
                continue
            for k in range(head.start(), end):
                if out[k] != "\n":
                    out[k] = " "
        return "".join(out)

    def pos(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, index) - 1
        return line + 1, index - self.line_starts[line] + 1

    def snippet(self, start: int, end: int) -> str:
        return self.original[start:end].strip()[:120]

    def put(self, path: str, value: Any, start: int, end: int, conf: float) -> bool:
        self.stated.setdefault(path, []).append((value, start))
        if path in self.values:
            return False
        line, col = self.pos(start)
        self.values[path] = value
        self.prov[path] = Provenance(line, col, self.snippet(start, end), conf)
        return True

    def problem(self, code: str, field: str, message: str) -> None:
        item = Inconsistency(code, field, message)
        if item not in self.problems:
            self.problems.append(item)

    def sentence_at(self, index: int) -> tuple[int, int]:
        start = index
        while start > 0 and self.text[start - 1] not in "。；;\n!！?？":
            start -= 1
        end = index
        while end < len(self.text) and self.text[end] not in "。；;\n!！?？":
            end += 1
        if end < len(self.text) and self.text[end] in "。!！?？":
            end += 1
        return start, end

    # -- fields --------------------------------------------------------------------------------

    def read_fields(self) -> None:
        claimed: set[int] = set()
        for field in self.p.fields:
            if field.requires is not None and not field.requires.search(self.text):
                continue
            if field.fallback and field.path in self.values:
                continue  # the text states it in its own words
            for m in field.regex.finditer(self.text):
                if field.before:
                    if field.kind == "days":
                        days = cn_int(
                            re.sub(r"\s*(?:个)?(?:自然|工作)?(?:日|天)$", "", m.group("value"))
                        )
                        if days is not None:
                            self.put(field.path, days, m.start(), m.end(), CONF_LABELLED)
                        continue
                    amount = parse_money(m.group("value"))
                    if amount is not None and re.search(r"[\d万千百]", m.group("value")):
                        self.put(field.path, amount, m.start(), m.end(), CONF_LABELLED)
                    continue
                filler = m.group(0)[len(m.group("label")) :]
                if (
                    field.kind in ("org", "person", "person_or_org")
                    and not field.adjacent
                    and not re.search(r"[:：\s]" if field.kind != "org" else r"[:：\s（(]", filler)
                ):
                    continue  # a name follows its label after a colon or a space (an org: or "（")
                rest = m.end()
                honorific = re.compile(r"([\u4e00-\u9fff]{2,3}?)(?:女士|先生|小姐)").match(
                    self.text, rest
                )
                if field.kind == "person" and field.adjacent and honorific:
                    got: tuple[Any, int, int] | None = (
                        honorific.group(1),
                        rest,
                        honorific.end(),
                    )
                elif field.kind == "org" and field.adjacent:
                    # a name run into the sentence ends at its first company word
                    short = re.compile(_ORG.replace("{2,40}", "{2,40}?")).match(self.text, rest)
                    got = (short.group(0), rest, short.end()) if short else None
                else:
                    got = self.value_after(field.kind, rest)
                if got is None:
                    continue
                value, _vstart, vend = got
                if field.kind == "money" and vend in claimed:
                    continue  # the figure belongs to an earlier field
                if field.not_followed_by is not None and field.not_followed_by.match(
                    self.text, vend
                ):
                    continue
                if field.requires is not None:
                    s_, e_ = self.sentence_at(m.start())
                    if not field.requires.search(self.text[s_:e_]):
                        continue
                conf = CONF_LABELLED
                if field.path == "agreement.waived" and "agreement.waived" not in self.values:
                    parts = self._parts_after(vend)
                    if parts is not None:  # "减免违约金1,500元及部分利息600元": the parts added up
                        value, vend, conf = value + parts[0], parts[1], CONF_DERIVED
                self.put(field.path, value, m.start(), vend, conf)
                if field.kind == "money":
                    claimed.add(vend)

    def _parts_after(self, at: int) -> tuple[Decimal, int] | None:
        """Amounts that continue a list after ``at`` (``…1,500元及部分利息600元``): their sum and
        where the list ends, or None when nothing follows."""
        more = re.compile(rf"\s*(?:及|和|、|以及|加上|另)[^，,。；;\n\d]{{0,8}}?(?P<m>{MONEY})")
        total = Decimal(0)
        end = at
        while (m := more.match(self.text, end)) and re.search(r"\d", m.group("m")):
            after = self.text[m.end() : m.end() + 1]
            value = parse_money(m.group("m"))
            if value is None or after in ("%", "期", "个", "天", "日", "年", "月", "号"):
                break
            total += value
            end = m.end()
        return (total, end) if end > at else None

    def value_after(self, kind: str, at: int) -> tuple[Any, int, int] | None:
        text = self.text
        if kind == "money":
            big = re.compile(BIG_MONEY).match(text, at)
            if big and any(c in big.group(0) for c in "壹贰叁参肆伍陆柒捌玖拾"):
                value = parse_big_money(big.group(0))
                figures = re.compile(
                    r"\s*[（(]\s*(?:小写)?[:：]?\s*(" + MONEY + r")\s*[)）]"
                ).match(text, big.end())
                if figures:
                    fig = parse_money(figures.group(1))
                    if fig is not None and value is not None and fig != value:
                        self.problem(
                            "amount_words",
                            "",
                            f"大写金额 {big.group(0)} 与小写金额 {figures.group(1).strip()} 不一致",
                        )
                    return (fig, at, figures.end()) if fig is not None else None
                return (value, at, big.end()) if value is not None else None
            m = re.compile(MONEY).match(text, at)
            if not m or not re.search(r"[\d万千百]", m.group(0)):
                return None
            after = text[m.end() : m.end() + 1]
            if m.group(0) != m.group(0).rstrip():
                after = " "  # "6000 / 分期 3 期", "¥7,800.00⏎期数": what follows a space is apart
            if (
                after
                in ("%", "％", "期", "个", "天", "日", "年", "月", "号", "-", "/", ".", "次", "笔")
                or after in ("多", "余", "来")  # "9千多": more than, not the amount
                or text.startswith("左右", m.end())
                or after.isdigit()
            ):
                return None
            value = parse_money(m.group(0))
            if value is None or (value == 0 and "元" not in m.group(0)):
                return None
            if not re.search(r"\d", m.group(0)) and not re.search(r"[万千百]", m.group(0)):
                return None
            return value, at, m.end()
        if kind == "date":
            m = re.compile(DATE).match(text, at)
            if not m:
                return None
            d = parse_date(m.group(0))
            return (d, at, m.end()) if d else None
        if kind == "days":
            m = re.compile(
                r"(\d+|[一二三四五六七八九十两]+)\s*(?:个)?(?:自然|工作)?(?:日|天)"
            ).match(text, at)
            if not m:
                return None
            n = cn_int(m.group(1))
            return (n, at, m.end()) if n is not None else None
        if kind == "ref":
            m = re.compile(_REF).match(text, at)
            if not m or not re.search(r"\d", m.group(0)):
                return None
            return m.group(0).rstrip("-_/"), at, m.end()
        if kind in ("org", "person", "person_or_org"):
            if kind != "person":
                m = re.compile(_ORG).match(text, at)
                if m and not any(d in m.group(0) for d in _DELIMS):
                    return m.group(0), at, m.end()
            if kind != "org":
                m = re.compile(_PERSON).match(text, at)
                if (
                    m
                    and m.group(0) not in _NOT_NAMES
                    and not m.group(0).startswith(("某某", "____"))
                ):
                    return m.group(0), at, m.end()
                m = re.compile(r"某某|[\u4e00-\u9fff]某").match(text, at)
                if m:
                    return None
            return None
        return None

    # -- sentences -----------------------------------------------------------------------------

    def read_sentences(self) -> None:
        for s in self.p.sentences:
            for m in s.words.finditer(self.text):
                start, end = self.sentence_at(m.start())
                body = self.text[start:end]
                if s.and_words is not None and not s.and_words.search(body):
                    continue
                if s.path == "agreement.breach_clause" and re.search(
                    r"不(?:视为|算|构成)违约", body
                ):
                    continue  # "逾期3天以内不视为违约" grants grace; it is not the breach clause
                if s.path == "agreement.credit_reporting" and re.search(
                    r"已经?(?:上报|报送|上了|进入)|修复征信|征信修复|消除(?:逾期)?记录", body
                ):
                    continue  # "你的逾期记录已经上报征信了" tells a fact, it is not a term
                clause = _clause(self.original[start:end])
                if clause and len(clause) <= 500:
                    self.put(s.path, clause, start, end, CONF_LABELLED)
                    break

    # -- rates ---------------------------------------------------------------------------------

    def read_rates(self) -> None:
        value_re = re.compile(RATE_VALUE)
        for rp in self.p.rates:
            if rp.zero is not None:
                for m in rp.zero.finditer(self.text):
                    s, _e = self.sentence_at(m.start())
                    if not re.search(
                        r"分期|期间|方案|每期|每月|计划|协议|停息|期数", self.text[s:_e]
                    ):
                        continue  # "可申请全额免息" with no plan in sight is not a plan rate
                    if "罚息" in self.text[s : m.start()] and "利息" not in m.group(0):
                        continue
                    self.put(
                        rp.path, {"value": "0", "unit": "annual"}, m.start(), m.end(), CONF_LABELLED
                    )
            for m in rp.labels.finditer(self.text):
                if rp.path == "agreement.rate" and re.search(
                    r"罚息|逾期", self.text[max(0, m.start() - 8) : m.start()]
                ):
                    continue
                path = rp.path
                if rp.path == "agreement.rate" and self._plan_context(m.start()):
                    path = "agreement.plan_rate"  # "分期期间年利率7.2%（即月利率0.5%）" restates it
                window = self.text[m.end() : m.end() + 12]
                v = value_re.search(window)
                if not v or "\n" in window[: v.start()] or "，" in window[: v.start()]:
                    continue
                context = m.group(0) + window[: v.start()]
                parsed = parse_rate(v.group(0), context)
                if parsed is None:
                    continue
                value, unit = parsed
                rate: dict[str, Any] = {"value": f"{value:f}", "unit": unit}
                basis = re.search(r"(360|365)\s*天", self.text[m.start() : m.end() + 40])
                if basis:
                    rate["basis"] = int(basis.group(1))
                end = m.end() + v.end()
                self.put(path, rate, m.start(), end, CONF_LABELLED)
        for path in ("agreement.rate", "agreement.plan_rate"):
            self._rate_conflicts(path)

    def _plan_context(self, index: int) -> bool:
        s, _e = self.sentence_at(index)
        return bool(
            re.search(r"分期期间|还款期间|方案期间|协议期间|分期利率", self.text[s : index + 8])
        )

    def _rate_conflicts(self, path: str) -> None:
        seen = self.stated.get(path, [])
        annual: list[tuple[set[Decimal], str]] = []
        for rate, _start in seen:
            v = Decimal(rate["value"])
            if v == 0:
                continue  # "不计息" against a stated rate is a terms conflict
            if rate["unit"] == "annual":
                options = {v}
            elif rate["unit"] == "monthly":
                options = {v * 12}
            else:
                options = {v * 360, v * 365}
            annual.append((options, f"{rate['value']} ({rate['unit']})"))
        for i in range(len(annual)):
            for j in range(i + 1, len(annual)):
                a, b = annual[i][0], annual[j][0]
                if not any(abs(x - y) <= Decimal("0.0005") for x in a for y in b):
                    self.problem(
                        "rate_conflict",
                        path,
                        f"同一利率写了两种说法，换算后不一致：{annual[i][1]} 与 {annual[j][1]}",
                    )

    # -- schedule ------------------------------------------------------------------------------

    def read_schedule(self) -> None:
        listed: list[tuple[dt.date | None, Decimal, int, int]] = []
        used: list[tuple[int, int]] = []
        for ex in self.p.instalment_lines:
            for m in ex.regex.finditer(self.text):
                if any(s <= m.start() < e for s, e in used):
                    continue
                due = parse_date(m.group("date"))
                amount = parse_money(m.group("amount"))
                if amount is None or due is None:
                    continue
                # a date that is the agreement's signing date or a loan date is not an instalment
                line_head = self.text[self.line_starts[self.pos(m.start())[0] - 1] : m.start()]
                head = re.split(r"[，,。；;!！?？]", line_head)[-1]
                if re.search(
                    r"签|借款日|放款|逾期|日期[:：]?$", head + self.text[m.start() : m.start() + 4]
                ):
                    continue
                listed.append((due, amount, m.start(), m.end()))
                used.append((m.start(), m.end()))
        for ex in self.p.instalment_months:
            for m in ex.regex.finditer(self.text):
                if any(s <= m.start() < e for s, e in used):
                    continue
                rows = self._month_rows(m)
                if rows is None:
                    continue
                listed.extend((due, amount, m.start(), m.end()) for due, amount in rows)
                used.append((m.start(), m.end()))
        month_ends: list[re.Match[str]] = []
        for ex in self.p.instalment_month_end:
            month_ends.extend(ex.regex.finditer(self.text))
        for m in sorted(month_ends, key=lambda x: x.start()):
            if any(s <= m.start() < e for s, e in used):
                continue
            if m.group("ym"):
                y, mo = (int(x) for x in re.findall(r"\d+", m.group("ym")))
            else:  # a month without its year follows the instalment listed before it
                before = [d for d, _a, s0, _e in listed if d is not None and s0 < m.start()]
                if not before:
                    continue
                mo = int(m.group("month"))
                prev = max(before)
                y = prev.year if mo > prev.month else prev.year + 1
            amount = parse_money(m.group("amount"))
            if amount is None or not 1 <= mo <= 12:
                continue
            last_day = dt.date(y + mo // 12, mo % 12 + 1, 1) - dt.timedelta(days=1)
            listed.append((last_day, amount, m.start(), m.end()))
            used.append((m.start(), m.end()))

        count_stated = None
        cm = None
        for found in re.finditer(
            r"(?:共|一共|合计|总共|分|分期期数|期数)[:：]?\s*(\d+|[一二三四五六七八九十两]+)\s*期",
            self.text,
        ):
            # "剩余款项分10期" counts part of the schedule, not the whole
            if not re.search(_REST_WORDS, self.text[max(0, found.start() - 24) : found.start()]):
                cm = found
                count_stated = cn_int(found.group(1))
                break
        if listed:
            worded_rows = self._worded_schedule(count_stated, cm, report=False)
            if worded_rows is not None and len(worded_rows) > len(listed):
                listed = []
        if listed:
            listed.sort(key=lambda x: x[2])
            for i, (due, amount, s, e) in enumerate(listed):
                self.put(f"agreement.instalments[{i}].due", due, s, e, CONF_LABELLED)
                self.put(
                    f"agreement.instalments[{i}].amount", _money_str(amount), s, e, CONF_LABELLED
                )
            self.values["agreement.instalments"] = [
                {"due": d, "amount": _money_str(a)} for d, a, _s, _e in listed
            ]
            if count_stated is not None and count_stated != len(listed) and cm is not None:
                self.problem(
                    "instalment_count",
                    "agreement.instalments",
                    f"文中说共 {count_stated} 期，但列出了 {len(listed)} 期",
                )
            self._check_dates([d for d, _a, _s, _e in listed])
            return
        worded = self._worded_schedule(count_stated, cm)
        if worded is not None:
            self._put_rows(worded)
            return
        for ex in self.p.schedules:
            phrase = ex.regex.search(self.text)
            if phrase and self._from_phrase(ex.name, phrase, count_stated):
                return
        total = self.values.get("agreement.total")
        whole = re.search(
            r"一次性(?:还清|结清|偿还|清偿)(?:全部|所有)(?:欠款|款项|本息|借款)", self.text
        )
        remaining = self.values.get("agreement.remaining")
        if total is None and whole is not None and remaining is not None:
            # "一次性还清全部欠款": the total is the whole balance the text states
            self.put("agreement.total", remaining, whole.start(), whole.end(), CONF_DERIVED)
            total = remaining
        only = re.search(r"(?:还清|结清|偿还)本金(?:即可|就可以|就能)", self.text)
        principal = self.values.get("agreement.principal")
        if total is None and only is not None and principal is not None:
            # "还清本金即可免除全部利息": the total is the principal the text states
            self.put("agreement.total", principal, only.start(), only.end(), CONF_DERIVED)
            total = principal
        if total is not None and any(x.regex.search(self.text) for x in self.p.one_off):
            for x in self.p.deadline:
                dm = x.regex.search(self.text)
                due = parse_date(dm.group("date")) if dm else None
                if dm is not None and due is not None:
                    self.put(
                        "agreement.instalments[0].due", due, dm.start(), dm.end(), CONF_DERIVED
                    )
                    self.put(
                        "agreement.instalments[0].amount", total, dm.start(), dm.end(), CONF_DERIVED
                    )
                    self.values["agreement.instalments"] = [{"due": due, "amount": total}]
                    return

    def _until_paid(self) -> Decimal | None:
        """The amount a schedule runs until: "至全部欠款人民币9,000元还清为止"."""
        m = re.search(
            rf"(?:至|直到|直至)(?:全部)?(?:欠款|款项|借款|本息)(?:人民币)?\s*(?P<m>{MONEY})\s*"
            r"(?:全部)?(?:还清|结清|付清)为?止",
            self.text,
        )
        return parse_money(m.group("m")) if m else None

    def _month_rows(self, m: re.Match[str]) -> list[tuple[dt.date | None, Decimal]] | None:
        """``2027年1月至2027年10月，每月20日前还款2,150元``: one dated row a month."""
        first = [int(x) for x in re.findall(r"\d+", m.group("from"))]
        last = [int(x) for x in re.findall(r"\d+", m.group("to"))]
        if len(last) == 1:
            last = [first[0], last[0]]
        month_end = bool(m.groupdict().get("end"))
        day = 31 if month_end else cn_int(m.group("day") or "")
        amount = parse_money(m.group("amount"))
        if day is None or amount is None or not (1 <= first[1] <= 12 and 1 <= last[1] <= 12):
            return None
        months = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
        if not 1 <= months <= 120:
            return None
        rows: list[tuple[dt.date | None, Decimal]] = []
        for i in range(months):
            k = first[1] - 1 + i
            y, mo = first[0] + k // 12, k % 12 + 1
            if month_end:  # 每个月底: the last day of each month
                rows.append((dt.date(y + mo // 12, mo % 12 + 1, 1) - dt.timedelta(days=1), amount))
                continue
            try:
                due: dt.date | None = dt.date(y, mo, day)
            except ValueError:
                due = None  # no such day in that month: the text does not say which
            rows.append((due, amount))
        return rows

    def _worded_schedule(
        self, count_stated: int | None, cm: re.Match[str] | None, *, report: bool = True
    ) -> list[_Row] | None:
        """The instalments a schedule described in words gives (``前3期每期2000元、后6期每期
        1500元``), each row with the words it came from; None when the pieces do not make one
        whole schedule (a gap, an overlap, a count the text does not give)."""
        found: list[tuple[str, re.Match[str]]] = []
        for seg in self.p.segments:
            for m in seg.regex.finditer(self.text):
                if m.start() == m.end() or any(
                    m.start() < o.end() and o.start() < m.end() for _r, o in found
                ):
                    continue
                found.append((seg.role, m))
        if not found:
            return None
        found.sort(key=lambda x: x[1].start())
        if cm is not None and any(
            o.start() <= cm.start() < o.end()
            for role, o in found
            if role in ("following", "split_rest", "leading", "range")
        ):
            count_stated, cm = None, None  # "余款…分5期付清" counts a piece, not the whole
        slots: dict[int, _Row] = {}
        total_count = count_stated
        open_rest: tuple[Decimal, re.Match[str]] | None = None
        last: tuple[Decimal, re.Match[str]] | None = None
        split: tuple[int, re.Match[str]] | None = None
        part: tuple[Decimal, re.Match[str]] | None = None
        last_add: tuple[Decimal, re.Match[str]] | None = None
        problems: list[tuple[str, str, str]] = []

        pieces: list[tuple[int, int, int]] = []

        def assign(first: int, end: int, amount: Decimal | None, m: re.Match[str]) -> bool:
            if first < 1 or end < first or end > 120:
                return False
            pieces.append((first, m.start(), m.end()))
            for k in range(first, end + 1):
                if k in slots:
                    return False  # two pieces for one instalment: not one schedule
                slots[k] = _Row(amount, m.start(), m.end(), CONF_DERIVED)
            return True

        total_seen = self.values.get("agreement.total")
        total_now = Decimal(total_seen) if total_seen is not None else None

        def known_now() -> bool:
            return all(r.amount is not None for r in slots.values())

        for role, m in found:
            g = m.groupdict()
            each = parse_money(g["each"]) if g.get("each") else None
            count = cn_int(g["count"]) if g.get("count") else None
            covered = max(slots, default=0)
            ok = True
            if g.get("part") and covered == 0 and part is None:
                amount = parse_money(g["part"])
                part = (amount, m) if amount is not None else None
            if role == "all" and count is not None:
                end = count
                if covered and each is not None and total_now is not None and known_now():
                    # "首付X；然后每月Y，一共N个月": N in all, unless the total says N after
                    done = sum((r.amount for r in slots.values() if r.amount), Decimal(0))
                    done += sum(
                        (
                            parse_money(o.group("each")) or Decimal(0)
                            for r2, o in found
                            if r2 == "last" and o.groupdict().get("each")
                        ),
                        Decimal(0),
                    )
                    if done + each * (count - covered) != total_now == done + each * count:
                        end = covered + count
                        cm = None
                        total_count = None  # the count belongs to this piece
                ok = assign(covered + 1, end, each, m) if covered < end else False
                if end != count:
                    pass  # counted after the first: the pieces say how many there are
                elif total_count is None:
                    total_count = count
                elif total_count != count and cm is not None:
                    problems.append(
                        (
                            "instalment_count",
                            "agreement.instalments",
                            f"文中说共 {total_count} 期，又说分 {count} 期",
                        )
                    )
            elif role == "leading" and g.get("months"):
                # "1月、2月、3月各还2,000": one instalment for each month named
                ok = assign(1, len(re.findall(r"\d{1,2}\s*月", g["months"])), each, m)
            elif role == "leading" and count is not None:
                ok = assign(1, count, each, m)
            elif role == "range":
                a, b = cn_int(g.get("from") or ""), cn_int(g.get("to") or "")
                ok = a is not None and b is not None and assign(a, b, each, m)
            elif role == "single":
                n = 1 if g.get("first") else cn_int(g.get("n") or "")
                ok = n is not None and assign(n, n, each, m)
            elif role == "following" and count is not None:
                ok = assign(covered + 1, covered + count, each, m)
            elif (
                role == "open_rest"
                and each is not None
                and count is not None
                and "分" in (g.get("countword") or "")
                and "共" not in (g.get("countword") or "")
            ):  # "之后每月还1,500，分5期还完": five after those covered
                ok = assign(covered + 1, covered + count, each, m)
                cm = None
            elif role == "open_rest" and each is not None and open_rest is None:
                open_rest = (each, m)
                if count is not None and total_count is None:
                    total_count = count  # "之后每月2000元，共13期": the count in all
            elif role == "last" and each is not None and last is None:
                last = (each, m)
            elif role == "last_add" and each is not None and last_add is None:
                last_add = (each, m)
            elif role == "split_rest" and count is not None and split is None:
                split = (count, m)
            if not ok:
                return None
        if open_rest is not None and split is not None:
            return None
        total_v = self.values.get("agreement.total")
        if total_v is None and part is not None and report:
            # "剩下18,000元分12期": the amount the first piece shares out is the plan's total
            self.put("agreement.total", part[0], part[1].start(), part[1].end(), CONF_DERIVED)
            total_v = part[0]
        total = Decimal(total_v) if total_v is not None else None
        last_amount = last[0] if last is not None else Decimal(0)
        covered = max(slots, default=0)
        known = all(r.amount is not None for r in slots.values())
        assigned = sum((r.amount for r in slots.values() if r.amount is not None), Decimal(0))
        if open_rest is not None:
            each, m = open_rest
            if total_count is not None:
                end = total_count - (1 if last is not None else 0)
                after = total_count + covered  # "首期X，之后每月Y，共N期" counted after the first
                if (
                    total is not None
                    and known
                    and last is None
                    and covered == 1
                    and assigned + each * (end - covered) != total
                    and assigned + each * (after - covered) == total
                ):
                    end = after
                    cm = None  # the count is read as the months after the first: no conflict
            elif (until := self._until_paid()) is not None and known and each > 0:
                # "每月还1,500元，至全部欠款9,000元还清为止": as many as that amount needs
                left = until - assigned - last_amount
                if left <= 0 or left % each != 0:
                    return None
                end = covered + int(left / each)
            elif total is not None and known and each > 0:
                left = total - assigned - last_amount
                if left <= 0 or left % each != 0:
                    return None
                end = covered + int(left / each)
            else:
                return None
            if end <= covered or not assign(covered + 1, end, each, m):
                return None
            covered = end
        if split is not None:
            count, m = split
            share: Decimal | None = None
            if total is not None and known:
                left = total - assigned - last_amount
                quotient = left / count
                if left > 0 and quotient == quotient.quantize(FEN):
                    share = quotient  # exact to the fen; otherwise how it is split is unknown
            if not assign(covered + 1, covered + count, share, m):
                return None
            covered += count
        if last is not None:
            each, m = last
            row = _Row(each, m.start(), m.end(), CONF_DERIVED)
            if total_count is not None and covered == total_count and covered > 1:
                slots[covered] = row
            elif total_count is None or covered == total_count - 1:
                slots[covered + 1] = row
            else:
                return None
        if not slots or sorted(slots) != list(range(1, len(slots) + 1)):
            return None
        if last_add is not None:  # "利息2,640元于最后一期一并支付"
            final = slots[len(slots)]
            if final.amount is None:
                return None
            slots[len(slots)] = _Row(
                final.amount + last_add[0], last_add[1].start(), last_add[1].end(), CONF_DERIVED
            )
        rows = [slots[k] for k in sorted(slots)]
        if len(rows) == 1 and not (last or split or open_rest):
            return None  # one amount alone is not a schedule
        self._first_due = None
        self._pieces = pieces
        head = slots[1]
        tail = re.match(r"[^。；;\n]*", self.text[head.end :])
        lead = re.search(r"[^，,。；;\n]*\Z", self.text[: head.start])
        begin = lead.start() if lead else head.start
        around = self.text[begin : head.end + (tail.end() if tail else 0)]
        when = re.search(DATE, around)
        if when is not None and parse_date(when.group(0)) is not None:
            at = begin + when.start()
            self._first_due = (parse_date(when.group(0)), at, begin + when.end())
        else:
            # "2027年还款计划：第1期1月20日2,000元": a month and day under a year named alone
            md = re.search(r"(\d{1,2})月(\d{1,2})[日号]", around)
            year = re.search(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月)", self.text)
            if md and year:
                try:
                    due: dt.date | None = dt.date(
                        int(year.group(1)), int(md.group(1)), int(md.group(2))
                    )
                except ValueError:
                    due = None
                self._first_due = (due, begin + md.start(), begin + md.end())
        if report:
            for code, path, message in problems:
                self.problem(code, path, message)
            if count_stated is not None and cm is not None and count_stated != len(rows):
                self.problem(
                    "instalment_count",
                    "agreement.instalments",
                    f"文中说共 {count_stated} 期，但按各段算是 {len(rows)} 期",
                )
        return rows

    def _put_rows(self, rows: list[_Row]) -> None:
        dues = self._dues(len(rows), self._first_due)
        items = []
        for i, row in enumerate(rows):
            item: dict[str, Any] = {}
            if dues is not None and dues[0][i] is not None:
                item["due"] = dues[0][i]
                self.put(
                    f"agreement.instalments[{i}].due", item["due"], dues[1], dues[2], CONF_DERIVED
                )
            if row.amount is not None:
                item["amount"] = _money_str(row.amount)
                self.put(
                    f"agreement.instalments[{i}].amount",
                    item["amount"],
                    row.start,
                    row.end,
                    row.confidence,
                )
            items.append(item)
        self.values["agreement.instalments"] = items

    def _from_phrase(self, name: str, m: re.Match[str], count_stated: int | None) -> bool:
        groups = m.groupdict()
        each = parse_money(groups["each"]) if groups.get("each") else None
        first = parse_money(groups["amount"]) if groups.get("amount") else None
        count = cn_int(groups["count"]) if groups.get("count") else None
        rest = cn_int(groups["rest"]) if groups.get("rest") else None
        if count is None and "count" not in groups:
            count = count_stated
        if each is None:
            return False
        amounts: list[Decimal]
        if name == "first_then_monthly" and first is not None:
            if rest is not None:
                amounts = [first] + [each] * rest
                if count is not None and count != rest + 1:
                    self.problem(
                        "instalment_count",
                        "agreement.instalments",
                        f"文中说共 {count} 期，但首期加之后 {rest} 期是 {rest + 1} 期",
                    )
            elif count is not None:
                amounts = [first] + [each] * (count - 1)
                total = self.values.get("agreement.total")
                if total is not None and Decimal(total) == first + each * count:
                    amounts = [first] + [each] * count  # "之后每月…，共N期" counted after the first
            else:
                return False
        elif count is not None:
            amounts = [each] * count
        else:
            return False
        if not amounts or len(amounts) > 120:
            return False
        dues = self._dues(len(amounts))
        items = []
        for i, amount in enumerate(amounts):
            item: dict[str, Any] = {"amount": _money_str(amount)}
            self.put(
                f"agreement.instalments[{i}].amount",
                item["amount"],
                m.start(),
                m.end(),
                CONF_DERIVED,
            )
            if dues is not None and dues[0][i] is not None:
                item["due"] = dues[0][i]
                self.put(
                    f"agreement.instalments[{i}].due", item["due"], dues[1], dues[2], CONF_DERIVED
                )
            items.append(item)
        self.values["agreement.instalments"] = items
        return True

    def _dues(
        self, n: int, first_due: tuple[dt.date | None, int, int] | None = None
    ) -> tuple[list[dt.date | None], int, int] | None:
        start: dt.date | None = None
        where = (0, 0)
        if first_due is not None and first_due[0] is not None:
            # the date written beside the first instalment ("首付款2,200元，2026年12月18日之前")
            start, where = first_due[0], (first_due[1], first_due[2])
        for ex in self.p.schedule_start if start is None else ():
            m = next(
                (
                    found
                    for found in ex.regex.finditer(self.text)
                    # "自2026年3月15日起未按约还款" dates the default, not the schedule
                    if "\n" in found.group(0)[-3:]
                    or not re.match(
                        r"[^，。；;\n]{0,4}?(?:逾期|未按|未还|拖欠|违约|停止还款)",
                        self.text[found.end() :],
                    )
                ),
                None,
            )
            if m:
                if m.groupdict().get("date"):
                    start = parse_date(m.group("date"))
                elif m.groupdict().get("ym"):
                    ym = parse_ym(m.group("ym"))
                    day_m = m if m.groupdict().get("day") else None
                    for dx in self.p.schedule_day if day_m is None else ():
                        day_m = dx.regex.search(self.text)
                        if day_m:
                            break
                    if day_m is not None:
                        try:
                            start = dt.date(ym[0], ym[1], cn_int(day_m.group("day")) or 0)
                        except ValueError:
                            start = None
                where = (m.start(), m.end())
                break
        if start is None:
            return None
        day = start.day
        for dx in self.p.schedule_day:
            dm = dx.regex.search(self.text)
            if dm:
                day = cn_int(dm.group("day")) or start.day
                break
        step = 1
        weekly = False
        for ix in self.p.schedule_interval:
            im = ix.regex.search(self.text)
            if im is not None:
                weekly = im.groupdict().get("months") is None
                step = cn_int(im.group("months") or "") or 1
                break
        # the start dates the piece it is written in: "首付款…；剩余款项自2027年1月起…" leaves the
        # first payment without a date when that date is not given
        offset = 0
        if first_due is None or first_due[0] is None:
            for first_period, s0, e0 in self._pieces:
                if first_period > 1 and s0 - 12 <= where[0] < e0:
                    offset = first_period - 1
                    break
        dues: list[dt.date | None] = [None] * offset
        if weekly:
            dues += [start + dt.timedelta(days=7 * i) for i in range(n - offset)]
            return dues, where[0], where[1]
        for i in range(n - offset):
            month = start.month - 1 + i * step
            y, mo = start.year + month // 12, month % 12 + 1
            d = start.day if i == 0 else day
            try:
                dues.append(dt.date(y, mo, d))
            except ValueError:
                dues.append(None)  # no such day in that month: the text does not say which
        return dues, where[0], where[1]

    def _check_dates(self, dues: list[dt.date | None]) -> None:
        known = [d for d in dues if d is not None]
        for i in range(1, len(known)):
            if known[i] <= known[i - 1]:
                self.problem(
                    "date_conflict",
                    "agreement.instalments",
                    f"还款日期顺序不对：{known[i]} 排在 {known[i - 1]} 之后",
                )
                break

    # -- text-wide checks ----------------------------------------------------------------------

    def check_weekdays(self) -> None:
        names = "一二三四五六日"
        pat = re.compile(rf"(?P<date>{DATE})\s*[（(]?\s*(?:星期|周|礼拜)(?P<w>[一二三四五六日天])")
        for m in pat.finditer(self.text):
            d = parse_date(m.group("date"))
            if d is None:
                continue
            w = m.group("w").replace("天", "日")
            if names[d.weekday()] != w:
                self.problem(
                    "date_conflict",
                    "",
                    f"{m.group('date').strip()} 是星期{names[d.weekday()]}，文中写的是星期{w}",
                )

    def check_amount_words(self) -> None:
        pat = re.compile(
            rf"(?P<big>{BIG_MONEY})\s*[（(]\s*(?:小写)?[:：]?\s*(?P<fig>{MONEY})\s*[)）]"
        )
        pat2 = re.compile(
            rf"(?P<fig>{MONEY})\s*[（(]\s*(?:大写)?[:：]?\s*(?P<big>{BIG_MONEY})\s*[)）]"
        )
        for p in (pat, pat2):
            for m in p.finditer(self.text):
                big = parse_big_money(m.group("big"))
                fig = parse_money(m.group("fig"))
                if big is not None and fig is not None and big != fig:
                    self.problem(
                        "amount_words",
                        self._field_at(m.start()),
                        f"大写 {m.group('big').strip()} 与数字 {m.group('fig').strip()} 不一致",
                    )

    def _field_at(self, index: int) -> str:
        best = ""
        for path, items in self.stated.items():
            for _v, start in items:
                line_s = self.line_starts[self.pos(index)[0] - 1]
                if line_s <= start <= index:
                    best = path
        return best

    def check_totals(self) -> None:
        totals = {v for v, _s in self.stated.get("agreement.total", [])}
        if len(totals) > 1:
            shown = "、".join(sorted(_money_str(Decimal(t)) for t in totals))
            self.problem("terms_conflict", "agreement.total", f"应还总额写了不同的数：{shown}")
        items = self.values.get("agreement.instalments")
        total = self.values.get("agreement.total")
        if items and total is not None and all("amount" in i for i in items):
            s = sum((Decimal(i["amount"]) for i in items), Decimal(0))
            if s != Decimal(total):
                self.problem(
                    "schedule_sum",
                    "agreement.total",
                    f"各期合计 {_money_str(s)} 元，"
                    f"与写明的总额 {_money_str(Decimal(total))} 元不一致",
                )
        plan = self.values.get("agreement.plan_rate")
        zeros = [
            r for r, _s in self.stated.get("agreement.plan_rate", []) if Decimal(r["value"]) == 0
        ]
        nonzero = [
            r for r, _s in self.stated.get("agreement.plan_rate", []) if Decimal(r["value"]) > 0
        ]
        if zeros and re.search(
            r"(?:每期|每月)[^。；\n]{0,12}(?:包含|含有?)(?:的)?利息\s*\d", self.text
        ):
            self.problem(
                "terms_conflict",
                "agreement.plan_rate",
                "一处写分期期间不计利息，另一处又写每期还款中含有利息",
            )
        if plan is not None and zeros and nonzero:
            self.problem(
                "terms_conflict",
                "agreement.plan_rate",
                "一处写分期期间不计利息，另一处又写了分期利率",
            )
        waived_all = re.search(
            r"(?:全部|所有)罚息(?:予以)?(?:减免|免除)|免除全部罚息|罚息全免", self.text
        )
        penalty = self.values.get("agreement.penalty")
        if (
            waived_all
            and penalty is not None
            and Decimal(penalty) > 0
            and re.search(r"(?:包含|含)(?:罚息|全部罚息)", self.text)
        ):
            self.problem(
                "terms_conflict",
                "agreement.penalty",
                "一处写罚息全部免除，另一处应还金额又包含罚息",
            )
        cures = {v for v, _s in self.stated.get("agreement.cure_days", [])}
        if len(cures) > 1:
            self.problem(
                "terms_conflict", "agreement.cure_days", f"宽限期写了不同的天数：{sorted(cures)}"
            )
        if re.search(r"不(?:会)?(?:上报|报送)征信", self.text) and re.search(
            r"(?<!不)(?<!不会)(?:如实|正常)?(?:上报|报送)(?:至)?征信", self.text
        ):
            self.problem(
                "terms_conflict",
                "agreement.credit_reporting",
                "一处写不报送征信，另一处又写报送征信",
            )
        if "agreement.date" in self.values:
            d = self.values["agreement.date"]
            dues = [
                i.get("due") for i in self.values.get("agreement.instalments", []) if i.get("due")
            ]
            if dues and min(dues) < d:
                self.problem(
                    "date_conflict",
                    "agreement.instalments",
                    f"第一期还款日 {min(dues)} 早于协议日期 {d}",
                )

    # -- red flags and the payee ---------------------------------------------------------------

    def read_red_flags(self) -> None:
        for flag in self.p.red_flags:
            for m in flag.regex.finditer(self.text):
                if flag.code in _WARNED_AGAINST and self._warned(m.start()):
                    continue  # "切勿转账至任何个人账户" warns against it: not a request
                line, col = self.pos(m.start())
                hit = RedFlagHit(flag.code, self.original[m.start() : m.end()], line, col)
                if hit not in self.flags:
                    self.flags.append(hit)
        codes = {f.code for f in self.flags}
        fee_words = re.search(
            r"(?:服务费|咨询费|代理费|手续费|办理费|收费)", self.text
        ) and not re.search(r"成功后|办成(?:了)?(?:再|后)|不成功不收", self.text)
        if "debt_agent" in codes and "deposit" not in codes and fee_words:
            # an agent's fee asked for before anything is done is a payment before the waiver
            fw = re.search(r"服务费|咨询费|代理费|手续费|办理费|收费", self.text)
            if fw is not None:
                line, col = self.pos(fw.start())
                self.flags.append(RedFlagHit("deposit", fw.group(0), line, col))
                codes.add("deposit")
        pay_first = re.search(r"先付\s*\d", self.text)
        if "debt_agent" in codes and "deposit" not in codes and pay_first:
            # an agent who wants part of the fee first: a payment before anything is done
            line, col = self.pos(pay_first.start())
            self.flags.append(RedFlagHit("deposit", pay_first.group(0), line, col))
            codes.add("deposit")
        first = {f.code: f for f in reversed(self.flags)}

        def at(code: str) -> tuple[int, int]:
            hit = first[code]
            start = self.line_starts[hit.line - 1] + hit.column - 1
            return start, start + len(hit.phrase)

        if "personal_account" in codes:
            s, e = at("personal_account")
            self.put("agreement.repayment_account", "personal", s, e, CONF_LABELLED)
        if "verification_code" in codes:
            s, e = at("verification_code")
            self.put("agreement.verification_code_requested", True, s, e, CONF_LABELLED)
        if "third_party_consent" in codes:
            s, e = at("third_party_consent")
            self.put("agreement.third_party_contact_consent", True, s, e, CONF_LABELLED)
        if "waives_rights" in codes:
            s, e = at("waives_rights")
            self.put("agreement.excludes_borrower_rights", True, s, e, CONF_LABELLED)
        if "debt_agent" in codes:
            s, e = at("debt_agent")
            self.put("agreement.intermediary", first["debt_agent"].phrase, s, e, CONF_LABELLED)
        if "clawback" in codes and "agreement.breach_clause" not in self.values:
            s, _e = at("clawback")
            ss, se = self.sentence_at(s)
            self.put(
                "agreement.breach_clause", _clause(self.original[ss:se]), ss, se, CONF_LABELLED
            )
        if (
            "debt_agent" in codes
            and "agreement.fees" in self.values
            and "agreement.intermediary_fee" not in self.values
        ):  # "我们是征信修复团队…费用3,800元": the fee is the agent's
            self.values["agreement.intermediary_fee"] = self.values.pop("agreement.fees")
            self.prov["agreement.intermediary_fee"] = self.prov.pop("agreement.fees")
        if "agreement.intermediary_fee" in self.values and "debt_agent" not in codes:
            # a service fee alone is an ordinary lender charge, not an intermediary's
            del self.values["agreement.intermediary_fee"]
            del self.prov["agreement.intermediary_fee"]
        if "agreement.repayment_account" not in self.values:
            mentions = []
            for pat, kind in (
                (
                    r"对公[账帐]户|(?<!代收)公司(?:的)?[账帐](?:上|户|号)|官方(?:指定)?(?:还款)?[账帐]户",
                    "official_company",
                ),
                (
                    r"(?:App|APP|app|小程序)内"
                    r"|(?:通过|透过|经由|使用|在|登录)[^，。\n]{0,8}(?:App|APP|app|小程序)",
                    "in_app",
                ),
            ):
                for acct in re.finditer(pat, self.text):
                    reach = 20 if kind == "official_company" else 12  # "打到某某公司的对公账户"
                    near = self.text[max(0, acct.start() - reach) : acct.end() + 12]
                    if re.search(r"还|付|缴|汇|转|打|操作", near):
                        mentions.append((acct.start(), acct.end(), kind))
                        break
            if mentions:  # where a text names both, the company account (the named one) wins
                s0, e0, kind = mentions[0]
                self.put("agreement.repayment_account", kind, s0, e0, CONF_LABELLED)

    def _warned(self, index: int) -> bool:
        clause = re.split(r"[，,。；;!！?？\n]", self.text[max(0, index - 16) : index])[-1]
        return bool(re.search(_WARNING, clause))

    def named_payee(self) -> None:
        """``转账至财务张敏的银行卡``: money routed to a named person's own card or account."""
        m = re.search(_NAMED_PAYEE, self.text)
        if m and m.group("name") not in _NOT_NAMES:
            self.put(
                "agreement.account_holder",
                m.group("name"),
                m.start("name"),
                m.end(),
                CONF_LABELLED,
            )

    def check_payee(self) -> None:
        holder = self.values.get("agreement.account_holder")
        lender = self.values.get("agreement.lender.name")
        account = self.values.get("agreement.repayment_account")
        if account == "personal":
            self.problem(
                "payee_not_creditor",
                "agreement.repayment_account",
                "钱要付到个人账户（支付宝、微信、个人银行卡或某个人），而不是债权人的对公账户",
            )
        elif holder is not None and re.fullmatch(_PERSON, holder) and not holder.endswith("公司"):
            s, e = self._where("agreement.account_holder")
            self.put("agreement.repayment_account", "personal", s, e, CONF_DERIVED)
            line, col = self.pos(s)
            hit = RedFlagHit("personal_account", self.original[s:e], line, col)
            if hit not in self.flags:
                self.flags.append(hit)  # money to a named individual
            self.problem(
                "payee_not_creditor",
                "agreement.account_holder",
                f"收款人 {holder} 是个人，不是债权人",
            )
        elif holder is not None and _party_kind(holder) == "collection_agency" and holder != lender:
            self.problem(
                "payee_not_creditor",
                "agreement.account_holder",
                f"收款方 {holder} 是催收或资产管理机构，不是债权人",
            )
        elif holder is not None and lender is not None and holder == lender and account is None:
            # the creditor's own named account ("收款账户：户名：某某小额贷款股份有限公司")
            s, e = self._where("agreement.account_holder")
            self.put("agreement.repayment_account", "official_company", s, e, CONF_DERIVED)
        elif holder is not None and lender is not None and holder != lender:
            self.problem(
                "payee_not_creditor",
                "agreement.account_holder",
                f"收款方 {holder} 不是协议中的债权人 {lender}",
            )

    def _where(self, path: str) -> tuple[int, int]:
        p = self.prov[path]
        start = self.line_starts[p.line - 1] + p.column - 1
        return start, start + len(p.snippet)

    # -- the whole -----------------------------------------------------------------------------

    def form(self) -> None:
        t = self.text
        rules = (
            (  # an e-mail's header lines
                r"^\s*(?:发件人|收件人|主题|抄送|From|To|Subject)[:：]",
                "email",
                None,
            ),
            (
                r"电话|通话|来电|致电|打给[^，。\n]{0,10}客服|打(?:了|过)?[^，。\n]{0,6}客服电话",
                "phone_only",
                r"记录|笔记|说|讲|称|同意|协商|承诺|答应|表示|谈妥|谈好|约定",
            ),
            (r"电子(?:合同|协议|签)|在线签|线上签", "e_contract", None),
            (
                r"协议书|合同书|确认书|确认函|承诺书|协议$|合同$|甲方|乙方|签字|盖章"
                r"|^\S{2,24}的通知\s*$|^\S{0,10}函\s*$",
                "paper",
                None,
            ),
            (
                r"App|APP|确认页|方案详情|点击[\"“「]?确认|确认方案|方案确认"
                r"|^\S{0,8}(?:还款|结清|分期|协商|减免)(?:方案|计划|申请|详情)?(?:确认)?\s*$",
                "e_contract",
                None,
            ),
            (r"邮件|Email|email|E-mail", "email", None),
        )
        for pat, form, also in rules:
            m = next(
                (
                    found
                    for found in re.finditer(pat, t, re.M)
                    # "不用走App了" says the App is not the way
                    if not re.search(
                        r"(?:不用|不要|别|不走|无需|不必)走?$", t[: found.start()][-4:]
                    )
                ),
                None,
            )
            if m and (also is None or re.search(also, t)):
                if (
                    form == "paper"
                    and re.search(r"微信|短信|【", t)
                    and not re.search(r"协议书|合同书", t)
                ):
                    continue
                self.put("agreement.form", form, m.start(), m.end(), CONF_INFERRED)
                return
        self.put("agreement.form", "chat", 0, min(len(t), 20), CONF_INFERRED)

    def signature_date(self) -> None:
        """A date standing alone on a line after the signature block is the agreement's date."""
        if "agreement.date" in self.values:
            return
        sign = re.search(r"签字|盖章|签章|签名", self.text)
        if sign is None:
            if self.values.get("agreement.form") != "paper":
                return
            # a letter or undertaking closes with its date on a line of its own
            last = re.search(rf"(?m)^[ \t]*(?P<date>{DATE})[ \t]*\s*\Z", self.text)
            d = parse_date(last.group("date")) if last else None
            if last is not None and d is not None:
                self.put("agreement.date", d, last.start("date"), last.end("date"), CONF_DERIVED)
            return
        for m in re.finditer(rf"(?m)^\s*(?P<date>{DATE})\s*$", self.text[sign.end() :]):
            d = parse_date(m.group("date"))
            if d is not None:
                start = sign.end() + m.start("date")
                self.put("agreement.date", d, start, sign.end() + m.end("date"), CONF_DERIVED)
                return

    def run(self) -> Extraction:
        self.read_fields()
        self.read_sentences()
        self.read_rates()
        self.read_red_flags()
        self.read_schedule()
        self.named_payee()
        self.check_weekdays()
        self.check_amount_words()
        self.check_payee()
        self.check_totals()
        self.form()
        self.signature_date()
        if "agreement.waived" in self.values:
            self.put(
                "agreement.waiver_negotiated", True, *self._where("agreement.waived"), CONF_DERIVED
            )
        total, balance = self.values.get("agreement.total"), self.values.get("agreement.remaining")
        if total is not None and balance is not None and Decimal(total) < Decimal(balance):
            # "你欠的两万…只还一万五": less than the balance to settle it is a waiver
            self.put(
                "agreement.waiver_negotiated", True, *self._where("agreement.total"), CONF_DERIVED
            )
        for m in re.finditer(_WAIVER, self.text):
            # "不能减免任何费用" is a refusal, not a waiver agreed or offered
            before = self.text[max(0, m.start() - 6) : m.start()]
            if re.search(
                r"(?:不能|不可|不可以|无法|不予|不会|不同意|拒绝|没法|不给)(?:任何)?$", before
            ):
                continue
            self.put("agreement.waiver_negotiated", True, m.start(), m.end(), CONF_LABELLED)
            break
        if "agreement.lender.name" in self.values:
            name = self.values["agreement.lender.name"]
            kind = _party_kind(name)
            if kind != "lender":
                self.put(
                    "agreement.lender.kind",
                    kind,
                    *self._where("agreement.lender.name"),
                    CONF_DERIVED,
                )
        if "agreement.borrower.name" in self.values:
            self.values.setdefault("agreement.borrower.kind", "individual")
        self._drop_agent_fee_schedule()
        self._breakdown_total()
        return self.result()

    def _breakdown_total(self) -> None:
        """ "本金 8,000 / 利息 960 / 罚息 240 / 合计 9,200" with no plan: the 合计 adds up what is
        owed — the balance, not an agreed total."""
        prov = self.prov.get("agreement.total")
        if (
            prov is None
            or "agreement.remaining" in self.values
            or "agreement.instalments" in self.values
        ):
            return
        if not re.match(r"(?:合计|共计)", prov.snippet):
            return
        above = self.text[: self.line_starts[prov.line - 1]].splitlines()[-3:]
        if len([x for x in above if re.match(r"\s*(?:本金|利息|罚息|费用|违约金|滞纳金)", x)]) >= 2:
            self.values["agreement.remaining"] = self.values.pop("agreement.total")
            self.prov["agreement.remaining"] = self.prov.pop("agreement.total")

    def _drop_agent_fee_schedule(self) -> None:
        """An agent's fee paid in parts ("先付2,000，修复完成再付尾款1,800") is not the debt's
        schedule."""
        fee = self.values.get("agreement.intermediary_fee")
        items = self.values.get("agreement.instalments")
        if fee is None or not items or not all("amount" in i for i in items):
            return
        if sum((Decimal(i["amount"]) for i in items), Decimal(0)) == Decimal(fee):
            del self.values["agreement.instalments"]
            for path in [p for p in self.prov if p.startswith("agreement.instalments[")]:
                del self.prov[path]

    def result(self) -> Extraction:
        agreement: dict[str, Any] = {}
        loan: dict[str, Any] = {}
        for path, value in self.values.items():
            parts = path.split(".")
            if parts[0] == "agreement" and "[" not in path:
                target = agreement
                for key in parts[1:-1]:
                    target = target.setdefault(key, {})
                target[parts[-1]] = _plain(value)
            elif parts[0] == "loans":
                loan[parts[1]] = _plain(value)
        ordered = {"form": agreement.pop("form")} | agreement
        provenance = {}
        for path, p in self.prov.items():
            if path.startswith("loans."):
                continue
            provenance[path] = p
        # loan facts the text states
        for src, dst in (
            ("agreement.lender.name", "lender_name"),
            ("agreement.contract_ref", "contract_no"),
            ("agreement.loan_amount", "principal"),
            ("agreement.rate", "rate"),
        ):
            if src in self.values:
                loan[dst] = _plain(self.values[src])
                provenance[f"loans[0].{dst}"] = self.prov[src]
        for key in ("contract_date", "overdue_since"):
            if f"loans.{key}" in self.values:
                provenance[f"loans[0].{key}"] = self.prov[f"loans.{key}"]
        if "lender_name" in loan:
            lt = _lender_type(loan["lender_name"])
            if lt is not None:
                loan["lender_type"] = lt
                provenance["loans[0].lender_type"] = self.prov["agreement.lender.name"]
            else:
                loan.pop("lender_name")
                provenance.pop("loans[0].lender_name")
        for path in list(provenance):
            if (
                path.startswith("agreement.")
                and "[" not in path
                and _get(ordered, path) is None
                and path != "agreement.form"
            ):
                provenance.pop(path)
        loans = [loan] if loan else []
        return Extraction(
            agreement=ordered,
            loans=loans,
            provenance=provenance,
            inconsistencies=tuple(self.problems),
            red_flags=tuple(self.flags),
        )


def _clause(sentence: str) -> str:
    """A clause as written, without its list number (五、 第三条 1. or a bullet)."""
    return re.sub(
        r"^\s*(?:[一二三四五六七八九十]+[、.]|\d+[、.]|第[一二三四五六七八九十\d]+条|[-•·*]\s)\s*",
        "",
        sentence.strip(),
    )


def _get(data: dict[str, Any], path: str) -> Any:
    cur: Any = data
    for key in path.split(".")[1:]:
        if not isinstance(cur, dict) or key not in cur:
            return None
        cur = cur[key]
    return cur


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _money_str(value)
    return value


def _lender_type(name: str) -> str | None:
    if "消费金融" in name:
        return "consumer_finance"
    if "小额贷款" in name or "小贷" in name:
        return "microloan"
    if name.endswith("银行") or "银行股份" in name or "银行有限" in name:
        return "bank"
    return None


def _party_kind(name: str) -> str:
    if re.search(r"催收|资产管理|信息咨询|法务|律师事务所|商务服务|外包", name):
        return "collection_agency"
    if re.search(r"科技|网络|信息技术|平台", name) and _lender_type(name) is None:
        return "platform"
    if re.fullmatch(_PERSON, name) and not re.search(r"银行|公司|集团", name):
        return "individual"
    return "lender"


def _drop_invalid(ex: Extraction) -> Extraction:
    """Remove any value the case format would refuse (so the output always loads)."""
    from ..case.load import structure
    from ..case.models import Agreement
    from ..errors import InputError

    agreement = dict(ex.agreement)
    provenance = dict(ex.provenance)
    for _ in range(20):
        try:
            structure(agreement, Agreement, root="agreement")
            break
        except InputError as err:
            bad = {p for p, _m in err.errors}
            changed = False
            for path in bad:
                key = path.removeprefix("agreement.").split(".")[0].split("[")[0]
                if key in agreement and key != "form":
                    agreement.pop(key)
                    for p in list(provenance):
                        if p == f"agreement.{key}" or p.startswith(
                            (f"agreement.{key}.", f"agreement.{key}[")
                        ):
                            provenance.pop(p)
                    changed = True
            if not changed:
                break
    return attrs.evolve(ex, agreement=agreement, provenance=provenance)


def extract_agreement(text: str, *, patterns: Patterns | None = None) -> Extraction:
    """Read an agreement, bill or collector's message and return what it states.

    Raises :class:`~negotiator.errors.InputError` (path ``TEXT``) for text too long to be one
    agreement or message.
    """
    from .reader import check_text

    text = check_text(text)
    reader = _Reader(text, patterns or load_patterns())
    ex = reader.run()
    if "instalments" in ex.agreement or "agreement.instalments" in reader.values:
        ex.agreement["instalments"] = [
            {k: _plain(v) for k, v in item.items()}
            for item in reader.values["agreement.instalments"]
        ]
    return _drop_invalid(ex)


def iter_examples(patterns: Patterns) -> Iterator[tuple[str, str, Any]]:
    """Every example of the data file: (where, text, expected value or None)."""
    for f in patterns.fields:
        for e in f.examples:
            yield f.path, e["text"], e["value"]
    for s in patterns.sentences:
        for text in s.examples:
            yield s.path, text, None
    for r in patterns.rates:
        for e in r.examples:
            yield r.path, e["text"], e["value"]
