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

from negotiator.documents.render import (
    _cell_lines,
    _wrap_tokens,
    display_width,
    text_table,
    wrap_display,
)

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


@given(TEXT)
def test_display_width_is_the_sum_of_the_characters(text):
    assert display_width(text) == reference_width(text)
    assert display_width(text) == reference_width(text)  # again, from the remembered widths


@given(TEXT, st.integers(min_value=2, max_value=40))
def test_the_one_line_shortcut_gives_what_wrapping_gives(text, width):
    flat = " ".join(text.split())
    assert wrap_display(text, width) == _wrap_tokens(flat, width)


@given(TEXT, st.integers(min_value=2, max_value=40))
def test_wrapped_lines_fit_and_keep_the_text(text, width):
    lines = wrap_display(text, width)
    # a line is wider than the limit only when it is a single character that is
    assert all(reference_width(ln) <= width or len(ln) == 1 for ln in lines)
    flat = " ".join(text.split())
    assert "".join(lines).replace(" ", "") == flat.replace(" ", "")


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
def test_text_table_lines_up_every_column(table, max_width):
    headers, rows, align = table
    grid = _all_cell_lines([headers, *rows], max_width)
    widths = [max(w for row in grid for _, w in row[c]) for c in range(len(headers))]
    heights = [max(len(cell) for cell in row) for row in grid]
    lines = text_table(rows, headers, align, max_width).split("\n")
    assert len(lines) == sum(heights) + 1
    assert lines[heights[0]] == "  ".join("-" * w for w in widths)
    assert all(reference_width(ln) <= sum(widths) + 2 * (len(widths) - 1) for ln in lines)


def _all_cell_lines(rows: Sequence[Sequence[Any]], max_width: int) -> list[list[list[Any]]]:
    return [[_cell_lines(str(cell), max_width) for cell in row] for row in rows]


@given(TEXT, st.integers(min_value=4, max_value=40))
def test_a_cell_is_laid_out_as_wrapping_it_would(text, max_width):
    expected = [text] if text.startswith("人民币") else wrap_display(text, max_width)
    assert _cell_lines(text, max_width) == [(ln, reference_width(ln)) for ln in expected]


def test_an_amount_in_capitals_is_never_wrapped():
    cell = "人民币壹拾贰万叁仟肆佰伍拾陆元柒角捌分" * 2
    table = text_table([[cell]], ["金额"], max_width=10)
    assert table.splitlines()[-1] == cell
