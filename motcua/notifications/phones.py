"""Phone numbers as SMS gateways take them: 84 followed by the national number (84912345678)."""

import re

_SEPARATORS = re.compile(r"[\s.\-()]")


def normalise(phone: str) -> str:
    """``phone`` as 84xxxxxxxxx, or "" when it is not a Vietnamese mobile number (a landline cannot
    receive an SMS).

    >>> normalise("0912 345 678"), normalise("+84 912.345.678"), normalise("84912345678")
    ('84912345678', '84912345678', '84912345678')
    >>> normalise("0207 3822 123"), normalise("12345"), normalise("")
    ('', '', '')
    """
    digits = _SEPARATORS.sub("", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0084"):
        digits = digits[2:]
    if not digits.isdigit():
        return ""
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    elif not digits.startswith("84"):
        return ""
    national = digits[2:]
    # Mobile numbers: 9 digits after the country code, starting 3, 5, 7, 8 or 9.
    return digits if len(national) == 9 and national[0] in "35789" else ""
