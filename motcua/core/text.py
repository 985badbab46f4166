"""Text folding for Vietnamese search: case, diacritics and punctuation removed."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return ``text`` lower-cased, without diacritics, words separated by one space.

    >>> fold("Đăng ký  khai sinh (bản chính)")
    'dang ky khai sinh ban chinh'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", stripped).strip()
