"""Checks of the identifiers a repayment agreement carries, in the python-stdnum style.

Two identifiers appear in an agreement:

* the borrower's 居民身份证号码 (resident identity card number, GB 11643-1999): 6 digits of
  area code, the birth date as ``YYYYMMDD``, a 3-digit sequence number and an ISO 7064
  MOD 11-2 check character (a digit or ``X``);
* the lender's 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters from
  the 31-symbol alphabet ``0-9 A-Y`` without ``I O Z S V``, the last one a MOD 31 check
  character.

The functions follow python-stdnum's small verbs — ``compact`` (normalise), ``validate``
(return the compact form or raise a :class:`stdnum.exceptions.ValidationError`), ``is_valid``
(a bool) — and use :mod:`stdnum.cn.ric` and :mod:`stdnum.cn.uscc` for the check characters.

What is deliberately *not* checked
----------------------------------
:func:`stdnum.cn.ric.validate` also rejects a number whose area code is missing from its
GB/T 2260 table, or was not in force in the birth year.  Real people carry numbers with area
codes that were retired by later boundary changes (python-stdnum issue #442), and the code is
assigned when the number is issued, not at birth.  So here an unlisted area code never makes a
number invalid; :func:`ric_area_listed` reports it separately so that a caller may mention it
(at most as a warning).

The error messages are python-stdnum's generic ones (``"The number's checksum or check digit is
invalid."``) or our own; **no message ever contains the identifier itself**.

>>> ric_compact(' 11010519491231002x ')
'11010519491231002X'
>>> ric_validate('11010519491231002X')
'11010519491231002X'
>>> ric_is_valid('110105194912310021')    # wrong check character
False
>>> ric_is_valid('110105194902300021')    # 30 February: never a birth date
False
>>> ric_birth_date('11010519491231002X')
datetime.date(1949, 12, 31)
>>> ric_area_listed('11010519491231002X')
True
>>> uscc_validate('91110000600037341L')
'91110000600037341L'
>>> uscc_is_valid('91110000600037341M')
False
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from stdnum import numdb
from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "InvalidBirthDate",
    "ric_area_listed",
    "ric_birth_date",
    "ric_calc_check_digit",
    "ric_compact",
    "ric_is_valid",
    "ric_problem",
    "ric_validate",
    "uscc_calc_check_digit",
    "uscc_compact",
    "uscc_is_valid",
    "uscc_problem",
    "uscc_validate",
]

#: Birth dates before this day are refused: no living person was born earlier, so such a
#: number is a typing error (the 18-character format dates from 1999).
EARLIEST_BIRTH_DATE = dt.date(1880, 1, 1)

_DIGITS = frozenset("0123456789")
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_SYMBOLS = frozenset(_USCC_ALPHABET)


class InvalidBirthDate(InvalidComponent):
    """The birth-date part is not a real date, lies in the future or implausibly far back."""

    message = "The birth date in the number is not a possible birth date."


def _normalise(number: str) -> str:
    # NFKC turns full-width digits and letters (１２３ｘ), common in Chinese input, into ASCII.
    text = unicodedata.normalize("NFKC", number)
    return "".join(c for c in text if c not in " -\t\u3000").upper().strip()


# ---------------------------------------------------------------------------------------------
# 居民身份证号码
# ---------------------------------------------------------------------------------------------


def ric_compact(number: str) -> str:
    """The number without spaces or hyphens, full-width characters made ASCII, ``x`` → ``X``."""
    return _normalise(number)


def ric_calc_check_digit(number: str) -> str:
    """The check character (``0``–``9`` or ``X``) for the first 17 digits of ``number``.

    ``number`` may be the 17 digits alone or the full 18 characters (the last is ignored).

    >>> ric_calc_check_digit('11010519491231002')
    'X'
    """
    body = ric_compact(number)[:17]
    if len(body) != 17 or not set(body) <= _DIGITS:
        raise InvalidFormat()
    # stdnum's function takes the number *with* a check position and ignores it.
    return str(_ric.calc_check_digit(body + "0"))


def ric_birth_date(number: str) -> dt.date:
    """The birth date the number encodes; :class:`InvalidBirthDate` if it is not a real date."""
    n = ric_compact(number)
    if len(n) != 18 or not set(n[6:14]) <= _DIGITS:
        raise InvalidFormat()
    try:
        return dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        raise InvalidBirthDate() from None


def ric_validate(number: str, *, on: dt.date | None = None) -> str:
    """Check length, format, check character and birth date; return the compact number.

    The birth date must be a real calendar date, no later than ``on`` (default: today) and not
    before :data:`EARLIEST_BIRTH_DATE`.  The area code is not checked (see the module notes).

    >>> ric_validate('11010519491231002X', on=dt.date(1949, 12, 30))
    Traceback (most recent call last):
    ...
    negotiator.ids.InvalidBirthDate: The birth date in the number is not a possible birth date.
    >>> ric_validate('1101051949123100')
    Traceback (most recent call last):
    ...
    stdnum.exceptions.InvalidLength: The number has an invalid length.
    """
    n = ric_compact(number)
    if len(n) != 18:
        raise InvalidLength()
    if not set(n[:17]) <= _DIGITS or n[17] not in "0123456789X":
        raise InvalidFormat()
    if n[17] != ric_calc_check_digit(n):
        raise InvalidChecksum()
    born = ric_birth_date(n)
    if born < EARLIEST_BIRTH_DATE or born > (on or dt.date.today()):
        raise InvalidBirthDate()
    return n


def ric_is_valid(number: str, *, on: dt.date | None = None) -> bool:
    """Whether :func:`ric_validate` accepts the number."""
    try:
        return bool(ric_validate(number, on=on))
    except ValidationError:
        return False


def ric_problem(number: str, *, on: dt.date | None = None) -> str | None:
    """What is wrong with the number, as one word, or ``None`` when it is valid.

    One of ``"length"``, ``"format"``, ``"checksum"`` or ``"birth_date"``.

    >>> ric_problem('11010519491231002X'), ric_problem('110105194912310021')
    (None, 'checksum')
    """
    try:
        ric_validate(number, on=on)
    except InvalidLength:
        return "length"
    except InvalidChecksum:
        return "checksum"
    except InvalidBirthDate:
        return "birth_date"
    except ValidationError:
        return "format"
    return None


def ric_area_listed(number: str) -> bool:
    """Whether the area code is a county-level code in python-stdnum's GB/T 2260 table.

    Any period of validity counts: a code retired by a boundary change still identifies
    the people it was issued to.  ``False`` is not a sign of an invalid number.

    >>> ric_area_listed('412723199001010011')    # 商水县, renumbered 411623 in 2000
    True
    >>> ric_area_listed('990000199001010011')
    False
    """
    n = ric_compact(number)
    if len(n) < 6 or not set(n[:6]) <= _DIGITS:
        raise InvalidFormat()
    parts = numdb.get("cn/loc").info(n[:6])
    return any("county" in props for _part, props in parts)


# ---------------------------------------------------------------------------------------------
# 统一社会信用代码
# ---------------------------------------------------------------------------------------------


def uscc_compact(number: str) -> str:
    """The code without spaces or hyphens, full-width characters made ASCII, upper case."""
    return _normalise(number)


def uscc_calc_check_digit(number: str) -> str:
    """The check character for the first 17 characters of ``number``.

    >>> uscc_calc_check_digit('91110000600037341')
    'L'
    """
    body = uscc_compact(number)[:17]
    if len(body) != 17 or not set(body) <= _USCC_SYMBOLS:
        raise InvalidFormat()
    return str(_uscc.calc_check_digit(body))


def uscc_validate(number: str) -> str:
    """Check length, alphabet, the 6-digit area code and the check character.

    The first two characters (registering authority and entity type) may be letters of the
    code's alphabet, as GB 32100 allows (python-stdnum's own ``validate`` insists on digits).
    """
    n = uscc_compact(number)
    if len(n) != 18:
        raise InvalidLength()
    if not set(n) <= _USCC_SYMBOLS or not set(n[2:8]) <= _DIGITS:
        raise InvalidFormat()
    if n[17] != uscc_calc_check_digit(n):
        raise InvalidChecksum()
    return n


def uscc_is_valid(number: str) -> bool:
    """Whether :func:`uscc_validate` accepts the code."""
    try:
        return bool(uscc_validate(number))
    except ValidationError:
        return False


def uscc_problem(number: str) -> str | None:
    """``"length"``, ``"format"`` or ``"checksum"``, or ``None`` when the code is valid.

    >>> uscc_problem('91110000600037341L'), uscc_problem('9111000060003734')
    (None, 'length')
    """
    try:
        uscc_validate(number)
    except InvalidLength:
        return "length"
    except InvalidChecksum:
        return "checksum"
    except ValidationError:
        return "format"
    return None
