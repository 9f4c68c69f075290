"""Numbers as the page's language writes them: "1,200.5" in English, "1 200,5"
in French, "1,200.5" in Arabic, from the Unicode CLDR (Babel).

Digits are Latin (0–9) in every language, Arabic included, as Morocco writes
them; only the separators change. A number keeps every decimal place it has
(nothing is rounded: a figure is as the source gives it), less trailing zeros.
"""

from decimal import Decimal

from babel.numbers import format_decimal
from django.utils.translation import get_language

from .translations import DEFAULT


def format_number(value, language=None):
    """An int, Decimal or float with its digits grouped: 1200 → "1,200" (en),
    "1 200" (fr, with a narrow no-break space); Decimal("3.60") → "3.6", "3,6"."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif not isinstance(value, int | Decimal):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        value = value.normalize() + 0  # no trailing zeros, no exponent, no -0
    return format_decimal(
        value,
        locale=language or get_language() or DEFAULT,
        decimal_quantization=False,
        numbering_system="latn",
    )
