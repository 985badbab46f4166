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


# Characters that render as nothing: zero-width space, non-joiner, joiner, word joiner, byte-order mark,
# soft hyphen, and the bidirectional controls that can reorder how a name or code is displayed.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# A surrogate code point alone (Python keeps them from JSON escapes such as "\ud800"): not text.
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_hostile(text: str) -> bool:
    """True for text no field accepts: a NUL character or a lone surrogate."""
    return "\x00" in text or _SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """``text`` in Unicode NFC (one code point per Vietnamese letter, as typed on any keyboard), without
    invisible characters, trimmed. For names and codes: two spellings that look alike compare equal.

    >>> clean_text("  Nguye\\u0302\\u0303n\\u200b Va\\u0306n  ") == "Nguyễn Văn"
    True
    """
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).strip()


def clean_code(text: str) -> str:
    """A code (dossier, procedure, agency, identity number) as stored: ``clean_text``, no inner spaces,
    upper case."""
    return "".join(clean_text(text).split()).upper()
