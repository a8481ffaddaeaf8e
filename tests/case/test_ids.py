"""Identifier checks: 居民身份证号码 and 统一社会信用代码 (negotiator.ids)."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from negotiator import ids
from negotiator.ids import (
    InvalidBirthDate,
    ric_area_listed,
    ric_birth_date,
    ric_calc_check_digit,
    ric_compact,
    ric_is_valid,
    ric_problem,
    ric_validate,
    uscc_calc_check_digit,
    uscc_is_valid,
    uscc_problem,
    uscc_validate,
)

ON = dt.date(2026, 12, 31)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def test_doctests() -> None:
    result = doctest.testmod(ids, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 10
    assert result.failed == 0


# ---------------------------------------------------------------------------------------------
# 身份证号
# ---------------------------------------------------------------------------------------------

areas = st.one_of(
    st.sampled_from(["110105", "310115", "440305", "412723", "511702", "650102"]),
    st.integers(min_value=0, max_value=999_999).map(lambda n: f"{n:06d}"),
)
births = st.dates(min_value=ids.EARLIEST_BIRTH_DATE, max_value=ON)
sequences = st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}")


@st.composite
def valid_rics(draw: st.DrawFn) -> str:
    body = draw(areas) + draw(births).strftime("%Y%m%d") + draw(sequences)
    return body + ric_calc_check_digit(body)


@given(valid_rics())
def test_generated_numbers_validate(number: str) -> None:
    assert ric_validate(number, on=ON) == number
    assert ric_is_valid(number, on=ON)
    assert ric_problem(number, on=ON) is None
    assert ric_birth_date(number).strftime("%Y%m%d") == number[6:14]


@given(valid_rics(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_is_caught(number: str, pos: int, data: st.DataObject) -> None:
    symbols = "0123456789X" if pos == 17 else "0123456789"
    new = data.draw(st.sampled_from([c for c in symbols if c != number[pos]]))
    changed = number[:pos] + new + number[pos + 1 :]
    assert not ric_is_valid(changed, on=ON)
    assert ric_problem(changed, on=ON) in ("checksum", "birth_date")


def test_every_single_change_of_one_number_is_caught_exhaustively() -> None:
    number = "11010519491231002X"
    for pos in range(18):
        for c in "0123456789X" if pos == 17 else "0123456789":
            if c != number[pos]:
                changed = number[:pos] + c + number[pos + 1 :]
                assert not ric_is_valid(changed, on=ON), (pos, c)


@given(valid_rics(), st.integers(min_value=0, max_value=16))
def test_adjacent_transposition_is_caught(number: str, pos: int) -> None:
    a, b = number[pos], number[pos + 1]
    if a == b or "X" in (a, b):
        return
    swapped = number[:pos] + b + a + number[pos + 2 :]
    assert not ric_is_valid(swapped, on=ON)


def test_compact_accepts_spaces_hyphens_full_width_and_lower_case_x() -> None:
    assert ric_compact("110105 1949-1231 002x") == "11010519491231002X"
    assert ric_compact("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    assert ric_is_valid("１１０１０５ １９４９１２３１ ００２ｘ", on=ON)


@pytest.mark.parametrize(
    ("number", "exc", "word"),
    [
        ("1101051949123100", InvalidLength, "length"),
        ("110105194912310021X", InvalidLength, "length"),
        ("11010519491231A02X", InvalidFormat, "format"),
        ("11010519491231002Y", InvalidFormat, "format"),
        ("110105194912310021", InvalidChecksum, "checksum"),
    ],
)
def test_problems_are_named(number: str, exc: type[Exception], word: str) -> None:
    with pytest.raises(exc):
        ric_validate(number, on=ON)
    assert ric_problem(number, on=ON) == word


def _with_check(body: str) -> str:
    return body + ric_calc_check_digit(body)


@pytest.mark.parametrize(
    "birth",
    [
        "19900230",  # 30 February
        "19901301",  # month 13
        "19900100",  # day 0
        "18791231",  # before the earliest plausible birth date
        "20270101",  # after the check date
    ],
)
def test_impossible_birth_dates_are_invalid_even_with_a_correct_check_character(
    birth: str,
) -> None:
    number = _with_check("110105" + birth + "123")
    with pytest.raises(InvalidBirthDate):
        ric_validate(number, on=ON)
    assert ric_problem(number, on=ON) == "birth_date"


def test_birth_date_is_judged_against_the_given_day() -> None:
    number = _with_check("110105" + "20260601" + "123")
    assert ric_is_valid(number, on=dt.date(2026, 6, 1))
    assert not ric_is_valid(number, on=dt.date(2026, 5, 31))


def test_unlisted_or_retired_area_code_is_not_invalid() -> None:
    retired = _with_check("412723" + "19850312" + "123")  # 商水县 before 2000
    unknown = _with_check("990000" + "19850312" + "123")
    assert ric_is_valid(retired, on=ON) and ric_area_listed(retired)
    assert ric_is_valid(unknown, on=ON) and not ric_area_listed(unknown)
    # stdnum's own validate() rejects a code by the birth year; ours must not.
    late_code = _with_check("360426" + "19700101" + "123")  # 德安县 code listed from 1983
    assert ric_is_valid(late_code, on=ON) and ric_area_listed(late_code)


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "110105194912310021", "1101051949123100", "11010519900230123X"],
)
def test_messages_never_contain_the_number(number: str) -> None:
    try:
        ric_validate(number, on=ON)
    except ValidationError as exc:
        assert number not in str(exc)
        assert number[:6] not in str(exc)
    try:
        uscc_validate(number)
    except ValidationError as exc:
        assert number not in str(exc)


# ---------------------------------------------------------------------------------------------
# 统一社会信用代码
# ---------------------------------------------------------------------------------------------


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from("159Y")) + draw(st.sampled_from("123"))
    region = f"{draw(st.integers(min_value=0, max_value=999_999)):06d}"
    org = "".join(draw(st.lists(st.sampled_from(USCC_ALPHABET), min_size=9, max_size=9)))
    body = head + region + org
    return body + uscc_calc_check_digit(body)


@given(valid_usccs())
def test_generated_codes_validate(code: str) -> None:
    assert uscc_validate(code) == code
    assert uscc_problem(code) is None


@given(valid_usccs(), st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_of_a_code_is_caught(
    code: str, pos: int, data: st.DataObject
) -> None:
    symbols = "0123456789" if 2 <= pos <= 7 else USCC_ALPHABET
    new = data.draw(st.sampled_from([c for c in symbols if c != code[pos]]))
    assert not uscc_is_valid(code[:pos] + new + code[pos + 1 :])


def test_known_code_and_its_problems() -> None:
    assert uscc_is_valid("91110000600037341L")
    assert uscc_is_valid("9111 0000 6000 3734 1l")
    assert uscc_problem("91110000600037341M") == "checksum"
    assert uscc_problem("9111000060003734") == "length"
    assert uscc_problem("91110000600037341I") == "format"  # I is not in the alphabet
    assert uscc_problem("911A0000600037341L") == "format"  # area code must be digits


def test_letter_registration_authority_is_accepted() -> None:
    body = "N2330100MA2B3C4D5"
    code = body + uscc_calc_check_digit(body)
    assert uscc_is_valid(code)
