"""DOCX output: a letter's print-ready HTML laid out as a Word document (A4).

The letters' HTML uses a small, fixed vocabulary (``templates/base/html.j2``): headings ``h1``,
``h2`` and ``h3``, paragraphs (``p``, ``p.para`` indented in Chinese), lists, tables (``table.grid``
with a header row, ``table.fields`` label/value pairs, ``table.sign`` signature columns), a
boxed ``div.note``, a right-hand ``div.right`` block, fill-in blanks ``span.fill`` and
signature lines ``span.sig``, a block kept on one page ``div.keep``; each ``article`` is one
letter.  This module reads exactly that
vocabulary with the standard library's HTML parser and writes it with python-docx, so DOCX
needs no second set of templates.  Fill-in blanks are highlighted in yellow so that they stand
out on screen; each further letter starts on a new page.

Print layout in Word:

* headings use Word's own styles — a document's title ``Title``, section headings
  ``Heading 1``, sub-headings ``Heading 2`` — so Word's navigation pane lists them (the title
  carries outline level 1 as well); every heading is kept with the paragraph after it;
* the sign-off (closing, signature lines, date) never sits alone on a page: every paragraph of
  a ``div.keep`` block is kept together and with the next one, and so is the paragraph just
  before the block (or before a signature block outside one), so Word moves that text to the
  new page together with the signature; signature table rows are never split.

python-docx is an optional dependency: install ``negotiator[docx]``.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import Any

import attrs

from ..errors import InputError

__all__ = ["html_to_docx"]

_FONT_SERIF = "SimSun"
_FONT_SANS = "SimHei"
_FONT_LATIN = "Times New Roman"


@attrs.define
class _Run:
    text: str
    bold: bool = False
    fill: bool = False
    sig: bool = False
    brk: bool = False  # a line break before the text


@attrs.define
class _Para:
    kind: str = "p"  # h1 / h2 / h3 / p / li
    runs: list[_Run] = attrs.field(factory=list)
    indent_first: bool = False
    right_block: bool = False
    note: bool = False
    level: int = 0  # list depth
    align: str = "left"  # left / right / center
    keep: bool = False  # inside a div.keep block (kept on one page with the sign-off)


@attrs.define
class _Cell:
    paras: list[_Para] = attrs.field(factory=list)
    header: bool = False
    num: bool = False


@attrs.define
class _Table:
    cls: str
    rows: list[list[_Cell]] = attrs.field(factory=list)
    keep: bool = False


@attrs.define
class _PageBreak:
    pass


Block = _Para | _Table | _PageBreak


class _Reader(HTMLParser):
    """Turns the letters' HTML into a list of blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self.lang = "zh-Hans"
        self._skip = 0  # inside <style>/<script>/<head> text
        self._in_title = False
        self._para: _Para | None = None
        self._bold = 0
        self._fill = 0
        self._lists: list[list[Any]] = []  # [ordered, counter]
        self._divs: list[str] = []
        self._table: _Table | None = None
        self._cell: _Cell | None = None
        self._articles = 0
        self._pending_break = False

    # -- helpers ------------------------------------------------------------------------------

    def _new_para(self, kind: str, **kw: Any) -> _Para:
        para = _Para(
            kind=kind,
            right_block="right" in self._divs,
            note="note" in self._divs,
            keep="keep" in self._divs,
            **kw,
        )
        if self._cell is not None:
            self._cell.paras.append(para)
        else:
            self.blocks.append(para)
        self._para = para
        return para

    def _text(self, text: str) -> None:
        if self._para is None:
            if not text.strip():
                return
            self._new_para("p")
        assert self._para is not None
        if not self._para.runs and not self._pending_break:
            text = text.lstrip()
        if not text:
            return
        self._para.runs.append(
            _Run(text, bold=self._bold > 0, fill=self._fill > 0, brk=self._pending_break)
        )
        self._pending_break = False

    # -- parser callbacks ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs_}
        cls = a.get("class", "")
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "html":
            self.lang = a.get("lang", self.lang)
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            if self._articles:
                self.blocks.append(_PageBreak())
            self._articles += 1
        elif tag == "h1":
            self._new_para("h1", align="center")
        elif tag in ("h2", "h3"):
            self._new_para(tag)
        elif tag == "p":
            indent = cls == "para" and not self.lang.startswith("en")
            self._new_para("p", indent_first=indent)
        elif tag == "div":
            self._divs.append(cls)
        elif tag in ("ul", "ol"):
            self._lists.append([tag == "ol", 0])
        elif tag == "li":
            para = self._new_para("li", level=len(self._lists))
            if self._lists:
                self._lists[-1][1] += 1
                ordered, n = self._lists[-1]
                para.runs.append(_Run(f"{n}. " if ordered else "• "))
        elif tag == "table":
            self._table = _Table(cls=cls, keep="keep" in self._divs)
            self._para = None
        elif tag == "tr" and self._table is not None:
            self._table.rows.append([])
        elif tag in ("td", "th") and self._table is not None and self._table.rows:
            self._cell = _Cell(header=tag == "th", num="num" in cls)
            self._table.rows[-1].append(self._cell)
            self._para = None
        elif tag in ("strong", "b"):
            self._bold += 1
        elif tag == "span" and cls == "fill":
            self._fill += 1
        elif tag == "span" and cls == "sig":
            if self._para is None:
                self._new_para("p")
            assert self._para is not None
            self._para.runs.append(_Run("_" * 20, sig=True))
        elif tag == "br":
            self._pending_break = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in ("h1", "h2", "h3", "p", "li"):
            self._para = None
            self._pending_break = False
        elif tag == "div" and self._divs:
            self._divs.pop()
        elif tag in ("ul", "ol") and self._lists:
            self._lists.pop()
        elif tag in ("td", "th"):
            self._cell = None
            self._para = None
        elif tag == "table" and self._table is not None:
            self.blocks.append(self._table)
            self._table = None
        elif tag in ("strong", "b"):
            self._bold = max(0, self._bold - 1)
        elif tag == "span" and self._fill:
            self._fill -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        if self._table is not None and self._cell is None:
            return  # whitespace between rows and cells
        self._text(" ".join(data.split("\n")) if data.strip() else data.replace("\n", ""))


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise InputError(
            "--format",
            "DOCX output needs python-docx: install it with pip install 'negotiator[docx]'",
        ) from None
    return docx


def _set_fonts(style: Any, east_asian: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = _FONT_LATIN
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _border(paragraph: Any) -> None:
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    for side in ("top", "left", "bottom", "right"):
        edge = borders.makeelement(
            qn(f"w:{side}"),
            {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "4", qn("w:color"): "000000"},
        )
        borders.append(edge)
    ppr.append(borders)


#: The Word style of each heading level, with its size in points.
_HEADINGS = {"h1": ("Title", 18), "h2": ("Heading 1", 13), "h3": ("Heading 2", 11.5)}


def _style_headings(doc: Any) -> None:
    """Word's heading styles in the letters' look: black, bold, a Hei face for Chinese, no
    theme colours or borders; each kept with the next paragraph."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    for style_name, size in _HEADINGS.values():
        style = doc.styles[style_name]
        rpr = style.element.get_or_add_rPr()
        for child in list(rpr):
            if child.tag in (qn("w:rFonts"), qn("w:color"), qn("w:spacing"), qn("w:kern")):
                rpr.remove(child)
        _set_fonts(style, _FONT_SANS)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        ppr = style.element.get_or_add_pPr()
        for child in list(ppr):
            if child.tag == qn("w:pBdr"):  # the Title style's rule under the text
                ppr.remove(child)
        fmt = style.paragraph_format
        fmt.keep_with_next = True
        fmt.keep_together = True
    # the title heads the navigation pane (Word gives the Title style no outline level)
    title = doc.styles["Title"].element.get_or_add_pPr()
    level = title.makeelement(qn("w:outlineLvl"), {qn("w:val"): "0"})
    title.append(level)


def _write_para(container: Any, para: _Para, docx: Any, keep_next: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
    from docx.shared import Mm, Pt

    out = container.add_paragraph()
    heading = _HEADINGS.get(para.kind)
    if heading is not None:
        out.style = heading[0]
    fmt = out.paragraph_format
    fmt.space_after = Pt(3)
    if para.kind == "h1":
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(12)
    elif para.kind in ("h2", "h3"):
        fmt.space_before = Pt(9)
    if heading is not None or keep_next:
        fmt.keep_with_next = True
    if para.keep or para.right_block:
        fmt.keep_together = True
    if para.indent_first:
        fmt.first_line_indent = Pt(24)
    if para.kind == "li":
        fmt.left_indent = Mm(7 * max(para.level, 1))
    if para.right_block:
        fmt.left_indent = Mm(90)
    if para.note:
        _border(out)
    for run in para.runs:
        if run.brk:
            out.add_run().add_break()
        r = out.add_run(run.text)
        if run.bold:
            r.bold = True
        if para.note:
            r.font.size = Pt(10.5)
        if run.fill:
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _cant_split(row: Any) -> None:
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:cantSplit"), {}))


def _write_table(doc: Any, table: _Table, docx: Any, keep_next: bool = False) -> None:
    """A table; a signature table (or one in a kept block) is kept whole and, with
    ``keep_next``, with what follows; otherwise ``keep_next`` keeps its last row with it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rows = [r for r in table.rows if r]
    if not rows:
        return
    whole = table.keep or table.cls == "sign"
    ncol = max(len(r) for r in rows)
    out = doc.add_table(rows=len(rows), cols=ncol)
    if table.cls == "grid":
        out.style = "Table Grid"
    for i, row in enumerate(rows):
        last_row = i == len(rows) - 1
        row_next = (whole and not last_row) or (keep_next and (whole or last_row))
        if whole:
            _cant_split(out.rows[i])
        for j, cell in enumerate(row):
            target = out.cell(i, j)
            first = target.paragraphs[0]
            for k, para in enumerate(cell.paras or [_Para()]):
                if cell.header:
                    for run in para.runs:
                        run.bold = True
                if k == 0:
                    # reuse the cell's own first paragraph
                    tmp = _CellFirst(first)
                    _write_para(tmp, para, docx, keep_next=row_next)
                else:
                    _write_para(target, para, docx, keep_next=row_next)
            if cell.num:
                for p in target.paragraphs:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if cell.header:
                for p in target.paragraphs:
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacer = doc.add_paragraph()
    if keep_next:
        spacer.paragraph_format.keep_with_next = True


def _signs_off(block: Block) -> bool:
    """Whether ``block`` belongs to a sign-off: a kept block, a signature block or table."""
    if isinstance(block, _Para):
        return block.keep or block.right_block
    if isinstance(block, _Table):
        return block.keep or block.cls == "sign"
    return False


def _keep_next(blocks: list[Block]) -> list[bool]:
    """For each block, whether it is kept on the page of the next one: the blocks of a sign-off
    are kept with each other, and the block before a sign-off with it."""
    out = []
    for block, after in zip(blocks, [*blocks[1:], None], strict=True):
        out.append(after is not None and _signs_off(after) and not isinstance(block, _PageBreak))
    return out


class _CellFirst:
    """Lets :func:`_write_para` write into a table cell's existing first paragraph."""

    def __init__(self, paragraph: Any) -> None:
        self.paragraph = paragraph

    def add_paragraph(self) -> Any:
        return self.paragraph


def html_to_docx(html: str) -> bytes:
    """Lay out a letter's HTML (as rendered by :func:`negotiator.documents.letters.render_letter`)
    as a DOCX document and return its bytes."""
    docx = _docx()
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    reader = _Reader()
    reader.feed(html)
    reader.close()
    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin, section.right_margin = Mm(25), Mm(22)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    _set_fonts(normal, _FONT_SERIF)
    doc.core_properties.title = reader.title.strip()
    doc.core_properties.language = reader.lang
    _style_headings(doc)
    for block, keep_next in zip(reader.blocks, _keep_next(reader.blocks), strict=True):
        if isinstance(block, _PageBreak):
            doc.add_page_break()
        elif isinstance(block, _Table):
            _write_table(doc, block, docx, keep_next)
        else:
            _write_para(doc, block, docx, keep_next)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible(buffer.getvalue())


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _reproducible(package: bytes) -> bytes:
    """The same package with every member dated 1980-01-01 in a fixed order, so the same letter
    gives the same bytes on every run (python-docx stamps the current time on each member)."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
