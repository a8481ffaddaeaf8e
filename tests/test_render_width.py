"""Display widths and plain-text tables: the fast paths give what measuring every character does.

``display_width`` skips measuring ASCII text and remembers the width of every character it
has measured; ``wrap_display`` returns a cell that fits without wrapping it; ``text_table``
measures each line once.  The straightforward versions below are the reference they must
agree with, character for character.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from negotiator.render import _tokens, display_width, text_table, wrap_display

# ASCII, CJK (wide), fullwidth forms, combining marks, other non-ASCII, and spaces
ALPHABET = st.sampled_from(
    list("ab Zz09.,-/ ")
    + list("人民币元期年月日，。（）")
    + ["\uff21", "\uff10", "\u3000"]  # fullwidth A, fullwidth 0, ideographic space
    + ["\u0301", "\u0308"]  # combining acute accent, diaeresis
    + ["é", "ß", "€", "\u00a0", "\t", "\n"]
)
TEXT = st.text(ALPHABET, max_size=80)


def reference_width(text: str) -> int:
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def reference_wrap(text: str, width: int) -> list[str]:
    """wrap_display before its fast path: every token measured from the start of its line."""
    lines: list[str] = []
    line = ""
    for token in _tokens(" ".join(text.split())):
        while reference_width(token) > width:
            room = width - reference_width(line)
            head = ""
            for ch in token:
                if reference_width(head + ch) > room:
                    break
                head += ch
            if not head:
                lines.append(line.rstrip())
                line = ""
                continue
            lines.append((line + head).rstrip())
            line = ""
            token = token[len(head) :]
        if reference_width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def reference_table(
    rows: Sequence[Sequence[Any]], headers: Sequence[Any], align: str = "", max_width: int = 28
) -> str:
    ncol = len(headers)
    grid = []
    for row in [headers, *rows]:
        cells = []
        for cell in row:
            text = str(cell)
            cells.append([text] if text.startswith("人民币") else reference_wrap(text, max_width))
        grid.append(cells)
    widths = [max(reference_width(ln) for row in grid for ln in row[c]) for c in range(ncol)]
    out: list[str] = []

    def emit(row: list[list[str]]) -> None:
        for i in range(max(len(cell) for cell in row)):
            parts = []
            for c, cell in enumerate(row):
                text = cell[i] if i < len(cell) else ""
                pad = " " * (widths[c] - reference_width(text))
                right = c < len(align) and align[c] == "r"
                parts.append(pad + text if right else text + pad)
            out.append("  ".join(parts).rstrip())

    emit(grid[0])
    out.append("  ".join("-" * w for w in widths))
    for row in grid[1:]:
        emit(row)
    return "\n".join(out)


@given(TEXT)
def test_display_width_is_the_sum_of_the_characters(text):
    assert display_width(text) == reference_width(text)
    assert display_width(text) == reference_width(text)  # again, from the remembered widths


@given(TEXT, st.integers(min_value=2, max_value=40))
def test_wrap_display_is_unchanged(text, width):
    assert wrap_display(text, width) == reference_wrap(text, width)


@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda n: st.tuples(
            st.lists(TEXT, min_size=n, max_size=n),
            st.lists(st.lists(TEXT, min_size=n, max_size=n), max_size=6),
            st.text(st.sampled_from("lr"), max_size=n),
        )
    ),
    st.integers(min_value=4, max_value=40),
)
def test_text_table_is_unchanged(table, max_width):
    headers, rows, align = table
    assert text_table(rows, headers, align, max_width) == reference_table(
        rows, headers, align, max_width
    )


def test_an_amount_in_capitals_is_never_wrapped():
    cell = "人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分" * 2
    table = text_table([[cell]], ["金额"], max_width=10)
    assert table == reference_table([[cell]], ["金额"], max_width=10)
    assert table.splitlines()[-1] == cell
