"""A page's meta description from its content: {% filter meta_description %}…{% endfilter %}.

Search engines show it under the page's title, so it is plain text: tags and a
summary's "[n]" citation markers taken out, whitespace collapsed, and cut at a
word to at most DESCRIPTION_AT_MOST characters, whole sentences kept where they fit.

{{ parties|names }}, {{ participations|names:"partner.name" }}: the entries' names in
the page's language, listed as the language lists them, for a description's sentence.
"""

import html
import re

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeData
from django.utils.translation import pgettext

from ..footnotes import MARKER

register = template.Library()

DESCRIPTION_AT_MOST = 155
# Whitespace but the no-break spaces French puts before its colons and inside its
# guillemets ("Pacte : accord"), which are kept as they are.
SPACE = re.compile(r"[^\S\u00a0\u202f]+")
# A marker left between a word and its punctuation ("exercises[1], and") or after a
# sentence ("security.[2] Named") leaves a space before the punctuation once removed.
SPACE_BEFORE_PUNCTUATION = re.compile(r"[^\S\u00a0\u202f]+([,.;:!?،؛؟])")
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


@register.filter
def names(entries, path="name"):
    """The entries' names in the page's language (`entry.localized`), as plain text one
    after another: "Spain, France". `path` is the name's field, after the attributes
    that lead from each item to its entry: "partner.name" names a participation's
    partner."""
    *through, field = path.split(".")
    named = []
    for entry in entries:
        for attribute in through:
            entry = getattr(entry, attribute)
        named.append(str(entry.localized[field]))
    return pgettext("between the items of a list", ", ").join(named)
