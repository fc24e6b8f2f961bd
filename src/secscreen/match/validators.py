"""Named validators for pattern matches: check digits, dates, regions.

Each validator takes the matched text (folded: ASCII upper-case) and returns True when the match
is what the rule is looking for. A match failing any of its rule's validators is dropped, and the
drop is recorded with the validator's name.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable

Validator = Callable[[str], bool]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54]
    + [61, 62, 63, 64, 65, 71, 81, 82, 83]
)
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_DIGITS = re.compile(r"\d")


def digits_only(text: str) -> str:
    return "".join(_DIGITS.findall(text)) + ("X" if text.rstrip().upper().endswith("X") else "")


def cn_id_checksum(text: str) -> bool:
    """GB 11643 check character (ISO 7064 MOD 11-2) of an 18-character resident ID number."""
    value = digits_only(text)
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date = _dt.date(year, month, day)
    except ValueError:
        return False
    return _dt.date(1900, 1, 1) <= date <= _dt.date.today()


def cn_id_date(text: str) -> bool:
    """The birth date inside an 18- or 15-digit ID number is a real date, not in the future."""
    value = digits_only(text)
    if len(value) == 18:
        return _valid_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    if len(value) == 15:
        return _valid_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    return False


def cn_id_region(text: str) -> bool:
    """The first two digits are a province-level code of GB/T 2260 (or 81-83 for residence permits)."""
    value = digits_only(text)
    return len(value) >= 2 and value[:2].isdigit() and int(value[:2]) in _PROVINCES


def luhn(text: str) -> bool:
    """Luhn (mod 10, 隔位2倍加) check used by bank card numbers."""
    digits = [int(d) for d in _DIGITS.findall(text)]
    if not 12 <= len(digits) <= 19:
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def uscc_checksum(text: str) -> bool:
    """GB 32100 check character of an 18-character unified social credit code."""
    value = text.strip().upper()
    if len(value) != 18 or any(c not in _USCC_ALPHABET for c in value):
        return False
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31] == value[17]


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_org_code(text: str) -> bool:
    """The 组织机构代码 inside a credit code (characters 9-17) passes its own GB 11714 check."""
    value = text.strip().upper()
    if len(value) != 18:
        return False
    body, check = value[8:16], value[16]
    if not body.isalnum() or not body.isascii():
        return False
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    expected = {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))
    return check == expected


def not_uscc(text: str) -> bool:
    """Not a unified social credit code: a code passing both GB 32100 and its embedded GB 11714 check
    is a company, not a person (an ID number passes both by chance about once in 341)."""
    return not (uscc_checksum(text) and uscc_org_code(text))


def not_cn_id(text: str) -> bool:
    """Not a valid resident ID number (checksum, date and region): an ID is reported by its own rule."""
    return not (cn_id_checksum(text) and cn_id_date(text) and cn_id_region(text))


def not_masked(text: str) -> bool:
    """No masking characters (★ after folding, ×, x) inside the value."""
    return not any(c in text for c in "★×Xx") or bool(re.fullmatch(r"\d{17}X", text))


VALIDATORS: dict[str, Validator] = {
    "cn_id_checksum": cn_id_checksum,
    "cn_id_date": cn_id_date,
    "cn_id_region": cn_id_region,
    "luhn": luhn,
    "uscc_checksum": uscc_checksum,
    "uscc_org_code": uscc_org_code,
    "not_uscc": not_uscc,
    "not_masked": not_masked,
    "not_cn_id": not_cn_id,
}
