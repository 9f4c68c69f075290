"""A page's meta description from its content: {% filter meta_description %}…{% endfilter %}.

Search engines show it under the page's title, so it is plain text: tags and a
summary's "[n]" citation markers taken out, whitespace collapsed, and cut at a
word to at most DESCRIPTION_AT_MOST characters, whole sentences kept where they fit.
"""

import html
import re

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeData

from ..footnotes import MARKER

register = template.Library()

DESCRIPTION_AT_MOST = 155
SPACE = re.compile(r"\s+")
# A marker left between a word and its punctuation ("exercises[1], and") or after a
# sentence ("security.[2] Named") leaves a space before the punctuation once removed.
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")
SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def plain_text(value):
    """`value` as the reader sees it, without markup or citation markers.

    Escaped HTML (what a template renders, a {% filter %} block's content) has its
    tags stripped and its entities read; any other string is taken as plain text."""
    text = str(value)
    if isinstance(value, SafeData):
        text = html.unescape(strip_tags(text))
    text = MARKER.sub("", text)
    text = SPACE.sub(" ", text).strip()
    return SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)


def shortened(text, at_most=DESCRIPTION_AT_MOST):
    """`text` whole if it fits; else the sentences that fit, if they say enough; else
    cut at a word, with "…"."""
    if len(text) <= at_most:
        return text
    kept = ""
    for end in SENTENCE_END.finditer(text):
        if end.start() > at_most:
            break
        kept = text[: end.start()]
    if len(kept) >= at_most // 2:
        return kept
    cut = text[: at_most - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—–-") + "…"


@register.filter
def meta_description(value):
    """Plain, shortened text for a meta description; escaped, so safe in an attribute."""
    return escape(shortened(plain_text(value)))
