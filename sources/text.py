"""Comparing a citation's quote with its source's text.

Editors paste quotes from browsers and word processors that turn straight
quotes curly (or back), dashes into hyphens and line breaks into spaces; the
documents themselves mix both kinds of apostrophe. Both sides are normalized
the same way before a quote is looked for in the text.
"""

import functools
import re
import unicodedata

_TRANSLATION = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark / typographic apostrophe
        "\u201a": "'",  # single low-9 quotation mark
        "\u201b": "'",  # single high-reversed-9 quotation mark
        "\u2032": "'",  # prime
        "\u00b4": "'",  # acute accent used as an apostrophe
        "\u201c": '"',  # left double quotation mark
        "\u201d": '"',  # right double quotation mark
        "\u201e": '"',  # double low-9 quotation mark
        "\u201f": '"',  # double high-reversed-9 quotation mark
        "\u2033": '"',  # double prime
        "\u00ab": '"',  # guillemets
        "\u00bb": '"',
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",  # horizontal bar
        "\u2212": "-",  # minus sign
        "\u2026": "...",  # ellipsis
        "\u00ad": None,  # soft hyphen
        "\u200b": None,  # zero-width space
        "\ufeff": None,  # byte-order mark
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalize(text):
    """Text with quotes, dashes and whitespace made uniform, for comparison only."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATION)
    return _WHITESPACE.sub(" ", text).strip()


def quote_in_text(quote, text):
    needle = normalize(quote)
    return bool(needle) and needle in normalize(text)


# Characters that become more or fewer than one: the ellipsis, and those dropped.
_RESIZED = "".join(
    chr(code) for code, out in _TRANSLATION.items() if out is None or len(str(out)) != 1
)
# What is not copied one for one: runs of whitespace (but a lone space), other
# whitespace, and the characters that become more or fewer than one.
_UNEVEN = re.compile(rf"\s{{2,}}|[^\S ]|[{_RESIZED}]")


@functools.lru_cache(maxsize=32)
def _normalized_with_offsets(text):
    """`normalize(text)` and, for each of its characters, the offset in `text` it came from.

    `text` must already be NFC (see locate()); whitespace runs collapse to one
    space, and characters the translation drops map to nothing. Everything
    between the uneven places is copied (translated one for one) in a single
    step: a long document is 50,000 characters, and its page locates every
    quote cited from it. The last few texts are kept, as the same source page
    is asked for again and again.
    """
    chars, offsets = [], []
    in_space = False
    last = 0

    def copy(start, end):
        nonlocal in_space
        piece = text[start:end].translate(_TRANSLATION)
        if not offsets and piece.startswith(" "):  # no leading space
            piece, start = piece[1:], start + 1
        if piece:
            chars.append(piece)
            offsets.extend(range(start, end))
            in_space = piece.endswith(" ")

    for found in _UNEVEN.finditer(text):
        start, end = found.span()
        if start > last:
            copy(start=last, end=start)
        last = end
        if found.group()[0].isspace():
            if offsets and not in_space:
                chars.append(" ")
                offsets.append(start)
            in_space = True
            continue
        in_space = False
        piece = found.group().translate(_TRANSLATION)
        if piece:
            chars.append(piece)
            offsets.extend([start] * len(piece))
    if last < len(text):
        copy(start=last, end=len(text))
    if offsets and chars[-1].endswith(" "):
        chars[-1] = chars[-1][:-1]
        offsets.pop()
    return "".join(chars), offsets


def locator(text):
    """A function finding quotes in `text`, for many quotes of one text (see locate())."""
    haystack, offsets = _normalized_with_offsets(unicodedata.normalize("NFC", text))

    def find(quote):
        needle = normalize(quote)
        start = haystack.find(needle) if needle else -1
        if start < 0:
            return None
        return offsets[start], offsets[start + len(needle) - 1] + 1

    return find


def locate(quote, text):
    """Where `quote` occurs in `text`, as (start, end) offsets in NFC(text), or None.

    The comparison is normalize()'s; the offsets let the source page highlight
    the passage as the document has it.
    """
    return locator(text)(quote)
