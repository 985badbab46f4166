"""How report figures read on a page: 1.234 dossiers, 45,5 %, 3,2 days, +1,5 (in the page's language)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


def _number(value, places: int) -> str:
    if isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value()):
        return number_format(int(value), 0, use_l10n=True, force_grouping=True)
    return number_format(value, places, use_l10n=True, force_grouping=True)


@register.filter
def figure(value, kind: str = "count") -> str:
    """A figure's value: a count grouped by thousands, a share with "%", others with 2 decimals."""
    if value is None:
        return "—"
    if kind == "percent":
        return f"{_number(value, 2)} %"
    if kind == "count":
        return _number(value, 0)
    return _number(value, 2)


@register.filter
def change(value) -> str:
    """A signed change: "+3", "−1,5" ("±0" for none; a share's change is in percentage points)."""
    if value is None:
        return ""
    if value == 0:
        return "±0"
    sign = "+" if value > 0 else "−"
    text = _number(abs(value), 2)
    return f"{sign}{text}"


@register.filter
def percent_of(value, whole) -> int:
    """``value`` as a whole percentage of ``whole`` (0–100), for a progress bar."""
    try:
        if not whole:
            return 0
        return max(0, min(100, round(100 * Decimal(value) / Decimal(whole))))
    except (TypeError, ValueError, ArithmeticError):
        return 0


@register.filter
def lookup(mapping, key):
    """``mapping[key]``, or None."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def point_value(point, code: str):
    """The value of figure ``code`` at one point of a trend."""
    return point.value(code)


@register.filter
def subtract(value, other):
    try:
        return value - other
    except TypeError:
        return None
