"""{% source_text text marks %}: a source's full text with its cited passages marked;
{% passage_index marks %}: the list of those passages.

The same markup the template's loops drew, written in one function: a long
source is hundreds of pieces, and the loops' variable lookups, filters and
localization made the text the largest part of the page's cost (the longest
fixture source: 4.9 ms through the loops, 1.2 ms here; its passage index 1.5
and 0.8 ms). Every piece of text is escaped here, as the template escaped it.

The text's drawing depends on nothing but the text and its marks (each
passage's place, anchor, footnote and citing entry: sources.highlight.Mark),
so each process keeps the last few drawings by exactly those: a drawing is
found again only for the same text with the same marks, never after either
changed, and the page still reads both afresh each time. Cutting and drawing
the longest fixture source (35,000 characters) took 1.25 ms; finding it again
(hashing a text read afresh), 0.03 ms.
"""

import functools
import html

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines

from ..highlight import paragraphs

register = template.Library()

DISPUTES_LABEL = mark_safe('<strong class="dispute-label">disputes</strong> ')  # a constant


@register.simple_tag
def source_text(text, marks):
    """`text` in <p>s, the passages `marks` (a tuple of Marks) place marked in it."""
    return _drawn(text, marks)


# Drawings kept per process: a few long texts (50,000 characters drawn are about
# 60 KB), as the same source pages are asked for again and again.
@functools.lru_cache(maxsize=16)
def _drawn(text, marks):
    return mark_safe("\n".join(_paragraph(pieces) for pieces in paragraphs(text, marks)))


def _paragraph(pieces):
    parts = []
    for piece in pieces:
        parts.extend(
            f'<span class="anchor" id="citation-{mark.citation}"></span>' for mark in piece.starts
        )
        # As |linebreaksbr: escaped, each line break a <br>.
        text = html.escape(normalize_newlines(piece.text)).replace("\n", "<br>")
        parts.append(f"<mark>{text}</mark>" if piece.marked else text)
        parts.extend(_cited_by(mark) for mark in piece.ends)
    return f"<p>{''.join(parts)}</p>"


def _cited_by(mark):
    return format_html(
        '<a class="{}" href="{}">{}{}, note {}</a>',
        "cited-by dispute" if mark.disputes else "cited-by",
        mark.entry_url,
        "disputes " if mark.disputes else "cited by ",
        mark.entry,
        mark.number,
    )


@register.simple_tag
def passage_index(marks):
    """The <li>s of "Cited passages": each quote's start, linking to it, and its entry;
    `marks` in the text's order. Kept by the marks, as the text's drawing is: a
    hundred quotes cut to their first words took 3.5 ms."""
    return _index(marks)


@functools.lru_cache(maxsize=16)
def _index(marks):
    return format_html_join(
        "",
        '<li><a href="#citation-{}">“{}”</a> — {}<a href="{}">{}</a>, note {}</li>',
        (
            (
                mark.citation,
                truncatewords(mark.quote, 12),
                DISPUTES_LABEL if mark.disputes else "",
                mark.entry_url,
                mark.entry,
                mark.number,
            )
            for mark in marks
        ),
    )
